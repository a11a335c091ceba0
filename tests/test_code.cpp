#include <smtp_status/code.hpp>
#include <smtp_status/string.hpp>

#include <type_traits>
#include <unordered_set>

#include "catch.hpp"

using smtp_status::enhanced_code;
using smtp_status::reply_code;
using smtp_status::status_class;

static_assert(std::is_trivially_copyable_v<enhanced_code>);
static_assert(std::is_trivially_copyable_v<reply_code>);
static_assert(std::is_nothrow_default_constructible_v<enhanced_code>);
static_assert(sizeof(enhanced_code) <= 6);
static_assert(sizeof(reply_code) == 2);

TEST_CASE("enhanced_code holds class, subject and detail", "[code]") {
  constexpr enhanced_code c(status_class::permanent_failure, 7, 708);
  CHECK_BOTH(c.code_class() == status_class::permanent_failure);
  CHECK_BOTH(c.class_digit() == 5);
  CHECK_BOTH(c.subject() == 7);
  CHECK_BOTH(c.detail() == 708);
  CHECK_BOTH(enhanced_code{} == enhanced_code(status_class::success, 0, 0));
  CHECK_BOTH(enhanced_code(status_class::success, 999, 999).detail() == 999);
}

TEST_CASE("enhanced_code orders by class, then subject, then detail", "[code]") {
  constexpr enhanced_code a(status_class::success, 999, 999);
  constexpr enhanced_code b(status_class::transient_failure, 0, 0);
  constexpr enhanced_code c(status_class::transient_failure, 0, 1);
  constexpr enhanced_code d(status_class::transient_failure, 1, 0);
  CHECK_BOTH((a < b && b < c && c < d));
  CHECK_BOTH((d > a && b <= c && c >= b && a != b && !(a == b)));
  CHECK_BOTH((b <= b && b >= b));
}

TEST_CASE("out-of-range construction is clamped at run time", "[code]") {
  volatile unsigned big = 1000; // not a constant: would not compile otherwise
  const enhanced_code c(status_class::permanent_failure, big, big);
  CHECK(c.subject() == 999);
  CHECK(c.detail() == 999);
  const reply_code low(big - 900), high(big);
  CHECK(low.value() == 200);
  CHECK(high.value() == 599);
  volatile unsigned char three = 3;
  const enhanced_code bad_class(static_cast<status_class>(three), 1, 1);
  CHECK(bad_class.code_class() == status_class::permanent_failure);
}

TEST_CASE("valid() states the preconditions", "[code]") {
  CHECK_BOTH(enhanced_code::valid(2, 0, 0));
  CHECK_BOTH(enhanced_code::valid(5, 999, 999));
  CHECK_BOTH(!enhanced_code::valid(3, 1, 1));
  CHECK_BOTH(!enhanced_code::valid(5, 1000, 1));
  CHECK_BOTH(!enhanced_code::valid(5, 1, 1000));
  CHECK_BOTH((reply_code::valid(200) && reply_code::valid(599)));
  CHECK_BOTH((!reply_code::valid(199) && !reply_code::valid(600)));
}

TEST_CASE("reply_code digits", "[code]") {
  constexpr reply_code r(554);
  CHECK_BOTH(r.value() == 554);
  CHECK_BOTH(r.first_digit() == 5);
  CHECK_BOTH(r.second_digit() == 5);
  CHECK_BOTH(r.third_digit() == 4);
  CHECK_BOTH(reply_code{}.value() == 250);
  CHECK_BOTH(reply_code(421) < reply_code(450));
  CHECK_BOTH((reply_code(450) >= reply_code(450) && reply_code(451) > reply_code(450)));
}

TEST_CASE("to_chars writes the code and refuses a short buffer", "[code][format]") {
  char buf[16] = {};
  const auto r = smtp_status::to_chars(buf, buf + sizeof buf,
                                       enhanced_code(status_class::transient_failure, 10, 0));
  REQUIRE(r);
  CHECK(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)) == "4.10.0");

  char small[5] = {'x', 'x', 'x', 'x', 'x'};
  const auto s = smtp_status::to_chars(small, small + sizeof small,
                                       enhanced_code(status_class::permanent_failure, 1, 10));
  CHECK(!s);
  CHECK(s.ptr == small + sizeof small);
  CHECK(std::string_view(small, 5) == "xxxxx"); // nothing written

  char three[3];
  const auto t = smtp_status::to_chars(three, three + 3, reply_code(550));
  REQUIRE(t);
  CHECK(std::string_view(three, 3) == "550");
  CHECK(!smtp_status::to_chars(three, three + 2, reply_code(550)));
}

TEST_CASE("code_chars and to_string", "[code][format]") {
  CHECK_BOTH(
      smtp_status::code_chars(enhanced_code(status_class::permanent_failure, 999, 999)).view() ==
      "5.999.999");
  CHECK_BOTH(smtp_status::code_chars(reply_code(421)).view() == "421");
  CHECK_BOTH(smtp_status::chars_needed(enhanced_code(status_class::success, 0, 0)) == 5);
  CHECK(smtp_status::to_string(enhanced_code(status_class::permanent_failure, 7, 26)) == "5.7.26");
  CHECK(smtp_status::to_string(reply_code(250)) == "250");
}

TEST_CASE("std::hash distinguishes codes", "[code]") {
  std::unordered_set<enhanced_code> set;
  for (unsigned s = 0; s < 50; ++s)
    for (unsigned d = 0; d < 50; ++d)
      for (auto c : {status_class::success, status_class::transient_failure,
                     status_class::permanent_failure})
        set.insert(enhanced_code(c, s, d));
  CHECK(set.size() == 3 * 50 * 50);
  CHECK(set.count(enhanced_code(status_class::transient_failure, 49, 0)) == 1);
  std::unordered_set<reply_code> replies{reply_code(250), reply_code(250), reply_code(550)};
  CHECK(replies.size() == 2);
}

TEST_CASE("enum names", "[code]") {
  CHECK_BOTH(to_string_view(status_class::transient_failure) == "transient_failure");
  CHECK_BOTH(to_string_view(smtp_status::registry_kind::class_code) == "class");
}
