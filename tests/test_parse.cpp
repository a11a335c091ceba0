#include <smtp_status/parse.hpp>

#include <random>
#include <regex>
#include <string>

#include "catch.hpp"
#include "reference.hpp"

using namespace smtp_status;
using namespace std::string_view_literals;

namespace {

constexpr bool error_at(std::string_view s, parse_error e, std::size_t offset,
                        parse_mode mode = parse_mode::strict) {
  const auto r = parse_enhanced_code_detailed(s, mode);
  return !r && r.error == e && r.offset == offset;
}

constexpr bool reply_error_at(std::string_view s, parse_error e, std::size_t offset,
                              parse_mode mode = parse_mode::strict) {
  const auto r = parse_reply_code_detailed(s, mode);
  return !r && r.error == e && r.offset == offset;
}

constexpr bool is(std::string_view s, unsigned c, unsigned subject, unsigned detail,
                  parse_mode mode = parse_mode::strict) {
  const auto r = parse_enhanced_code(s, mode);
  return r && r->class_digit() == c && r->subject() == subject && r->detail() == detail;
}

} // namespace

TEST_CASE("strict parse accepts RFC 3463 codes", "[parse]") {
  CHECK_BOTH(is("5.1.1", 5, 1, 1));
  CHECK_BOTH(is("2.0.0", 2, 0, 0));
  CHECK_BOTH(is("4.7.26", 4, 7, 26));
  CHECK_BOTH(is("5.7.708", 5, 7, 708)); // unregistered is still well-formed
  CHECK_BOTH(is("2.1.23", 2, 1, 23));   // RFC 3463's own example
  CHECK_BOTH(is("5.999.999", 5, 999, 999));
  CHECK_BOTH(is("4.100.10", 4, 100, 10));
}

TEST_CASE("strict parse rejects with the error and its offset", "[parse]") {
  CHECK_BOTH(error_at("", parse_error::empty, 0));
  CHECK_BOTH(error_at("6.1.1", parse_error::invalid_class, 0));
  CHECK_BOTH(error_at("3.1.1", parse_error::invalid_class, 0));
  CHECK_BOTH(error_at("0.1.1", parse_error::invalid_class, 0));
  CHECK_BOTH(error_at("5.1", parse_error::expected_dot, 3));
  CHECK_BOTH(error_at("5.1.", parse_error::expected_digit, 4));
  CHECK_BOTH(error_at("5", parse_error::expected_dot, 1));
  CHECK_BOTH(error_at("5.", parse_error::expected_digit, 2));
  CHECK_BOTH(error_at("5..1", parse_error::expected_digit, 2));
  CHECK_BOTH(error_at("5.1.1.1", parse_error::trailing_characters, 5));
  CHECK_BOTH(error_at("5.1000.1", parse_error::too_many_digits, 5));
  CHECK_BOTH(error_at("5.1.1000", parse_error::too_many_digits, 7));
  CHECK_BOTH(error_at("5.01.1", parse_error::leading_zero, 2));
  CHECK_BOTH(error_at("5.1.01", parse_error::leading_zero, 4));
  CHECK_BOTH(error_at("5.1.00", parse_error::leading_zero, 4));
  CHECK_BOTH(error_at("05.1.1", parse_error::invalid_class, 0));
  CHECK_BOTH(error_at(" 5.1.1", parse_error::expected_digit, 0));
  CHECK_BOTH(error_at("5.1.1 ", parse_error::trailing_characters, 5));
  CHECK_BOTH(error_at("5 .1.1", parse_error::expected_dot, 1));
  CHECK_BOTH(error_at("5.1 .1", parse_error::expected_dot, 3));
  CHECK_BOTH(error_at("5,1,1", parse_error::expected_dot, 1));
  CHECK_BOTH(error_at("5.1.1:", parse_error::trailing_characters, 5));
  CHECK_BOTH(error_at("x5.1.1", parse_error::expected_digit, 0));
  CHECK_BOTH(error_at("5.+1.1", parse_error::expected_digit, 2));
  CHECK_BOTH(error_at("5.-1.1", parse_error::expected_digit, 2));
  CHECK_BOTH(error_at("5.1.1\0"sv, parse_error::trailing_characters, 5));
  CHECK_BOTH(error_at("5.1\0.1"sv, parse_error::expected_dot, 3));
  CHECK_BOTH(error_at("\0"sv, parse_error::expected_digit, 0));
  CHECK_BOTH(error_at("5.\xd9\xa1.1", parse_error::expected_digit, 2));     // Arabic-Indic one
  CHECK_BOTH(error_at("\xef\xbc\x95.1.1", parse_error::expected_digit, 0)); // fullwidth five
  CHECK_BOTH(error_at("5.1.1\xc2\xa0", parse_error::trailing_characters, 5));
}

