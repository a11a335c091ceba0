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

// For the few functions whose speed depends on being inlined into the
// caller's loop (the compilers' size limits would not inline them).
#if defined(__GNUC__) || defined(__clang__)
#define SMTP_STATUS_FORCE_INLINE [[gnu::always_inline]] inline
#elif defined(_MSC_VER)
#define SMTP_STATUS_FORCE_INLINE __forceinline
#else
#define SMTP_STATUS_FORCE_INLINE inline
#endif

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
  // "0" followed by a digit, tested as one condition: whether a sub-code is 0
  // is data, and a branch on it alone mispredicts.
  const auto leading_zero = [last](const char* q) {
    const char next = last - q > 1 ? q[1] : '\0';
    return (*q == '0') & is_digit(next);
  };
  if (mode == parse_mode::lenient)
    while (leading_zero(p)) ++p; // skip leading zeros
  else if (leading_zero(p))
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

// The strict grammar of a whole string for parse_enhanced_code(), with one
// branch on the characters instead of one per character: codes parsed in bulk
// are a mix of lengths, valid and invalid, on which mispredicted branches
// cost more than the parse itself. A code is "C.S.D" in 5-9 characters. The
// 4-8 after the class are read into a 64-bit word (two overlapping 4-byte
// reads inside the string), zero-padded; which of its bytes are not digits
// gives the positions of the dots and of the padding, one of nine shapes,
// and the shape says where each sub-code is and which digits must not be 0.

// Bytes p[0..3], p[0] lowest (a single load once compiled).
constexpr std::uint64_t load4(const char* p) noexcept {
  return std::uint64_t{static_cast<unsigned char>(p[0])} |
         std::uint64_t{static_cast<unsigned char>(p[1])} << 8 |
         std::uint64_t{static_cast<unsigned char>(p[2])} << 16 |
         std::uint64_t{static_cast<unsigned char>(p[3])} << 24;
}

// In the word t (the characters after the class, each XOR '0': digits are 0-9):
struct enhanced_shape {
  std::uint64_t check_add;                  // 0x7F on the first digit of a 2-3 digit sub-code;
  std::uint64_t check_mask;                 // (t + check_add) & check_mask must be check_value:
  std::uint64_t check_value;                // 0x80 there (not '0'), 0x1E = '.' ^ '0' at the dots
  std::uint64_t subject_mask, detail_mask;  // after the shifts, to bytes 1-3 and 5-7
  std::uint8_t subject_shift, detail_shift; // the last digits to bytes 3 and 7
  std::uint8_t size;                        // of the code; 0: no shape
};

struct enhanced_tables {
  std::uint8_t shape_of[256]; // by the bit set of non-digit bytes; 0: none
  std::uint8_t class_of[256]; // by the class character: its digit, 2, 4 or 5; 0: none
  enhanced_shape shapes[10];
};

constexpr enhanced_tables make_enhanced_tables() noexcept {
  enhanced_tables t{};
  for (unsigned c : {2u, 4u, 5u}) t.class_of['0' + c] = static_cast<std::uint8_t>(c);
  const auto at = [](unsigned byte, std::uint64_t v) { return v << 8 * byte; };
  std::uint8_t k = 1;
  for (unsigned ls = 1; ls <= 3; ++ls) // subject and detail lengths
    for (unsigned ld = 1; ld <= 3; ++ld, ++k) {
      const unsigned dot = ls + 1, size = ls + ld + 3; // in the word: ".S.D"
      unsigned non_digits = 1u | 1u << dot;
      for (unsigned i = size - 1; i < 8; ++i) non_digits |= 1u << i; // the padding
      t.shape_of[non_digits] = k;
      enhanced_shape& s = t.shapes[k];
      s.check_mask = at(0, 0xFF) | at(dot, 0xFF);
      s.check_value = at(0, '.' ^ '0') | at(dot, '.' ^ '0');
      for (unsigned first : {ls > 1 ? 1u : 0u, ld > 1 ? dot + 1 : 0u})
        if (first != 0) {
          s.check_add |= at(first, 0x7F);
          s.check_mask |= at(first, 0x80);
          s.check_value |= at(first, 0x80);
        }
      for (unsigned i = 4 - ls; i < 4; ++i) s.subject_mask |= at(i, 0xFF);
      for (unsigned i = 8 - ld; i < 8; ++i) s.detail_mask |= at(i, 0xFF);
      s.subject_shift = static_cast<std::uint8_t>(8 * (3 - ls));
      s.detail_shift = static_cast<std::uint8_t>(8 * (9 - size));
      s.size = static_cast<std::uint8_t>(size);
    }
  return t;
}
inline constexpr enhanced_tables enhanced_lookup = make_enhanced_tables();

