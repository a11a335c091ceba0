// smtp_status: find status codes in free text (bounce messages,
// Diagnostic-Code fields, SMTP transcripts).
//
// for_each_enhanced_code() reports every RFC 3463 enhanced code and
// for_each_reply_code() every RFC 5321 reply code, in text order, never
// overlapping, with their offsets; find_*() return the first. Free text is
// full of numbers that look like codes (IP addresses, version strings,
// dates), so the rules are stricter than parse.hpp's grammar:
//
// Enhanced codes, C.S.D
//  1. C is 2, 4 or 5; S is one digit 0-7 (the registry's subjects: "Exim
//     4.94.2" and "Postfix 2.10.1" are versions); D is 1-3 digits; no
//     leading zeros ("5.01.1", "5.1.01" are not codes; "5.1.0" is).
//  2. Left: the start of the text, or the byte before C is not a letter, a
//     digit, '.', '_' or '/'. Codes: "#5.1.1", "(5.7.1)", "'5.7.1",
//     "550-5.1.1", ";5.1.1", ":5.1.1". Not: "v2.4.1", "[192.0.2.128]",
//     "::ffff:10.5.1.1", "x5.1.1", "Exim/4.1.2".
//  3. Right: the end of the text, or the byte after D is not a letter, a
//     digit or '_', nor a '.' followed by a digit. Codes: "5.1.1." (end of a
//     sentence), "5.1.1)", "5.1.1:", "5.1.1,". Not: "5.1.1a", "5.1.1.1",
//     "4.0.994.63".
//  4. Digit runs are taken whole, never cut: "4.4.22" is 4.4.22 and
//     "5.7.708" is 5.7.708; "5.1.1234" and "5.12.1" are nothing.
//
// Reply codes
//  5. Three digits, the first 2-5 and the second 0-5 (RFC 5321 §4.2), not
//     part of a longer run: "5502", "1550" are nothing.
//  6. Left: the start of the text, whitespace, or one of ; : ( [ < " ' # =
//     Codes: "smtp; 550", "smtp;550", "said: 550", "(550)". Not: "x550",
//     "-550", "2024-05-01".
//  7. Right: the end of the text, whitespace, one of ) ] > , ; : " ', a '.'
//     not followed by a digit ("550."), or '-' not followed by a digit
//     ("550-", "550-Mailbox") or followed by an enhanced code ("550-5.1.1").
//     Not: "555-550-1234", "550.5", "550a".
//  8. reply_match::enhanced is the enhanced code after exactly one ' ' or
//     '-': "550 5.1.1", "550-5.1.1"; not "550  5.1.1" or "550:5.1.1".
//
// Letters are the ASCII letters; whitespace is SP, HT, LF, VT, FF and CR;
// other bytes (UTF-8 included) are neither.
//
// How: the text is read 64 bytes at a time into bit masks (with SSE2 where
// the compiler targets it, else eight bytes at a time in a 64-bit word) of
// its '.' bytes, whose pairs two apart ("C.S.") mark candidate enhanced
// codes, and of its digits, whose runs of exactly three mark candidate reply
// codes. Only candidates are
// checked byte by byte. Nothing allocates, and nothing is read outside the
// text: the last partial block is copied into a zeroed one.
#ifndef SMTP_STATUS_EXTRACT_HPP
#define SMTP_STATUS_EXTRACT_HPP

#include <cstring>
#include <optional>
#include <type_traits>

#include "code.hpp"
#include "detail/bytes.hpp"
#include "parse.hpp"