TEST_CASE("lenient parse accepts what real servers write", "[parse]") {
  constexpr auto L = parse_mode::lenient;
  CHECK_BOTH(is("5.01.001", 5, 1, 1, L));
  CHECK_BOTH(is("5.000.000", 5, 0, 0, L));
  CHECK_BOTH(is("5.0001.1", 5, 1, 1, L));
  CHECK_BOTH(is("  5.1.1\t\r\n", 5, 1, 1, L));
  CHECK_BOTH(is("5.1.1.", 5, 1, 1, L));
  CHECK_BOTH(is("5.1.1:", 5, 1, 1, L));
  CHECK_BOTH(is("5.1.1, ", 5, 1, 1, L));
  CHECK_BOTH(is("5.7.708", 5, 7, 708, L));
  CHECK_BOTH(error_at("5.1.1..", parse_error::trailing_characters, 6, L));
  CHECK_BOTH(error_at("5.1.1.1", parse_error::trailing_characters, 6, L));
  CHECK_BOTH(error_at("5.1.1;", parse_error::trailing_characters, 5, L));
  CHECK_BOTH(error_at("5.1000.1", parse_error::too_many_digits, 5, L));
  CHECK_BOTH(error_at("5.01000.1", parse_error::too_many_digits, 6, L));
  CHECK_BOTH(error_at("6.1.1", parse_error::invalid_class, 0, L));
  CHECK_BOTH(error_at("   ", parse_error::empty, 3, L));
  CHECK_BOTH(error_at("", parse_error::empty, 0, L));
  CHECK_BOTH(error_at(" 5 .1.1", parse_error::expected_dot, 2, L));
}

TEST_CASE("from_chars reads a code at the start and says where it stopped", "[parse]") {
  constexpr std::string_view text = "5.1.1 User unknown";
  enhanced_code c;
  const auto r = from_chars(text.data(), text.data() + text.size(), c);
  REQUIRE(r);
  CHECK(r.ptr == text.data() + 5);
  CHECK(c == enhanced_code(status_class::permanent_failure, 1, 1));

  constexpr std::string_view four = "5.1.1.1";
  const auto r2 = from_chars(four.data(), four.data() + four.size(), c);
  REQUIRE(r2);
  CHECK(r2.ptr == four.data() + 5);

  constexpr std::string_view bad = "5.1.1234";
  enhanced_code untouched(status_class::success, 1, 5);
  const auto r3 = from_chars(bad.data(), bad.data() + bad.size(), untouched);
  CHECK(!r3);
  CHECK(r3.ec == parse_error::too_many_digits);
  CHECK(r3.ptr == bad.data() + 7);
  CHECK(untouched == enhanced_code(status_class::success, 1, 5)); // unchanged on error

  reply_code rc;
  constexpr std::string_view line = "550-5.1.1";
  const auto r4 = from_chars(line.data(), line.data() + line.size(), rc);
  REQUIRE(r4);
  CHECK(rc.value() == 550);
  CHECK(*r4.ptr == '-');
}

TEST_CASE("reply codes: strict RFC 5321 grammar and a lenient form", "[parse]") {
  CHECK_BOTH(parse_reply_code("250")->value() == 250);
  CHECK_BOTH(parse_reply_code("559")->value() == 559);
  CHECK_BOTH(reply_error_at("599", parse_error::invalid_second_digit, 1));
  CHECK_BOTH(parse_reply_code("599", parse_mode::lenient)->value() == 599);
  CHECK_BOTH(parse_reply_code("354")->value() == 354);
  CHECK_BOTH(reply_error_at("", parse_error::empty, 0));
  CHECK_BOTH(reply_error_at("199", parse_error::invalid_first_digit, 0));
  CHECK_BOTH(reply_error_at("600", parse_error::invalid_first_digit, 0));
  CHECK_BOTH(reply_error_at("560", parse_error::invalid_second_digit, 1));
  CHECK_BOTH(reply_error_at("55", parse_error::expected_digit, 2));
  CHECK_BOTH(reply_error_at("5500", parse_error::too_many_digits, 3));
  CHECK_BOTH(reply_error_at("550 ", parse_error::trailing_characters, 3));
  CHECK_BOTH(reply_error_at("550-", parse_error::trailing_characters, 3));
  CHECK_BOTH(reply_error_at("5x0", parse_error::expected_digit, 1));
  CHECK_BOTH(reply_error_at("55\0"sv, parse_error::expected_digit, 2));
  constexpr auto L = parse_mode::lenient;
  CHECK_BOTH(parse_reply_code(" 560\r\n", L)->value() == 560);
  CHECK_BOTH(reply_error_at(" 650", parse_error::invalid_first_digit, 1, L));
  CHECK_BOTH(reply_error_at("  ", parse_error::empty, 2, L));
}

