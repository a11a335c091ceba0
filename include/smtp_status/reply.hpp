// smtp_status: SMTP replies as read off the wire (RFC 5321 §4.2, RFC 2034).
//
//   Reply-line = *( Reply-code "-" [ textstring ] CRLF )
//                Reply-code [ SP textstring ] CRLF
//
// parse_reply() reads one complete reply from a buffer; reply_reader reads
// replies from a byte stream fed in any chunking. Neither allocates: a reply
// is a view of its bytes, and its lines are read from that view on demand.
//
// What is an error (the reply is rejected): a line that does not start with
// a reply code 200-599, a code followed by anything but SP, "-" or the line
// end, a code that differs between lines, a line or reply over the caller's
// limits, and (whole buffer only) input that ends before the final line.
// What is a warning (the reply is kept, the flag is set): enhanced codes that
// differ between lines, that appear on some lines only, or whose class
// disagrees with the reply code ("550 4.2.2"); bare LF line
// ends; control characters; 8-bit text, valid UTF-8 (SMTPUTF8) or not; a
// second digit outside 0-5.
#ifndef SMTP_STATUS_REPLY_HPP
#define SMTP_STATUS_REPLY_HPP

#include "detail/bytes.hpp"
#include "parse.hpp"

namespace smtp_status {

struct reply_limits {
  std::size_t max_line = 512; // octets per line including CRLF (RFC 5321 §4.5.3.1.5)
  std::size_t max_lines = 100;
};
// What real servers send: long lines and long EHLO or policy texts.
inline constexpr reply_limits lenient_reply_limits{8192, 1000};

enum class reply_error : std::uint8_t {
  none,
  incomplete,        // the input ends before the reply's final line
  missing_code,      // a line does not start with three digits
  invalid_code,      // three digits, but not 200-599
  invalid_separator, // the code is followed by something other than SP, "-" or the line end
  code_mismatch,     // a line's code differs from the first line's
  line_too_long,     // a line is longer than reply_limits::max_line
  too_many_lines,    // more lines than reply_limits::max_lines
  reply_too_large,   // the reply does not fit the reader's buffer (reply_reader only)
};

[[nodiscard]] constexpr std::string_view to_string_view(reply_error e) noexcept {
  switch (e) {
  case reply_error::none: return "no error";
  case reply_error::incomplete: return "input ends before the final line of the reply";
  case reply_error::missing_code: return "line does not start with a three-digit reply code";
  case reply_error::invalid_code: return "reply code out of range (200-599)";
  case reply_error::invalid_separator: return "reply code not followed by space, '-' or line end";
  case reply_error::code_mismatch: return "reply code differs from the first line's";
  case reply_error::line_too_long: return "line too long";
  case reply_error::too_many_lines: return "too many lines";
  case reply_error::reply_too_large: return "reply larger than the reader's buffer";
  }
  return "invalid";
}

// Flags: what was odd about a reply that was kept.
enum class reply_warning : std::uint16_t {
  bare_lf = 1,                // a line ends with LF alone, not CRLF
  enhanced_code_mismatch = 2, // lines carry different enhanced codes
  enhanced_code_missing = 4,  // some lines carry an enhanced code, others do not
  class_mismatch = 8,         // the enhanced code's class is not the reply's first digit
  utf8 = 16,                  // 8-bit text that is valid UTF-8 (SMTPUTF8)
  invalid_utf8 = 32,          // 8-bit text that is not UTF-8: kept as is
  control_characters = 64,    // control characters other than HT in the text (a bare CR)
  nonstandard_code = 128,     // second digit 6-9, outside RFC 5321's grammar
};

[[nodiscard]] constexpr std::string_view to_string_view(reply_warning w) noexcept {
  switch (w) {
  case reply_warning::bare_lf: return "bare_lf";
  case reply_warning::enhanced_code_mismatch: return "enhanced_code_mismatch";
  case reply_warning::enhanced_code_missing: return "enhanced_code_missing";
  case reply_warning::class_mismatch: return "class_mismatch";
  case reply_warning::utf8: return "utf8";
  case reply_warning::invalid_utf8: return "invalid_utf8";
  case reply_warning::control_characters: return "control_characters";
  case reply_warning::nonstandard_code: return "nonstandard_code";
  }
  return "invalid";
}

// One line of a reply, its codes stripped.
struct reply_line {
  std::string_view text; // after the code, separator and enhanced code; trailing SP/HT trimmed
  bool has_enhanced;
  enhanced_code enhanced; // meaningful only if has_enhanced
  bool last;              // the final line ("NNN " or a bare "NNN")
};

namespace detail {

constexpr bool is_digit3(std::string_view s) noexcept {
  return s.size() >= 3 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]);
}

