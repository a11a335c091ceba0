#include <smtp_status/parse.hpp>

#include "catch.hpp"

using namespace smtp_status;

TEST_CASE("exhaustive round trip of all 3,000,000 enhanced codes", "[roundtrip][exhaustive]") {
  std::size_t failures = 0, total = 0;
  char buf[max_enhanced_code_chars + 4];
  for (unsigned cls : {2u, 4u, 5u})
    for (unsigned s = 0; s <= enhanced_code::max_sub_code; ++s)
      for (unsigned d = 0; d <= enhanced_code::max_sub_code; ++d) {
        const enhanced_code c = *make_enhanced_code(cls, s, d);
        const to_chars_result w = to_chars(buf, buf + sizeof buf, c);
        const std::string_view text(buf, static_cast<std::size_t>(w.ptr - buf));
        const auto strict = parse_enhanced_code(text);
        const auto lenient = parse_enhanced_code(text, parse_mode::lenient);
        failures += !w || text.size() != chars_needed(c) || !strict || *strict != c || !lenient ||
                    *lenient != c || c.class_digit() != cls || c.subject() != s || c.detail() != d;
        ++total;
      }
  CHECK(total == 3000000);
  CHECK(failures == 0);
}

TEST_CASE("round trip of every reply code", "[roundtrip]") {
  for (unsigned v = reply_code::min_value; v <= reply_code::max_value; ++v) {
    const reply_code r(v);
    const auto strict = parse_reply_code(code_chars(r).view());
    CHECK(strict.has_value() == (v / 10 % 10 <= 5));
    if (strict) CHECK(*strict == r);
    CHECK(parse_reply_code(code_chars(r).view(), parse_mode::lenient) == r);
  }
}

TEST_CASE("leading zeros: lenient reads them, strict refuses them", "[roundtrip]") {
  char buf[32];
  for (unsigned s = 0; s <= 999; s += 7) {
    const int n = std::snprintf(buf, sizeof buf, "4.%03u.%03u", s, 999 - s);
    const std::string_view text(buf, static_cast<std::size_t>(n));
    const auto c = parse_enhanced_code(text, parse_mode::lenient);
    REQUIRE(c);
    CHECK(c->subject() == s);
    CHECK(c->detail() == 999 - s);
    CHECK(parse_enhanced_code(text).has_value() == (s >= 100 && 999 - s >= 100));
  }
}
