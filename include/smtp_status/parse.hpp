// smtp_status: parse enhanced status codes (RFC 3463 §2) and basic reply
// codes (RFC 5321 §4.2) from text.
//
//   strict   exactly the RFC grammar. Enhanced: class "2"/"4"/"5", subject and
//            detail of 1-3 digits without leading zeros. Reply: first digit
//            2-5, second 0-5, third 0-9.
//   lenient  what real servers and bounce messages write: leading zeros
//            ("5.01.001"), surrounding whitespace, one trailing ".", ":" or ","
//            ("5.1.1:"); for reply codes surrounding whitespace and any second
//            digit (200-599).
//
// from_chars() reads a code at the start of [first, last) and says where it
// stopped, like std::from_chars. The *_detailed() forms read a whole string
// and say what was wrong and at which offset; the optional forms say only
// whether it was a code. Nothing throws or allocates.
#ifndef SMTP_STATUS_PARSE_HPP
#define SMTP_STATUS_PARSE_HPP

#include <optional>
#include <type_traits>

#include "code.hpp"

namespace smtp_status {

enum class parse_mode : std::uint8_t { strict, lenient };

enum class parse_error : std::uint8_t {
  none,
  empty,                // nothing to parse
  expected_digit,       // a digit was expected here
  invalid_class,        // enhanced code class not 2, 4 or 5
  invalid_first_digit,  // reply code first digit not 2-5 (RFC 5321 §4.2)
  expected_dot,         // "." expected after the class or the subject
  leading_zero,         // "5.01.1": sub-codes have no leading zeros (strict)
  too_many_digits,      // a sub-code above 999, or a reply code of 4+ digits
  invalid_second_digit, // reply code second digit 6-9 (strict, RFC 5321 §4.2)
  trailing_characters,  // the code is followed by something else
};

// A short English message for an error: "expected a digit".
[[nodiscard]] constexpr std::string_view to_string_view(parse_error e) noexcept {
  switch (e) {
  case parse_error::none: return "no error";
  case parse_error::empty: return "empty input";
  case parse_error::expected_digit: return "expected a digit";
  case parse_error::invalid_class: return "class must be 2, 4 or 5";
  case parse_error::expected_dot: return "expected '.'";
  case parse_error::leading_zero: return "leading zero in a sub-code";
  case parse_error::too_many_digits: return "too many digits";
  case parse_error::invalid_first_digit: return "first digit of a reply code must be 2-5";
  case parse_error::invalid_second_digit: return "second digit of a reply code must be 0-5";
  case parse_error::trailing_characters: return "unexpected characters after the code";
  }
  return "invalid";
}

struct from_chars_result {
  const char* ptr; // past the code on success; the offending character on error
  parse_error ec;
  constexpr explicit operator bool() const noexcept { return ec == parse_error::none; }
};

template <class Code> struct parse_result {
  Code value{};       // the code; value-initialised on error
  parse_error error;  // parse_error::none on success
  std::size_t offset; // where the error is; the input's size on success
  constexpr explicit operator bool() const noexcept { return error == parse_error::none; }
};

namespace detail {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
constexpr unsigned digit(char c) noexcept { return static_cast<unsigned>(c - '0'); }

// ASCII text helpers shared by the layers above.
constexpr char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

constexpr bool equals_nocase(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

constexpr bool starts_with_nocase(std::string_view s, std::string_view prefix) noexcept {
  return s.size() >= prefix.size() && equals_nocase(s.substr(0, prefix.size()), prefix);
}

// Without the SP, HT, CR and LF at both ends.
constexpr std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A subject or detail at p: 1-3 digits, no leading zero in strict mode.
constexpr from_chars_result sub_code(const char* p, const char* last, parse_mode mode,
                                     unsigned& out) noexcept {
  if (p == last || !is_digit(*p)) return {p, parse_error::expected_digit};
  if (mode == parse_mode::lenient)
    while (last - p > 1 && *p == '0' && is_digit(p[1])) ++p; // skip leading zeros
  else if (*p == '0' && last - p > 1 && is_digit(p[1]))
    return {p, parse_error::leading_zero};
  unsigned v = 0;
  const char* start = p;
  while (p != last && is_digit(*p)) {
    if (p - start == 3) return {p, parse_error::too_many_digits};
    v = v * 10 + digit(*p++);
  }
  out = v;
  return {p, parse_error::none};
}

constexpr const char* skip_space(const char* p, const char* last) noexcept {
  while (p != last && is_space(*p)) ++p;
  return p;
}

template <class Code>
constexpr parse_result<Code> whole(std::string_view s, parse_mode mode) noexcept {
  const char* first = s.data();
  const char* last = first + s.size();
  const char* p = mode == parse_mode::lenient ? skip_space(first, last) : first;
  Code value{};
  if (p == last) return {Code{}, parse_error::empty, static_cast<std::size_t>(p - first)};
  from_chars_result r = from_chars(p, last, value, mode);
  if (r) {
    p = r.ptr;
    if (mode == parse_mode::lenient) {
      constexpr bool punctuation = std::is_same_v<Code, enhanced_code>; // "5.1.1:", not "550:"
      if (punctuation && p != last && (*p == '.' || *p == ':' || *p == ',')) ++p;
      p = skip_space(p, last);
    }
    if (p == last) return {value, parse_error::none, s.size()};
    r = {p, parse_error::trailing_characters};
  }
  return {Code{}, r.ec, static_cast<std::size_t>(r.ptr - first)};
}

} // namespace detail

// Reads an enhanced code at the start of [first, last). Digits are read
// greedily, so "5.1.1234" is too_many_digits, not 5.1.123; what follows the
// code (even ".1") is left for the caller.
[[nodiscard]] constexpr from_chars_result
from_chars(const char* first, const char* last, enhanced_code& value,
           parse_mode mode = parse_mode::strict) noexcept {
  const char* p = first;
  if (p == last || !detail::is_digit(*p)) return {p, parse_error::expected_digit};
  const unsigned cls = detail::digit(*p);
  if (!is_status_class_digit(cls)) return {p, parse_error::invalid_class};
  ++p;
  if (p == last || *p != '.') return {p, parse_error::expected_dot};
  unsigned subject = 0, detail = 0;
  from_chars_result r = detail::sub_code(p + 1, last, mode, subject);
  if (!r) return r;
  p = r.ptr;
  if (p == last || *p != '.') return {p, parse_error::expected_dot};
  r = detail::sub_code(p + 1, last, mode, detail);
  if (!r) return r;
  value = enhanced_code(static_cast<status_class>(cls), subject, detail);
  return r;
}

// Reads a three-digit reply code at the start of [first, last).
[[nodiscard]] constexpr from_chars_result
from_chars(const char* first, const char* last, reply_code& value,
           parse_mode mode = parse_mode::strict) noexcept {
  const char* p = first;
  for (int i = 0; i < 3; ++i, ++p)
    if (p == last || !detail::is_digit(*p)) return {p, parse_error::expected_digit};
  if (p != last && detail::is_digit(*p)) return {p, parse_error::too_many_digits};
  if (first[0] < '2' || first[0] > '5') return {first, parse_error::invalid_first_digit};
  if (mode == parse_mode::strict && first[1] > '5')
    return {first + 1, parse_error::invalid_second_digit};
  value = reply_code(detail::digit(first[0]) * 100 + detail::digit(first[1]) * 10 +
                     detail::digit(first[2]));
  return {p, parse_error::none};
}

// The whole string must be one enhanced code; says what is wrong and where.
[[nodiscard]] constexpr parse_result<enhanced_code>
parse_enhanced_code_detailed(std::string_view s, parse_mode mode = parse_mode::strict) noexcept {
  return detail::whole<enhanced_code>(s, mode);
}

// The whole string must be one reply code; says what is wrong and where.
[[nodiscard]] constexpr parse_result<reply_code>
parse_reply_code_detailed(std::string_view s, parse_mode mode = parse_mode::strict) noexcept {
  return detail::whole<reply_code>(s, mode);
}

[[nodiscard]] constexpr std::optional<enhanced_code>
parse_enhanced_code(std::string_view s, parse_mode mode = parse_mode::strict) noexcept {
  const parse_result<enhanced_code> r = parse_enhanced_code_detailed(s, mode);
  return r ? std::optional<enhanced_code>(r.value) : std::nullopt;
}

[[nodiscard]] constexpr std::optional<reply_code>
parse_reply_code(std::string_view s, parse_mode mode = parse_mode::strict) noexcept {
  const parse_result<reply_code> r = parse_reply_code_detailed(s, mode);
  return r ? std::optional<reply_code>(r.value) : std::nullopt;
}

// Any well-formed code from its numbers, registered or not (5, 7, 708).
[[nodiscard]] constexpr std::optional<enhanced_code>
make_enhanced_code(unsigned cls, unsigned subject, unsigned detail) noexcept {
  if (!enhanced_code::valid(cls, subject, detail)) return std::nullopt;
  return enhanced_code(static_cast<status_class>(cls), subject, detail);
}

[[nodiscard]] constexpr std::optional<reply_code> make_reply_code(unsigned value) noexcept {
  if (!reply_code::valid(value)) return std::nullopt;
  return reply_code(value);
}

} // namespace smtp_status

#endif