// Strips an RFC 2034 enhanced code from the start of a line's text: the code
// (strict syntax) followed by white space or the end of the text.
constexpr bool take_enhanced(std::string_view& text, unsigned reply_first_digit,
                             enhanced_code& out) noexcept {
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  // Not on 3xx replies (RFC 2034 §4); at least "5.1.1". One test: whether a
  // line has a code is data, and a chain of branches mispredicts on it.
  const bool room = text.size() - i >= 5;
  const char c0 = room ? text[i] : '\0', c1 = room ? text[i + 1] : '\0';
  if (!((reply_first_digit != 3) & is_digit(c0) & (c1 == '.'))) return false;
  const char* first = text.data() + i;
  const char* last = text.data() + text.size();
  const from_chars_result r = from_chars(first, last, out);
  if (!r || (r.ptr != last && *r.ptr != ' ' && *r.ptr != '\t')) return false;
  const char* p = r.ptr;
  while (p != last && (*p == ' ' || *p == '\t')) ++p;
  text = std::string_view(p, static_cast<std::size_t>(last - p));
  return true;
}

constexpr std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Warnings from the bytes of a line's text: control characters and 8-bit
// bytes, checked as UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
constexpr std::uint16_t text_warnings(std::string_view s) noexcept {
  std::uint16_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7F)
        w |= static_cast<std::uint16_t>(reply_warning::control_characters);
      ++i;
      continue;
    }
    std::size_t n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    unsigned lo = 0x80, hi = 0xBF; // allowed range of the second byte
    if (c < 0xC2 || c > 0xF4)
      n = 0;
    else if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
    else if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
    bool ok = n != 0 && i + n < s.size();
    for (std::size_t k = 1; ok && k <= n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      ok = k == 1 ? b >= lo && b <= hi : b >= 0x80 && b <= 0xBF;
    }
    w |= static_cast<std::uint16_t>(ok ? reply_warning::utf8 : reply_warning::invalid_utf8);
    i += ok ? n + 1 : 1;
  }
  return w;
}

#if SMTP_STATUS_HAS_SSE2
// Bit i: byte i of the 64 bytes at p is not printable ASCII (signed: bytes
// >= 0x80 are below 0x20 too).
inline std::uint64_t unprintable_bits(const char* p) noexcept {
  const bytes16 space = splat16(0x20), del = splat16(0x7F);
  const auto bits = [&](std::size_t k) {
    const bytes16 v = load16(p + 16 * k);
    return std::uint64_t{mask16(or16(lt16(v, space), eq16(v, del)))};
  };
  return bits(0) | bits(1) << 16 | bits(2) << 32 | bits(3) << 48;
}
#endif

// The first byte at or after i that is not printable ASCII (0x20-0x7E), or
// in.size(). A block at a time: one pass, and one test for most lines.
constexpr std::size_t first_unprintable(std::string_view in, std::size_t i) noexcept {
  if (!constant_evaluated()) {
#if SMTP_STATUS_HAS_SSE2
    for (; in.size() - i >= 64; i += 64)
      if (const std::uint64_t m = unprintable_bits(in.data() + i)) return i + lowest_bit(m);
#endif
    // A byte's high bit is set in w (>= 0x80), in w + 1 (0x7F) or not in
    // w + 0x60 (< 0x20); a carry only leaves a byte that is flagged itself,
    // so the lowest flag is exact.
    constexpr std::uint64_t ones = 0x0101010101010101, high = ones * 0x80;
    for (; in.size() - i >= 8; i += 8) {
      const std::uint64_t w = load8(in.data() + i);
      const std::uint64_t m = (w | (w + ones) | ~(w + ones * 0x60)) & high;
      if (m != 0) return i + lowest_bit(m) / 8;
    }
  }
  while (i < in.size() && in[i] >= 0x20 && in[i] < 0x7F) ++i;
  return i;
}

