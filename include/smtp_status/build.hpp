// smtp_status: build SMTP replies for the wire (RFC 5321 §4.2, RFC 2034 §4).
//
//   char buf[max_reply_line];
//   const build_result r = format_reply(buf, buf + sizeof buf, 550_reply, "5.1.1"_esc,
//                                       "User unknown");
//   // r.size == 25: "550 5.1.1 User unknown\r\n"
//
// Wire form. Every physical line is the three-digit reply code, then "-" on
// every line but the last and SP on the last (RFC 5321 §4.2.1), then, when
// there is an enhanced code, that code and one SP on EVERY line (RFC 2034 §4;
// RFC 2034 §3: the code "is always followed by one or more spaces"), then the
// text, then CRLF. The prefix is therefore the same on every line except for
// the "-"/SP, whether or not text follows it:
//
//   250-2.0.0 first\r\n      250-first\r\n
//   250 2.0.0 last\r\n       250 last\r\n
//   250 2.0.0 \r\n           250 \r\n          (no text: the SP is still sent)
//   250-2.0.0 \r\n           250-\r\n          (an empty line of text mid-reply)
//
// Lines. The text is one logical line (the string_view overloads) or several
// (the pointer + count and std::initializer_list overloads): each element
// starts a new physical line. No text (count 0, or an empty string) gives one
// line with no text. No physical line is longer than max_line octets,
// CRLF included (512 by default, RFC 5321 §4.5.3.1.5): a logical line that
// does not fit is wrapped. Rules:
//   - a line break replaces one space: the last space that lets the line fit;
//     everything else (runs of spaces, leading and trailing spaces, tabs, 8-bit
//     and UTF-8 bytes) is copied unchanged. So joining the physical lines of a
//     logical line with one SP gives the logical line back, and a word that
//     fits on a line is never split. (A run of spaces that straddles a break
//     can leave a physical line with no text.)
//   - a word longer than the room on a line is split hard, preferably before
//     a UTF-8 lead byte (never inside a well-formed UTF-8 sequence if one can
//     be avoided); its pieces join with nothing. So the output always fits.
//
// Errors; nothing is written on any error (the reply is checked and measured
// before a byte is written):
//   forbidden_character   CR, LF or NUL in a text (reply injection); `line` is
//                         the element of the input and `offset` the index in it
//   class_mismatch        enhanced code class != the reply's first digit
//                         (RFC 2034 §4); every 3xx reply with an enhanced code
//   line_limit_too_small  max_line cannot hold the prefix, one byte and CRLF
//   buffer_too_small      `size` is the number of bytes needed
//
// reply_status holds a checked pair: checked_status(550_reply, "5.1.1"_esc) is
// consteval in C++20 (a mismatch does not compile) and constexpr in C++17 (a
// mismatch does not compile in a constant expression and aborts at run time).
// format_reply checks the pair again, so a reply_status built by hand is safe.
#ifndef SMTP_STATUS_BUILD_HPP
#define SMTP_STATUS_BUILD_HPP

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <string_view>

#include "code.hpp"