namespace smtp_status {

struct enhanced_match {
  enhanced_code code;
  std::size_t offset; // of the class digit in the text
  std::size_t length; // characters of the code: "5.7.708" -> 7
};

struct reply_match {
  reply_code code;
  std::size_t offset;                     // of the first digit
  std::optional<enhanced_match> enhanced; // "550 5.1.1" / "550-5.1.1": the code right after it
};

namespace detail {

// Byte classes of the boundary rules, one bit each.
enum : std::uint8_t {
  byte_word = 1,         // letter, digit, '_': nothing of these may follow D
  byte_before_enh = 2,   // letter, digit, '.', '_', '/': nothing of these may precede C
  byte_before_reply = 4, // whitespace ; : ( [ < " ' # =
  byte_after_reply = 8,  // whitespace ) ] > , ; : " '
};

struct byte_class_table {
  std::uint8_t bits[256];
};

// Built from ranges and short lists, not by searching strings for each of
// the 256 bytes: the compiler evaluates this in every file that includes it.
constexpr byte_class_table make_byte_classes() noexcept {
  byte_class_table t{};
  const auto add = [&t](unsigned first, unsigned last, unsigned bits) {
    for (unsigned c = first; c <= last; ++c) t.bits[c] = static_cast<std::uint8_t>(t.bits[c] | bits);
  };
  const auto add_each = [&t](const char* set, unsigned bits) {
    for (; *set != 0; ++set) {
      const auto c = static_cast<unsigned char>(*set);
      t.bits[c] = static_cast<std::uint8_t>(t.bits[c] | bits);
    }
  };
  constexpr unsigned word = byte_word | byte_before_enh, blank = byte_before_reply | byte_after_reply;
  add('a', 'z', word);
  add('A', 'Z', word);
  add('0', '9', word);
  add_each("_", word);
  add_each("./", byte_before_enh);
  add('\t', '\r', blank);
  add_each(" ", blank);
  add_each(";:([<\"'#=", byte_before_reply);
  add_each(")]>,;:\"'", byte_after_reply);
  return t;
}

inline constexpr byte_class_table byte_classes = make_byte_classes();

constexpr bool in_class(char c, unsigned bits) noexcept {
  return (byte_classes.bits[static_cast<unsigned char>(c)] & bits) != 0;
}

// The enhanced code whose class digit is at t[s], by rules 1-4.
inline std::optional<enhanced_match> enhanced_at(const char* t, std::size_t n,
                                                 std::size_t s) noexcept {
  if (s > n || n - s < 5) return std::nullopt;
  const char c = t[s], sub = t[s + 2];
  if ((c != '2' && c != '4' && c != '5') || t[s + 1] != '.' || sub < '0' || sub > '7' ||
      t[s + 3] != '.')
    return std::nullopt;
  if (s != 0 && in_class(t[s - 1], byte_before_enh)) return std::nullopt;
  const std::size_t d = s + 4;
  std::size_t e = d;
  unsigned value = 0;
  // At most three digits: a fourth fails the right boundary below (rule 4).
  while (e < n && e - d < 3 && is_digit(t[e])) value = value * 10 + digit(t[e++]);
  if (e == d || (e - d > 1 && t[d] == '0')) return std::nullopt;
  if (e < n && (in_class(t[e], byte_word) || (t[e] == '.' && e + 1 < n && is_digit(t[e + 1]))))
    return std::nullopt;
  return enhanced_match{enhanced_code(static_cast<status_class>(digit(c)), digit(sub), value), s,
                        e - s};
}

// The reply code whose first digit is at t[s], by rules 5-8.
inline std::optional<reply_match> reply_at(const char* t, std::size_t n, std::size_t s) noexcept {
  if (s > n || n - s < 3) return std::nullopt;
  if (t[s] < '2' || t[s] > '5' || t[s + 1] < '0' || t[s + 1] > '5' || !is_digit(t[s + 2]))
    return std::nullopt;
  if (s != 0 && !in_class(t[s - 1], byte_before_reply)) return std::nullopt;
  const std::size_t e = s + 3;
  std::optional<enhanced_match> enhanced;
  if (e < n && (t[e] == ' ' || t[e] == '-')) enhanced = enhanced_at(t, n, e + 1);
  if (e < n && !enhanced && !in_class(t[e], byte_after_reply) &&
      !((t[e] == '.' || t[e] == '-') && !(e + 1 < n && is_digit(t[e + 1]))))
    return std::nullopt;
  return reply_match{reply_code(digit(t[s]) * 100 + digit(t[s + 1]) * 10 + digit(t[s + 2])), s,
                     enhanced};
}

// Which mask code to run; tests compare the two. Without SSE2, sse2 is scalar.
enum class scan_path : std::uint8_t { scalar, sse2 };
inline constexpr scan_path best_scan_path =
    SMTP_STATUS_HAS_SSE2 ? scan_path::sse2 : scan_path::scalar;

// Bit i: byte i of w is in [lo, hi] (ASCII). Per byte, the low seven bits
// plus 0x80 - v carry into the high bit iff they are >= v, and never into
// the next byte; the byte's own high bit must be clear.
inline unsigned byte_bits(std::uint64_t w, char lo, char hi) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101, high = ones * 0x80;
  const std::uint64_t low7 = w & ~high;
  const auto at_least = [&](unsigned v) { return (low7 + ones * (0x80 - v)) & high; };
  const std::uint64_t in =
      ~w & at_least(static_cast<unsigned>(lo)) & ~at_least(static_cast<unsigned>(hi) + 1) & high;
  // Gather the eight high bits into one byte: bit 8i + 7 lands on bit 56 + i.
  return static_cast<unsigned>((in >> 7) * 0x0102040810204080 >> 56);
}

// Bit i: byte i of the 64-byte block at p is C; with Nocase and C a
// lowercase letter, C in either case (a letter is its lowercase with bit 0x20
// cleared, and only the two cases of C have C's value with that bit set).
template <scan_path P, char C, bool Nocase = false>
inline std::uint64_t eq_bits(const char* p) noexcept {
  constexpr bool fold = Nocase && C >= 'a' && C <= 'z';
  std::uint64_t m = 0;
#if SMTP_STATUS_HAS_SSE2
  if constexpr (P == scan_path::sse2) {
    // Written out, not looped: constant shifts (g++ -O2 does not unroll).
    const bytes16 want = splat16(C), bit = splat16(fold ? 0x20 : 0);
    const auto bits = [&](std::size_t k) {
      const bytes16 v = load16(p + 16 * k);
      return std::uint64_t{mask16(eq16(fold ? or16(v, bit) : v, want))} << 16 * k;
    };
    return bits(0) | bits(1) | bits(2) | bits(3);
  }
#endif
  constexpr std::uint64_t bit = fold ? 0x2020202020202020 : 0;
  for (std::size_t k = 0; k < 8; ++k)
    m |= std::uint64_t{byte_bits(load8(p + 8 * k) | bit, C, C)} << 8 * k;
  return m;
}

// Bits of the block's digits and of its digits 2-5 (a reply code's first).
struct digit_masks {
  std::uint64_t digits, firsts;
};

template <scan_path P> inline digit_masks digit_bits(const char* p) noexcept {
  digit_masks m{0, 0};
#if SMTP_STATUS_HAS_SSE2
  if constexpr (P == scan_path::sse2) {
    // Shift the range to the bottom of the signed bytes, then one compare:
    // '0'..'9' + 0x50 = -128..-119, and nothing else lands there.
    const bytes16 to_digits = splat16(0x80 - '0'), ten = splat16(-128 + 10);
    const bytes16 to_firsts = splat16(0x80 - '2'), four = splat16(-128 + 4);
    const auto bits = [&](std::size_t k) {
      const bytes16 v = load16(p + 16 * k);
      const auto below = [&](bytes16 shift, bytes16 limit) {
        return std::uint64_t{mask16(lt16(add16(v, shift), limit))} << 16 * k;
      };
      m.digits |= below(to_digits, ten);
      m.firsts |= below(to_firsts, four);
    };
    bits(0);
    bits(1);
    bits(2);
    bits(3);
    return m;
  }
#endif
  for (std::size_t k = 0; k < 8; ++k) {
    const std::uint64_t w = load8(p + 8 * k);
    m.digits |= std::uint64_t{byte_bits(w, '0', '9')} << 8 * k;
    m.firsts |= std::uint64_t{byte_bits(w, '2', '5')} << 8 * k;
  }
  return m;
}

// on(base, block) for each 64 bytes of [t, t + n), then once for the 0-63
// bytes left, copied into a zeroed block: the masks never read past the text,
// and a run that ends the text ends inside a block. Stops when on is false.
template <class On> void for_each_block(const char* t, std::size_t n, On&& on) {
  std::size_t base = 0;
  for (; n - base >= 64; base += 64)
    if (!on(base, t + base)) return;
  char last[64] = {};
  if (n != base) std::memcpy(last, t + base, n - base);
  on(base, static_cast<const char*>(last));
}

template <class F, class M> bool report(F& f, const M& m) {
  if constexpr (std::is_void_v<std::invoke_result_t<F&, const M&>>) {
    f(m);
    return true;
  } else {
    return static_cast<bool>(f(m));
  }
}

template <scan_path P, class F>
void for_each_enhanced_code(std::string_view text, F&& f) noexcept(
    std::is_nothrow_invocable_v<F&, const enhanced_match&>) {
  const char* t = text.data();
  const std::size_t n = text.size();
  std::uint64_t before = 0; // the previous block's dots
  for_each_block(t, n, [&](std::size_t base, const char* block) {
    const std::uint64_t dots = eq_bits<P, '.'>(block);
    // Bit i: dots at i and i - 2, as in "C.S." with C at i - 3.
    std::uint64_t candidates = dots & (dots << 2 | before >> 62);
    before = dots;
    for (; candidates != 0; candidates &= candidates - 1) {
      const std::size_t dot = base + lowest_bit(candidates);
      if (dot < 3) continue;
      if (const auto m = enhanced_at(t, n, dot - 3))
        if (!report(f, *m)) return false;
    }
    return true;
  });
}

template <scan_path P, class F>
void for_each_reply_code(std::string_view text,
                         F&& f) noexcept(std::is_nothrow_invocable_v<F&, const reply_match&>) {
  const char* t = text.data();
  const std::size_t n = text.size();
  digit_masks before{0, 0};
  for_each_block(t, n, [&](std::size_t base, const char* block) {
    const digit_masks m = digit_bits<P>(block);
    const auto back = [](std::uint64_t now, std::uint64_t prev, unsigned k) {
      return now << k | prev >> (64 - k); // bit i: bit i - k, across the block boundary
    };
    // Bit i: byte i ends a run of exactly three digits whose first is 2-5
    // (byte i and byte i - 4 are not digits; the text's start is not one).
    std::uint64_t candidates = ~m.digits & back(m.digits, before.digits, 1) &
                               back(m.digits, before.digits, 2) & back(m.firsts, before.firsts, 3) &
                               ~back(m.digits, before.digits, 4);
    before = m;
    for (; candidates != 0; candidates &= candidates - 1) {
      const std::size_t end = base + lowest_bit(candidates);
      if (const auto r = reply_at(t, n, end - 3))
        if (!report(f, *r)) return false;
    }
    return true;
  });
}

} // namespace detail

// f(const enhanced_match&) returns void, or bool: false stops the scan.
template <class F>
void for_each_enhanced_code(std::string_view text, F&& f) noexcept(
    std::is_nothrow_invocable_v<F&, const enhanced_match&>) {
  detail::for_each_enhanced_code<detail::best_scan_path>(text, f);
}

// f(const reply_match&) returns void, or bool: false stops the scan.
template <class F>
void for_each_reply_code(std::string_view text,
                         F&& f) noexcept(std::is_nothrow_invocable_v<F&, const reply_match&>) {
  detail::for_each_reply_code<detail::best_scan_path>(text, f);
}

[[nodiscard]] inline std::optional<enhanced_match>
find_enhanced_code(std::string_view text) noexcept {
  std::optional<enhanced_match> first;
  for_each_enhanced_code(text, [&](const enhanced_match& m) noexcept {
    first = m;
    return false;
  });
  return first;
}

[[nodiscard]] inline std::optional<reply_match> find_reply_code(std::string_view text) noexcept {
  std::optional<reply_match> first;
  for_each_reply_code(text, [&](const reply_match& m) noexcept {
    first = m;
    return false;
  });
  return first;
}

} // namespace smtp_status

#endif