// One physical line at input[pos]: where it ends and what it holds.
struct raw_line {
  std::size_t end;       // one past the LF; npos if there is no LF yet
  std::string_view body; // without the line end
  bool bare_lf;          // ended by LF without CR
  bool plain;            // body is printable ASCII and HT only: no text warning
};

// One pass finds the LF and tells whether the text needs text_warnings():
// the usual line is printable ASCII, and is then read once.
constexpr raw_line next_line(std::string_view input, std::size_t pos) noexcept {
  const char* const data = input.data();
  const std::size_t size = input.size();
  for (std::size_t i = pos;; ++i) {
    i = first_unprintable(input, i);
    if (i == size) return {std::string_view::npos, {data + pos, size - pos}, false, true};
    if (data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')
      return {i + 2, {data + pos, i - pos}, false, true};
    if (data[i] == '\n') return {i + 1, {data + pos, i - pos}, true, true};
    if (data[i] == '\t') continue;
    // Not plain: text_warnings() will tell what; only the LF matters here.
    const std::size_t lf = input.find('\n', i);
    if (lf == std::string_view::npos)
      return {std::string_view::npos, {data + pos, size - pos}, false, false};
    const bool cr = data[lf - 1] == '\r';
    return {lf + 1, {data + pos, lf - pos - (cr ? 1 : 0)}, !cr, false};
  }
}

// A line's text without the code and separator (body has >= 3 digits).
constexpr std::string_view after_code(std::string_view body) noexcept {
  return body.size() > 4 ? body.substr(4) : std::string_view();
}

constexpr bool is_final(std::string_view body) noexcept {
  return body.size() == 3 || body[3] != '-';
}

} // namespace detail

// The lines of a reply, read from its bytes on demand.
class reply_lines {
public:
  class iterator {
  public:
    using value_type = reply_line;
    using difference_type = std::ptrdiff_t;
    constexpr iterator() noexcept = default;
    constexpr iterator(std::string_view raw, std::size_t pos) noexcept : raw_(raw), pos_(pos) {}
    [[nodiscard]] constexpr reply_line operator*() const noexcept {
      const detail::raw_line l = detail::next_line(raw_, pos_);
      reply_line out{detail::after_code(l.body), false, {}, detail::is_final(l.body)};
      out.has_enhanced = detail::take_enhanced(out.text, detail::digit(l.body[0]), out.enhanced);
      out.text = detail::trim_right(out.text);
      return out;
    }
    constexpr iterator& operator++() noexcept {
      const std::size_t end = detail::next_line(raw_, pos_).end;
      pos_ = end == std::string_view::npos ? raw_.size() : end;
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.pos_ == b.pos_;
    }
    friend constexpr bool operator!=(const iterator& a, const iterator& b) noexcept {
      return a.pos_ != b.pos_;
    }

  private:
    std::string_view raw_;
    std::size_t pos_ = 0;
  };

  constexpr explicit reply_lines(std::string_view raw) noexcept : raw_(raw) {}
  [[nodiscard]] constexpr iterator begin() const noexcept { return {raw_, 0}; }
  [[nodiscard]] constexpr iterator end() const noexcept { return {raw_, raw_.size()}; }

private:
  std::string_view raw_;
};

struct reply {
  reply_code code;
  bool has_enhanced = false;
  enhanced_code enhanced; // the first line's enhanced code; meaningful only if has_enhanced
  std::uint16_t warnings = 0;
  std::size_t line_count = 0;
  std::string_view raw; // every byte of the reply, line ends included

  [[nodiscard]] constexpr bool has(reply_warning w) const noexcept {
    return (warnings & static_cast<std::uint16_t>(w)) != 0;
  }
  [[nodiscard]] constexpr reply_lines lines() const noexcept { return reply_lines(raw); }
};