TEST_CASE("make_* build any well-formed code and nothing else", "[parse]") {
  CHECK_BOTH(make_enhanced_code(5, 7, 708)->detail() == 708);
  CHECK_BOTH(!make_enhanced_code(3, 1, 1));
  CHECK_BOTH(!make_enhanced_code(5, 1000, 1));
  CHECK_BOTH(make_reply_code(421)->value() == 421);
  CHECK_BOTH(!make_reply_code(600));
}

TEST_CASE("error messages", "[parse]") {
  CHECK_BOTH(to_string_view(parse_error::leading_zero) == "leading zero in a sub-code");
  for (int e = 0; e <= static_cast<int>(parse_error::trailing_characters); ++e)
    CHECK(to_string_view(static_cast<parse_error>(e)) != "invalid");
}

// The slow, obviously-correct references: the RFC grammar as a regex.
namespace {
const std::regex strict_re(R"(([245])\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2}))");
const std::regex lenient_re(R"([ \t\r\n]*([245])\.0*([0-9]{1,3})\.0*([0-9]{1,3})[.:,]?[ \t\r\n]*)");
const std::regex reply_strict_re(R"([2-5][0-5][0-9])");
const std::regex reply_lenient_re(R"([ \t\r\n]*([2-5][0-9][0-9])[ \t\r\n]*)");

void compare(const std::string& s) {
  std::smatch m;
  for (parse_mode mode : {parse_mode::strict, parse_mode::lenient}) {
    const bool strict = mode == parse_mode::strict;
    const bool want = std::regex_match(s, m, strict ? strict_re : lenient_re);
    const auto got = parse_enhanced_code(s, mode);
    INFO("input '" << s << "' mode " << (strict ? "strict" : "lenient"));
    REQUIRE(got.has_value() == want);
    if (want) {
      CHECK(got->class_digit() == static_cast<unsigned>(std::stoul(m[1])));
      CHECK(got->subject() == static_cast<unsigned>(std::stoul(m[2])));
      CHECK(got->detail() == static_cast<unsigned>(std::stoul(m[3])));
    }
    // and with the string-splitting reference of reference.hpp
    const auto ref = strict ? reference::enhanced(s, false) : reference::enhanced_lenient(s);
    REQUIRE(ref.has_value() == want);
    if (ref) CHECK((ref->cls == got->class_digit() && ref->subject == got->subject() &&
                    ref->detail == got->detail()));
    REQUIRE(reference::reply(s, !strict).has_value() == parse_reply_code(s, mode).has_value());
    const bool want_reply = std::regex_match(s, m, strict ? reply_strict_re : reply_lenient_re);
    const auto got_reply = parse_reply_code(s, mode);
    REQUIRE(got_reply.has_value() == want_reply);
    if (want_reply) CHECK(got_reply->value() == std::stoul(m[strict ? 0 : 1]));
  }
}
} // namespace

TEST_CASE("parse agrees with a regex reference on random strings", "[parse][reference]") {
  std::mt19937 rng(20261128);
  constexpr std::string_view alphabet = "0123456789012345.....  :,x\t";
  std::uniform_int_distribution<std::size_t> len(0, 12), pick(0, alphabet.size() - 1);
  for (int i = 0; i < 200000; ++i) {
    std::string s(len(rng), ' ');
    for (char& ch : s) ch = alphabet[pick(rng)];
    compare(s);
  }
  // Shapes close to valid codes, where the edge cases are.
  std::uniform_int_distribution<int> digits(0, 4), any_digit(0, 9);
  for (int i = 0; i < 200000; ++i) {
    std::string s;
    for (int part = 0; part < 3; ++part) {
      if (part) s += '.';
      for (int d = digits(rng) - (part == 0 ? 2 : 0); d >= 0; --d)
        s += static_cast<char>('0' + any_digit(rng));
    }
    compare(s);
  }
}