namespace smtp_status {

// Octets in a reply line, reply code and CRLF included (RFC 5321 §4.5.3.1.5).
inline constexpr std::size_t max_reply_line = 512;

enum class build_error : std::uint8_t {
  none,
  buffer_too_small,     // the result's size is the number of bytes needed
  forbidden_character,  // CR, LF or NUL in a text; see line and offset
  class_mismatch,       // enhanced code class differs from the reply's first digit
  line_limit_too_small, // max_line cannot hold the prefix, one character and CRLF
};

// A short English message for an error: "text contains CR, LF or NUL".
[[nodiscard]] constexpr std::string_view to_string_view(build_error e) noexcept {
  switch (e) {
  case build_error::none: return "no error";
  case build_error::buffer_too_small: return "buffer too small";
  case build_error::forbidden_character: return "text contains CR, LF or NUL";
  case build_error::class_mismatch: return "enhanced code class differs from the reply code";
  case build_error::line_limit_too_small: return "line limit too small for the reply code";
  }
  return "invalid";
}

struct build_result {
  std::size_t size;   // bytes written; with buffer_too_small the bytes needed; else 0
  build_error error;  // build_error::none on success
  std::size_t offset; // forbidden_character: index of the character in its line; else 0
  std::size_t line;   // forbidden_character: index of that line in the input; else 0
  constexpr explicit operator bool() const noexcept { return error == build_error::none; }
};

// A reply's codes. Make one with checked_status() or make_status().
struct reply_status {
  reply_code code;
  bool has_enhanced;
  enhanced_code enhanced; // meaningful only if has_enhanced
};

namespace detail {
// Not constexpr: reaching it at compile time is the compile error, and the
// function's name is the message.
[[noreturn]] inline void reply_class_disagrees_with_enhanced_code() noexcept { std::abort(); }
} // namespace detail

// A reply code with an enhanced code of the same class (RFC 2034 §4).
// C++20: consteval, a mismatch does not compile. C++17: constexpr, a mismatch
// does not compile in a constant expression and aborts at run time.
[[nodiscard]] SMTP_STATUS_CONSTEVAL reply_status checked_status(reply_code r,
                                                                enhanced_code e) noexcept {
  if (r.first_digit() != e.class_digit()) detail::reply_class_disagrees_with_enhanced_code();
  return {r, true, e};
}

// A reply code without an enhanced code (3xx replies, greetings, EHLO).
[[nodiscard]] constexpr reply_status make_status(reply_code r) noexcept {
  return {r, false, enhanced_code{}};
}

namespace detail {

// Where the bytes go: counted, or written through an iterator.
struct count_sink {
  std::size_t size = 0;
  constexpr void put(char) noexcept { ++size; }
  constexpr void put(std::string_view s) noexcept { size += s.size(); }
};

template <class OutputIt> struct iterator_sink {
  OutputIt out;
  constexpr void put(char c) {
    *out = c;
    ++out;
  }
  constexpr void put(std::string_view s) {
    for (const char c : s) put(c);
  }
};

constexpr bool is_utf8_continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0u) == 0x80u;
}

// Bytes before the first break of `rest`, which is longer than `room`;
// `space` says whether the break replaces a space (else the word is split).
constexpr std::size_t break_at(std::string_view rest, std::size_t room, bool& space) noexcept {
  for (std::size_t i = room + 1; i-- > 0;) {
    if (rest[i] == ' ') {
      space = true;
      return i;
    }
  }
  space = false;
  std::size_t cut = room;
  while (cut > 0 && is_utf8_continuation(rest[cut])) --cut;
  return cut > 0 ? cut : room;
}

// Checks everything but the buffer; on success `room` is the text bytes per line.
constexpr build_result check_reply(const reply_status& s, const std::string_view* lines,
                                   std::size_t count, std::size_t max_line,
                                   std::size_t& room) noexcept {
  if (s.has_enhanced && s.code.first_digit() != s.enhanced.class_digit())
    return {0, build_error::class_mismatch, 0, 0};
  // "550-" [ "5.1.1 " ] + one character + CRLF
  const std::size_t prefix =
      reply_code_chars + 1 + (s.has_enhanced ? chars_needed(s.enhanced) + 1 : 0);
  if (max_line < prefix + 3) return {0, build_error::line_limit_too_small, 0, 0};
  room = max_line - prefix - 2;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string_view text = lines[i];
    for (std::size_t j = 0; j < text.size(); ++j)
      if (text[j] == '\r' || text[j] == '\n' || text[j] == '\0')
        return {0, build_error::forbidden_character, j, i};
  }
  return {0, build_error::none, 0, 0};
}

// The one routine that lays out a checked reply.
template <class Sink>
constexpr void emit_reply(Sink& sink, const reply_status& s, const std::string_view* lines,
                          std::size_t count, std::size_t room) {
  const code_chars code(s.code);
  const code_chars enhanced(s.enhanced);
  const auto physical_line = [&](std::string_view text, bool last) {
    sink.put(code.view());
    sink.put(last ? ' ' : '-');
    if (s.has_enhanced) {
      sink.put(enhanced.view());
      sink.put(' ');
    }
    sink.put(text);
    sink.put('\r');
    sink.put('\n');
  };
  if (count == 0) {
    physical_line({}, true);
    return;
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view rest = lines[i];
    while (rest.size() > room) {
      bool space = false;
      const std::size_t cut = break_at(rest, room, space);
      physical_line(rest.substr(0, cut), false);
      rest.remove_prefix(cut + (space ? 1 : 0));
    }
    physical_line(rest, i + 1 == count);
  }
}

// Checks and measures: `size` is the bytes the reply takes; `room` the text
// bytes per line.
constexpr build_result measure(const reply_status& s, const std::string_view* lines,
                               std::size_t count, std::size_t max_line,
                               std::size_t& room) noexcept {
  build_result r = check_reply(s, lines, count, max_line, room);
  if (!r) return r;
  count_sink counter;
  emit_reply(counter, s, lines, count, room);
  r.size = counter.size;
  return r;
}