struct reply_result {
  reply value; // the reply; on error, what was read of it before the error
  reply_error error = reply_error::none;
  std::size_t offset = 0;   // where the error is, from the start of the input
  std::size_t consumed = 0; // bytes of the reply; on error, through the end of the bad line
  constexpr explicit operator bool() const noexcept { return error == reply_error::none; }
};

// Reads the reply at the start of `input`. Pipelined replies (RFC 2920):
// call again on input.substr(result.consumed).
[[nodiscard]] constexpr reply_result parse_reply(std::string_view input,
                                                 reply_limits limits = {}) noexcept {
  reply_result r;
  std::size_t pos = 0, with_enhanced = 0;
  const auto fail = [&](reply_error e, std::size_t at, std::size_t line_end) {
    r.error = e;
    r.offset = at;
    r.consumed = line_end == std::string_view::npos ? input.size() : line_end;
    return r;
  };
  for (;;) {
    const std::size_t start = pos;
    const detail::raw_line l = detail::next_line(input, pos);
    const std::size_t length = (l.end == std::string_view::npos ? input.size() : l.end) - start;
    if (length > limits.max_line) return fail(reply_error::line_too_long, start, l.end);
    if (l.end == std::string_view::npos) return fail(reply_error::incomplete, input.size(), l.end);
    if (!detail::is_digit3(l.body)) return fail(reply_error::missing_code, start, l.end);
    const unsigned value =
        detail::digit(l.body[0]) * 100 + detail::digit(l.body[1]) * 10 + detail::digit(l.body[2]);
    if (!reply_code::valid(value)) return fail(reply_error::invalid_code, start, l.end);
    const char separator = l.body.size() > 3 ? l.body[3] : ' ';
    if ((separator != ' ') & (separator != '-')) // one test, rarely true
      return fail(reply_error::invalid_separator, start + 3, l.end);
    if (r.value.line_count == 0) {
      r.value.code = reply_code(value);
      if (l.body[1] > '5')
        r.value.warnings |= static_cast<std::uint16_t>(reply_warning::nonstandard_code);
    } else if (value != r.value.code.value()) {
      return fail(reply_error::code_mismatch, start, l.end);
    }
    if (++r.value.line_count > limits.max_lines)
      return fail(reply_error::too_many_lines, start, l.end);
    std::uint16_t w = l.bare_lf ? static_cast<std::uint16_t>(reply_warning::bare_lf) : 0;
    std::string_view text = detail::after_code(l.body);
    enhanced_code e;
    if (detail::take_enhanced(text, r.value.code.first_digit(), e)) {
      if (with_enhanced++ == 0) {
        r.value.has_enhanced = true;
        r.value.enhanced = e;
        if (e.class_digit() != r.value.code.first_digit())
          w |= static_cast<std::uint16_t>(reply_warning::class_mismatch);
      } else if (e != r.value.enhanced) {
        w |= static_cast<std::uint16_t>(reply_warning::enhanced_code_mismatch);
      }
    }
    if (!l.plain) w |= detail::text_warnings(text);
    r.value.warnings |= w;
    pos = l.end;
    if (separator != '-') break;
  }
  if (with_enhanced != 0 && with_enhanced != r.value.line_count)
    r.value.warnings |= static_cast<std::uint16_t>(reply_warning::enhanced_code_missing);
  r.value.raw = input.substr(0, pos);
  r.consumed = pos;
  return r;
}

enum class read_status : std::uint8_t {
  need_more, // every byte given was taken; feed more
  reply,     // a reply is complete: result() holds it
  error,     // a reply was rejected: result() says why; reading goes on after the bad line
};

struct read_result {
  read_status status;
  std::size_t consumed; // bytes of the chunk taken; feed the rest again
};