SMTP_STATUS_FORCE_INLINE constexpr std::optional<enhanced_code>
strict_enhanced(std::string_view s) noexcept {
  const std::size_t n = s.size();
  if (n < 5 || n > 9) return std::nullopt;
  constexpr std::uint64_t ones = 0x0101010101010101, high = ones * 0x80;
  const char* p = s.data();
  const std::uint64_t t = (load4(p + 1) | load4(p + n - 4) << 8 * (n - 5)) ^ ones * '0';
  // 0x80 in each byte >= 10, i.e. not a digit: no carry crosses a byte. The
  // multiplication gathers those bits into the top byte (bit 8i + 7 to 56 + i).
  const std::uint64_t non_digits = (((t & ~high) + ones * (0x80 - 10)) | t) & high;
  const enhanced_shape& sh =
      enhanced_lookup.shapes[enhanced_lookup.shape_of[non_digits * 0x0002040810204081 >> 56]];
  const unsigned cls = enhanced_lookup.class_of[static_cast<unsigned char>(p[0])];
  // Zero if s is a code: one test, decided before the digits are converted.
  const std::uint64_t wrong =
      (sh.size ^ n) | (((t + sh.check_add) & sh.check_mask) ^ sh.check_value) | (cls == 0);
  // Both sub-codes as one 8-digit number "0SSS0DDD": pairs of digits, then
  // groups of four in 16-bit lanes 0 and 2.
  std::uint64_t v =
      (t << sh.subject_shift & sh.subject_mask) | (t << sh.detail_shift & sh.detail_mask);
  v = v * 10 + (v >> 8);
  v = (v & 0x00FF00FF00FF00FF) * 100 + (v >> 16 & 0x00FF00FF00FF00FF);
  // Zeros unless s is a code: no out-of-range value reaches the constructor,
  // whose precondition a constant expression must not break.
  const unsigned keep = wrong == 0 ? 0xFFFF : 0;
  const unsigned subject = static_cast<unsigned>(v) & keep;
  const unsigned detail = static_cast<unsigned>(v >> 32) & keep;
  // The class by index (the digit's low two bits), not by a status_class made
  // from the digit, which the constructor would check again, in branches. All
  // made before the test, which g++ then compiles without a store to memory.
  const enhanced_code by_class[4] = {
      enhanced_code(status_class::transient_failure, subject, detail),
      enhanced_code(status_class::permanent_failure, subject, detail),
      enhanced_code(status_class::success, subject, detail),
      enhanced_code(status_class::success, subject, detail)};
  const enhanced_code code = by_class[cls & 3];
  if (wrong != 0) return std::nullopt;
  return code;
}

// The strict grammar of a whole reply code for parse_reply_code(): three
// characters, 2-5, 0-5, 0-9. (Here branches cost less than word arithmetic.)
constexpr std::optional<reply_code> strict_reply(std::string_view s) noexcept {
  if (s.size() != 3 || s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '5' || !is_digit(s[2]))
    return std::nullopt;
  return reply_code(digit(s[0]) * 100 + digit(s[1]) * 10 + digit(s[2]));
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

[[nodiscard]] SMTP_STATUS_FORCE_INLINE constexpr std::optional<enhanced_code>
parse_enhanced_code(std::string_view s, parse_mode mode = parse_mode::strict) noexcept {
  if (mode == parse_mode::strict) return detail::strict_enhanced(s);
  const parse_result<enhanced_code> r = parse_enhanced_code_detailed(s, mode);
  return r ? std::optional<enhanced_code>(r.value) : std::nullopt;
}

[[nodiscard]] SMTP_STATUS_FORCE_INLINE constexpr std::optional<reply_code>
parse_reply_code(std::string_view s, parse_mode mode = parse_mode::strict) noexcept {
  if (mode == parse_mode::strict) return detail::strict_reply(s);
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