// Check, measure, then write: nothing is written on error.
template <class OutputIt>
constexpr build_result build(OutputIt out, const std::size_t* capacity, const reply_status& s,
                             const std::string_view* lines, std::size_t count,
                             std::size_t max_line) {
  std::size_t room = 0;
  build_result r = measure(s, lines, count, max_line, room);
  if (!r) return r;
  if (capacity != nullptr && *capacity < r.size) {
    r.error = build_error::buffer_too_small;
    return r;
  }
  iterator_sink<OutputIt> writer{out};
  emit_reply(writer, s, lines, count, room);
  return r;
}

} // namespace detail

// ---- Into a buffer [first, last) -------------------------------------------

// Several lines: each element of [lines, lines + count) starts a new physical line.
[[nodiscard]] constexpr build_result format_reply(char* first, char* last, reply_status s,
                                                  const std::string_view* lines, std::size_t count,
                                                  std::size_t max_line = max_reply_line) noexcept {
  const std::ptrdiff_t space = last - first;
  const std::size_t capacity = space > 0 ? static_cast<std::size_t>(space) : 0;
  return detail::build(first, &capacity, s, lines, count, max_line);
}

[[nodiscard]] constexpr build_result format_reply(char* first, char* last, reply_status s,
                                                  std::initializer_list<std::string_view> lines,
                                                  std::size_t max_line = max_reply_line) noexcept {
  return format_reply(first, last, s, lines.begin(), lines.size(), max_line);
}

// One logical line of text.
[[nodiscard]] constexpr build_result format_reply(char* first, char* last, reply_status s,
                                                  std::string_view text,
                                                  std::size_t max_line = max_reply_line) noexcept {
  return format_reply(first, last, s, &text, 1, max_line);
}

[[nodiscard]] constexpr build_result format_reply(char* first, char* last, reply_code r,
                                                  std::string_view text,
                                                  std::size_t max_line = max_reply_line) noexcept {
  return format_reply(first, last, make_status(r), &text, 1, max_line);
}

// The pair is checked: class_mismatch if the classes differ.
[[nodiscard]] constexpr build_result format_reply(char* first, char* last, reply_code r,
                                                  enhanced_code e, std::string_view text,
                                                  std::size_t max_line = max_reply_line) noexcept {
  return format_reply(first, last, reply_status{r, true, e}, &text, 1, max_line);
}

// ---- Through an output iterator --------------------------------------------
// Checks and measures first: on error nothing is written. `size` is the
// number of characters written (never buffer_too_small); advance a
// random-access iterator by it to find the end. An iterator that throws (a
// std::back_inserter that cannot allocate) may leave part of the reply written.

template <class OutputIt>
[[nodiscard]] constexpr build_result
format_reply_to(OutputIt out, reply_status s, const std::string_view* lines, std::size_t count,
                std::size_t max_line = max_reply_line) {
  return detail::build(out, nullptr, s, lines, count, max_line);
}

template <class OutputIt>
[[nodiscard]] constexpr build_result format_reply_to(OutputIt out, reply_status s,
                                                     std::initializer_list<std::string_view> lines,
                                                     std::size_t max_line = max_reply_line) {
  return detail::build(out, nullptr, s, lines.begin(), lines.size(), max_line);
}

template <class OutputIt>
[[nodiscard]] constexpr build_result format_reply_to(OutputIt out, reply_status s,
                                                     std::string_view text,
                                                     std::size_t max_line = max_reply_line) {
  return detail::build(out, nullptr, s, &text, 1, max_line);
}

// ---- Size ------------------------------------------------------------------
// The bytes format_reply would write (`size`), or the error it would report.

[[nodiscard]] constexpr build_result reply_size(reply_status s, const std::string_view* lines,
                                                std::size_t count,
                                                std::size_t max_line = max_reply_line) noexcept {
  std::size_t room = 0;
  return detail::measure(s, lines, count, max_line, room);
}

[[nodiscard]] constexpr build_result reply_size(reply_status s,
                                                std::initializer_list<std::string_view> lines,
                                                std::size_t max_line = max_reply_line) noexcept {
  return reply_size(s, lines.begin(), lines.size(), max_line);
}

[[nodiscard]] constexpr build_result reply_size(reply_status s, std::string_view text,
                                                std::size_t max_line = max_reply_line) noexcept {
  return reply_size(s, &text, 1, max_line);
}

} // namespace smtp_status

#endif