// Reads replies from a byte stream. The caller gives the buffer that holds
// the reply being read; a reply that does not fit, or breaks the limits, is
// an error, so a hostile server cannot make the client grow without bound.
//
//   char buf[16384];
//   smtp_status::reply_reader reader(buf, sizeof buf);
//   while (!chunk.empty()) {
//     auto [status, used] = reader.feed(chunk);
//     chunk.remove_prefix(used);
//     if (status == read_status::reply) use(reader.result().value);
//   }
//
// A result's views point into the buffer: valid until the next feed().
class reply_reader {
public:
  constexpr reply_reader(char* buffer, std::size_t size, reply_limits limits = {}) noexcept
      : buf_(buffer), cap_(size), limits_(limits) {}

  [[nodiscard]] constexpr read_result feed(std::string_view chunk) noexcept {
    if (done_) start_reply();
    std::size_t i = 0;
    while (i < chunk.size()) {
      const std::size_t lf = chunk.find('\n', i);
      const std::size_t end = lf == std::string_view::npos ? chunk.size() : lf + 1;
      if (skipping_) { // the rest of a line already reported as bad
        i = end;
        if (lf != std::string_view::npos) {
          skipping_ = false;
          start_reply();
        }
        continue;
      }
      // Take the line (or what has come of it) unless it breaks a limit; the
      // error is reported at the byte where reading one by one would see it.
      const std::size_t n = end - i;
      const std::size_t room_buf = cap_ - size_;
      const std::size_t room_line = limits_.max_line - (size_ - line_start_);
      if (n > room_buf || n > room_line) {
        const bool full = room_buf <= room_line;
        const std::size_t taken = full ? room_buf : room_line + 1;
        append(chunk.data() + i, taken);
        const std::size_t at = full ? i + room_buf : i + room_line;
        return finish_error(full ? reply_error::reply_too_large : reply_error::line_too_long,
                            full ? size_ : line_start_, at + 1, chunk[at] != '\n');
      }
      append(chunk.data() + i, n);
      i = end;
      if (lf == std::string_view::npos) break;
      const std::string_view body = detail::next_line(view(), line_start_).body;
      line_start_ = size_;
      if (!continues(body) || lines_ == limits_.max_lines) {
        // the reply ends here, or is bad: the whole-buffer parser decides
        result_ = parse_reply(view(), limits_);
        done_ = true;
        return {result_ ? read_status::reply : read_status::error, i};
      }
      ++lines_;
    }
    return {read_status::need_more, i};
  }

  // The last reply or error; views valid until the next feed().
  [[nodiscard]] constexpr const reply_result& result() const noexcept { return result_; }
  // Bytes held of a reply not yet complete.
  [[nodiscard]] constexpr std::size_t buffered() const noexcept { return done_ ? 0 : size_; }

  constexpr void reset() noexcept {
    start_reply();
    skipping_ = false;
  }

private:
  constexpr std::string_view view() const noexcept { return {buf_, size_}; }
  constexpr void append(const char* src, std::size_t n) noexcept {
    char* dst = buf_ + size_; // locals: a char store could alias the members
    if (detail::constant_evaluated())
      for (std::size_t k = 0; k < n; ++k) dst[k] = src[k];
    else if (n != 0)
      std::memcpy(dst, src, n);
    size_ += n;
  }
  // A well-formed "NNN-" line with the first line's code: the reply goes on.
  constexpr bool continues(std::string_view body) const noexcept {
    if (!detail::is_digit3(body) || body.size() < 4 || body[3] != '-') return false;
    if (lines_ == 0) return body[0] >= '2' && body[0] <= '5';
    return body.substr(0, 3) == std::string_view(buf_, 3);
  }
  constexpr void start_reply() noexcept {
    size_ = line_start_ = lines_ = 0;
    done_ = false;
  }
  constexpr read_result finish_error(reply_error e, std::size_t offset, std::size_t consumed,
                                     bool skip_rest_of_line) noexcept {
    result_ = reply_result{};
    result_.error = e;
    result_.offset = offset;
    result_.consumed = size_;
    done_ = true;
    skipping_ = skip_rest_of_line;
    return {read_status::error, consumed};
  }

  char* buf_;
  std::size_t cap_;
  reply_limits limits_;
  std::size_t size_ = 0, line_start_ = 0, lines_ = 0;
  bool done_ = false, skipping_ = false;
  reply_result result_{};
};

} // namespace smtp_status

#endif
