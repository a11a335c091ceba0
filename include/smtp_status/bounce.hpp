// smtp_status: whole bounce messages. Finds the delivery-status report in a
// message (RFC 5322 + MIME, RFC 3462 multipart/report, RFC 3464), or else the
// free text of the bounce, and gives one record per recipient with the most
// specific real status, where it came from, and its bounce kind and reason.
//
// The message walk. Header fields may be folded. Content-Type's boundary
// splits multipart bodies (RFC 2046 §5.1.1); a part without headers is
// text/plain. base64 and quoted-printable bodies are decoded into the
// caller's scratch buffer (a buffer as large as the message always suffices;
// a part that does not fit is skipped and `truncated` set). The first
// message/delivery-status (or message/global-delivery-status) part in
// depth-first order is the report; message/rfc822 parts are entered only
// until a report is found (a forwarded bounce is found, the returned original
// message is not read). Nesting deeper than `max_mime_depth` is not entered.
// The report's text is the first text/plain part beside it, else the first
// text/plain part of the message.
//
// Each recipient group of the report (dsn.hpp) gives a record:
//   1. S is its Status code, D the first code in its Diagnostic-Code: a
//      reply code with an enhanced code after it ("550 5.1.1"), else an
//      enhanced code, else a reply code. While the recipient failed or was
//      delayed, class-2 codes (a greeting, "250 2.0.0" of a transcript) are
//      never taken.
//   2. D's reply code disagrees in class with S ("421 4.7.0" under Status
//      5.0.0): the diagnostic wins, source diagnostic-code.
//   3. S missing or generic (X.y.0) and D has a specific code of S's class:
//      D's, source diagnostic-code.
//   4. Still generic, and the text's block for this recipient (below) has a
//      specific code of S's class: that one, source text.
//   5. Otherwise S, source delivery-status (S missing: D's enhanced code).
//   The reply code is D's, else that of the recipient's text block.
//
// Free text, where there is no report, and only in a message that says it is
// a bounce (null Return-Path, a mailer-daemon or postmaster sender,
// X-Failed-Recipients, multipart/report, or a bounce's Subject, on the
// message or a forwarded one). The text ends where the returned message
// starts (a line beginning "Received:" or "Return-Path:", or containing "copy
// of the message", "copy of the original", "original message follows" or
// "original message headers"). A recipient block starts at a line whose
// first token is an address, bare or in <>, followed by nothing, ':' or
// "..." and the rest of the line (Postfix "<u@x>: host ... said: 550 5.1.1",
// qmail "<u@x>:", Exim "  u@x", Sendmail "<u@x>... User unknown"); the same
// address again continues the block, and an address given in one of the 16
// records before is not given again. A block's status is its first failure
// reply code with an enhanced code after it, else its first failure enhanced
// code, else its first failure reply code. A block with no code is a record
// only if X-Failed-Recipients lists it or the phrase table knows its words
// (Exim's "Unrouteable address", "retry timeout exceeded"); the list is
// searched from the address last found in it, round its end at most
// 8 + 65536 / (list length) times in all: lists in the text's order are
// always exact, lists in another order up to about 60 addresses, and any list
// costs linear time. With no blocks, each address of X-Failed-Recipients gets
// the first failure code of the whole text.
//
// Classification: classify.hpp on the chosen codes; where they leave the
// reason undefined, the phrase table on the diagnostic (or the block). With
// no code at all the Action gives the class (failed 5, delayed 4).
//
// Everything is a view into the message or the scratch buffer; nothing
// allocates; every loop is bounded by the input's length (times the MIME
// depth for the walk).
#ifndef SMTP_STATUS_BOUNCE_HPP
#define SMTP_STATUS_BOUNCE_HPP

#include <cstring>
#include <utility>

#include "classify.hpp"
#include "dsn.hpp"
#include "extract.hpp"

namespace smtp_status {

enum class status_source : std::uint8_t { delivery_status, diagnostic_code, text };

[[nodiscard]] constexpr std::string_view to_string_view(status_source s) noexcept {
  switch (s) {
  case status_source::delivery_status: return "delivery-status";
  case status_source::diagnostic_code: return "diagnostic-code";
  case status_source::text: return "text";
  }
  return "invalid";
}

struct bounce_recipient {
  std::string_view recipient;          // the address; empty if a report's group names none
  std::string_view action;             // the DSN's Action, else "failed" / "delayed"
  std::optional<enhanced_code> status; // the chosen enhanced code
  std::optional<reply_code> reply;     // the reply code that came with it
  std::string_view diagnostic;         // DSN Diagnostic-Code (may be folded) or the code's line
  status_source source = status_source::delivery_status;
  bounce_class classification{bounce_kind::soft, bounce_reason::undefined};
};

struct bounce_scan_result {
  std::size_t recipients = 0;   // records passed to the callback
  bool delivery_status = false; // the records came from a delivery-status report
  bool truncated = false;       // an encoded part did not fit the scratch buffer
};

inline constexpr unsigned max_mime_depth = 16;

namespace detail {

constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

// Lines of a text: each without its LF or CRLF.
struct line_cursor {
  std::string_view text;
  std::size_t pos = 0;
  bool done() const noexcept { return pos >= text.size(); }
  // The next line, and where it started.
  std::string_view next(std::size_t& start) noexcept {
    start = pos;
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    const std::size_t end =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    pos = nl ? end + 1 : end;
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
};

// A short byte pattern: 0 matches any byte; with Nocase, letters match in
// either case.
template <bool Nocase, char... C> struct byte_pattern {};
template <char... C> using pattern = byte_pattern<false, C...>;
template <char... C> using pattern_nocase = byte_pattern<true, C...>;

// Where a pattern ends, a 64-byte block at a time (for_each_block of
// extract.hpp): bit i of next(block) says the pattern's last byte is byte i,
// for matches that start in an earlier block too.
template <class P> struct pattern_ends;
template <bool Nocase, char... C> struct pattern_ends<byte_pattern<Nocase, C...>> {
  std::uint64_t before[sizeof...(C)] = {}; // each byte's bits in the previous block

  std::uint64_t next(const char* block) noexcept {
    return next(block, std::make_index_sequence<sizeof...(C)>{});
  }

private:
  template <std::size_t... J>
  std::uint64_t next(const char* block, std::index_sequence<J...>) noexcept {
    return (~std::uint64_t{0} & ... & ends<J, C>(block));
  }
  // Bit i: byte i - k is B, where B is the pattern's byte J, k bytes before its last.
  template <std::size_t J, char B> std::uint64_t ends(const char* block) noexcept {
    if constexpr (B == 0) {
      return ~std::uint64_t{0};
    } else {
      constexpr unsigned k = sizeof...(C) - 1 - J;
      const std::uint64_t m = eq_bits<best_scan_path, B, Nocase>(block);
      std::uint64_t shifted = m;
      if constexpr (k > 0) shifted = m << k | before[J] >> (64 - k);
      before[J] = m;
      return shifted;
    }
  }
};

// Calls on(i), in order, for each i where one of the patterns P may end in
// text, until on returns false. Where lines of a kind are rare, this finds
// them without visiting every line: it reads the text at memchr-like speed,
// and on checks each candidate.
template <class... P, class On> void for_each_pattern_end(std::string_view text, On&& on) {
  struct : pattern_ends<P>... {
  } ends; // each pattern's state (the patterns differ)
  for_each_block(text.data(), text.size(), [&](std::size_t base, const char* block) {
    std::uint64_t m = (std::uint64_t{0} | ... | static_cast<pattern_ends<P>&>(ends).next(block));
    for (; m != 0; m &= m - 1) // the zeros after the text end no pattern
      if (!on(base + lowest_bit(m))) return false;
    return true;
  });
}

// The header fields the walk reads, raw (possibly folded) and trimmed; the
// first of each counts.
struct header_info {
  std::string_view content_type, transfer_encoding, return_path, from, subject, failed_recipients;
};

// A message or part: its header's fields and the body after the header's
// empty line. No empty line: all header (a part that starts with the empty
// line has no header). One pass over the header.
struct entity {
  header_info header;
  std::string_view body;
};

inline entity read_entity(std::string_view s) noexcept {
  entity e;
  header_info& h = e.header;
  std::string_view* field = nullptr; // the field being read, and where its value starts
  std::size_t value = 0;
  const auto close = [&](std::size_t end) {
    if (field) *field = trim(s.substr(value, end - value));
    field = nullptr;
  };
  using sv = std::string_view;
  line_cursor lines{s};
  while (!lines.done()) {
    std::size_t start = 0;
    const std::string_view line = lines.next(start);
    if (!line.empty() && is_wsp(line[0])) continue; // a continuation line
    close(start);
    if (line.empty()) {
      e.body = s.substr(lines.pos);
      return e;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
    for (auto [known, slot] : {std::pair{sv("content-type"), &h.content_type},
                               {sv("content-transfer-encoding"), &h.transfer_encoding},
                               {sv("return-path"), &h.return_path},
                               {sv("from"), &h.from},
                               {sv("subject"), &h.subject},
                               {sv("x-failed-recipients"), &h.failed_recipients}})
      if (slot->empty() && equals_nocase(name, known)) {
        field = slot;
        value = start + colon + 1;
        break;
      }
  }
  close(s.size());
  return e;
}

// Content-Type: "type/subtype" lowercased into a small buffer would need
// room; compare in place instead.
struct content_type {
  std::string_view type;     // "multipart/report", as written (compare with equals_nocase)
  std::string_view boundary; // unquoted
};

inline content_type parse_content_type(std::string_view v) noexcept {
  content_type ct;
  std::size_t i = 0;
  while (i < v.size() && v[i] != ';') ++i;
  ct.type = trim(v.substr(0, i));
  while (i < v.size()) { // parameters: ; name = value | "quoted"
    ++i;
    while (i < v.size() && is_space(v[i])) ++i;
    const std::size_t name = i;
    while (i < v.size() && v[i] != '=' && v[i] != ';') ++i;
    const std::string_view key = trim(v.substr(name, i - name));
    if (i >= v.size() || v[i] == ';') continue;
    ++i; // '='
    while (i < v.size() && is_space(v[i])) ++i;
    std::string_view value;
    if (i < v.size() && v[i] == '"') {
      const std::size_t open = ++i;
      while (i < v.size() && v[i] != '"') i += v[i] == '\\' && i + 1 < v.size() ? 2u : 1u;
      value = v.substr(open, (i < v.size() ? i : v.size()) - open);
      while (i < v.size() && v[i] != ';') ++i;
    } else {
      const std::size_t open = i;
      while (i < v.size() && v[i] != ';' && !is_space(v[i])) ++i;
      value = v.substr(open, i - open);
      while (i < v.size() && v[i] != ';') ++i;
    }
    if (equals_nocase(key, "boundary") && ct.boundary.empty()) ct.boundary = value;
  }
  return ct;
}

enum class transfer_encoding : std::uint8_t { identity, base64, quoted_printable };

inline transfer_encoding encoding_of(const header_info& h) noexcept {
  const std::string_view v = h.transfer_encoding;
  if (equals_nocase(v, "base64")) return transfer_encoding::base64;
  if (equals_nocase(v, "quoted-printable")) return transfer_encoding::quoted_printable;
  return transfer_encoding::identity;
}

constexpr int hex_value(char c) noexcept {
  return c >= '0' && c <= '9'   ? c - '0'
         : c >= 'A' && c <= 'F' ? c - 'A' + 10
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                : -1;
}

constexpr int base64_value(char c) noexcept {
  return c >= 'A' && c <= 'Z'   ? c - 'A'
         : c >= 'a' && c <= 'z' ? c - 'a' + 26
         : c >= '0' && c <= '9' ? c - '0' + 52
         : c == '+'             ? 62
         : c == '/'             ? 63
                                : -1;
}

// Decoders write at most in.size() bytes; they skip what is not part of
// the encoding (line breaks, junk) rather than fail.
inline std::size_t decode_base64(std::string_view in, char* out) noexcept {
  std::size_t n = 0;
  unsigned acc = 0, bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int v = base64_value(c);
    if (v < 0) continue;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = static_cast<char>((acc >> bits) & 0xFFu);
    }
  }
  return n;
}

inline std::size_t decode_quoted_printable(std::string_view in, char* out) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '=') {
      out[n++] = in[i];
      continue;
    }
    std::size_t j = i + 1; // a soft line break: "=" [WSP] CRLF
    while (j < in.size() && is_wsp(in[j])) ++j;
    if (j < in.size() && in[j] == '\r') ++j;
    if (j < in.size() && in[j] == '\n') {
      i = j;
    } else if (i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out[n++] = static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      i += 2;
    } else if (j >= in.size()) {
      i = j; // "=" at the very end
    } else {
      out[n++] = '=';
    }
  }
  return n;
}

// A part's body as found, before decoding.
struct part_ref {
  std::string_view body;
  transfer_encoding encoding = transfer_encoding::identity;
  bool found = false;
};

// Whether a message header says it is a bounce: the null reverse path, a
// mailer-daemon or postmaster sender, X-Failed-Recipients, a report, or a
// bounce's subject. Free text is read only from such messages.
inline bool says_bounce(const header_info& h) noexcept {
  if (h.return_path == "<>" || !h.failed_recipients.empty() ||
      starts_with_nocase(h.content_type, "multipart/report") ||
      contains_nocase(h.from, "mailer-daemon") || contains_nocase(h.from, "postmaster"))
    return true;
  const std::string_view subject = h.subject;
  for (std::string_view word : {"undeliver", "delivery status notification", "failure notice",
                                "returned mail", "delivery failure", "delivery failed",
                                "not delivered", "delivery has failed", "delivery delayed",
                                "delayed mail", "non-delivery", "could not be delivered", "bounce"})
    if (contains_nocase(subject, word)) return true;
  return false;
}

// What the walk looks for.
struct walk_state {
  part_ref report;      // the delivery-status part
  part_ref report_text; // the text/plain part beside it
  part_ref first_text;  // the first text/plain part anywhere
  std::string_view failed_recipients; // X-Failed-Recipients of the outermost message
  bool bounce = false;                // some message header says_bounce()
};

inline bool is_text_plain(std::string_view type) noexcept {
  return type.empty() || equals_nocase(type, "text/plain");
}

inline void walk_entity(const header_info& h, std::string_view body, unsigned depth,
                        walk_state& st) noexcept;

// The parts of a multipart body, in order, to f(part). Only lines that
// start with "--" can be delimiters, and only those are read.
template <class F> void for_each_part(std::string_view body, std::string_view boundary, F&& f) {
  if (boundary.empty() || body.empty()) return;
  std::size_t part_start = 0;
  bool in_part = false, closed = false;
  const auto delimiter = [&](std::size_t start) { // false once the close delimiter is read
    line_cursor lines{body, start};
    const std::string_view line = lines.next(start);
    if (line.size() < boundary.size() + 2 || line[0] != '-' || line[1] != '-' ||
        line.substr(2, boundary.size()) != boundary)
      return true;
    const std::string_view rest = line.substr(2 + boundary.size());
    const bool close = rest.size() >= 2 && rest[0] == '-' && rest[1] == '-';
    if (!close && !trim(rest).empty()) return true; // a longer boundary that starts the same
    if (in_part) { // the part ends before the line break that precedes the delimiter
      std::size_t end = start;
      if (end > part_start && body[end - 1] == '\n') --end;
      if (end > part_start && body[end - 1] == '\r') --end;
      f(body.substr(part_start, end - part_start));
    }
    closed = close;
    in_part = true;
    part_start = lines.pos;
    return !close;
  };
  if (delimiter(0))
    for_each_pattern_end<pattern<'\n', '-', '-'>>(
        body, [&](std::size_t end) { return delimiter(end - 1); });
  if (in_part && !closed)
    f(body.substr(part_start)); // no close delimiter: the rest is the last part
}

inline void walk_entity(const header_info& h, std::string_view body, unsigned depth,
                        walk_state& st) noexcept {
  if (depth > max_mime_depth) return;
  const content_type ct = parse_content_type(h.content_type);
  if (starts_with_nocase(ct.type, "multipart/")) {
    const part_ref before = st.report;
    part_ref text_here;
    for_each_part(body, ct.boundary, [&](std::string_view part) {
      const entity e = read_entity(part);
      if (is_text_plain(parse_content_type(e.header.content_type).type) && !text_here.found)
        text_here = {e.body, encoding_of(e.header), true};
      walk_entity(e.header, e.body, depth + 1, st);
    });
    if (!before.found && st.report.found && !st.report_text.found && text_here.found)
      st.report_text = text_here;
  } else if (equals_nocase(ct.type, "message/delivery-status") ||
             equals_nocase(ct.type, "message/global-delivery-status")) {
    if (!st.report.found) st.report = {body, encoding_of(h), true};
  } else if (equals_nocase(ct.type, "message/rfc822") || equals_nocase(ct.type, "message/global")) {
    if (st.report.found) return; // the returned original message
    const entity e = read_entity(body);
    st.bounce = st.bounce || says_bounce(e.header);
    walk_entity(e.header, e.body, depth + 1, st);
  } else if (is_text_plain(ct.type) && !st.first_text.found) {
    st.first_text = {body, encoding_of(h), true};
  }
}

// Bump allocation in the caller's scratch buffer.
struct scratch_buffer {
  char* data;
  std::size_t size, used = 0;
  bool truncated = false;

  // The part's decoded body: a view of the message, or of the scratch buffer.
  std::string_view decode(const part_ref& p) noexcept {
    if (!p.found) return {};
    if (p.encoding == transfer_encoding::identity) return p.body;
    if (p.body.size() > size - used) {
      truncated = true;
      return {};
    }
    char* out = data + used;
    const std::size_t n = p.encoding == transfer_encoding::base64
                              ? decode_base64(p.body, out)
                              : decode_quoted_printable(p.body, out);
    used += n;
    return {out, n};
  }
};

// ---- Free text ---------------------------------------------------------

constexpr bool is_address_char(char c) noexcept {
  return c > ' ' && c != '<' && c != '>' && c != '(' && c != ')' && c != '[' && c != ']' &&
         c != ',' && c != ';' && c != ':' && c != '"' && c != '\x7f';
}

// The address a line starts with (see the top comment), or empty.
constexpr std::string_view leading_address(std::string_view line) noexcept {
  std::size_t i = 0;
  while (i < line.size() && is_wsp(line[i])) ++i;
  const bool angle = i < line.size() && line[i] == '<';
  if (angle) ++i;
  const std::size_t first = i;
  std::size_t at = std::string_view::npos;
  while (i < line.size() && is_address_char(line[i])) {
    if (line[i] == '@') at = at == std::string_view::npos ? i : std::string_view::npos - 1;
    ++i;
  }
  std::size_t end = i;
  // Sendmail's "<u@x>... User unknown" and a bare "u@x..." keep the dots out
  while (!angle && end > first && line[end - 1] == '.') --end;
  if (at >= end || at == first || at + 1 == end) return {}; // one '@', with both sides
  if (angle) {
    if (i >= line.size() || line[i] != '>') return {};
    ++i;
  }
  std::string_view rest = line.substr(i);
  if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
  if (rest.empty() || is_wsp(rest[0]) || rest.substr(0, 3) == "...") return line.substr(first, end - first);
  return {};
}

// Where the returned original message starts in a bounce's text: the start
// of the first line that begins with one of its headers or holds one of the
// phrases that announce it, found by their first letters.
inline std::string_view cut_returned_message(std::string_view text) noexcept {
  const auto header_at = [text](std::size_t i) {
    return starts_with_nocase(text.substr(i), "received:") ||
           starts_with_nocase(text.substr(i), "return-path:");
  };
  const auto phrase_at = [text](std::size_t i) {
    return matches_nocase(text, i, "copy of the message") ||
           matches_nocase(text, i, "copy of the original") ||
           matches_nocase(text, i, "original message follows") ||
           matches_nocase(text, i, "original message headers");
  };
  if (header_at(0)) return text.substr(0, 0);
  std::size_t cut = text.size();
  // "\nr", "c..y" and "o..g" (copy, original) may start them
  using line_r = pattern_nocase<'\n', 'r'>;
  using copy = pattern_nocase<'c', 0, 0, 'y'>;
  using orig = pattern_nocase<'o', 0, 0, 'g'>;
  for_each_pattern_end<line_r, copy, orig>(text, [&](std::size_t end) {
    if (text[end - 1] == '\n' && header_at(end)) {
      cut = end;
    } else if (end >= 3 && phrase_at(end - 3)) {
      const std::size_t nl = text.rfind('\n', end - 3);
      cut = nl == std::string_view::npos ? 0 : nl + 1;
    }
    return cut == text.size();
  });
  return text.substr(0, cut);
}

// The recipient blocks of a free text, to f(address, block) until f
// returns false.
template <class F> void for_each_recipient_block(std::string_view text, F&& f) {
  line_cursor lines{text};
  std::string_view address;
  std::size_t block_start = 0;
  while (!lines.done()) {
    std::size_t start = 0;
    const std::string_view a = leading_address(lines.next(start));
    if (a.empty() || equals_nocase(a, address)) continue;
    if (!address.empty() && !f(address, text.substr(block_start, start - block_start))) return;
    address = a;
    block_start = start;
  }
  if (!address.empty()) f(address, text.substr(block_start));
}

// The addresses of an X-Failed-Recipients field ("a@x, <b@y>"), to f.
template <class F> void for_each_listed(std::string_view list, F&& f) {
  std::size_t i = 0;
  while (i < list.size()) {
    std::size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view a = trim(list.substr(i, j - i));
    if (a.size() >= 2 && a.front() == '<' && a.back() == '>') a = a.substr(1, a.size() - 2);
    if (!a.empty() && !f(a)) return;
    i = j + 1;
  }
}

// Finds addresses in an X-Failed-Recipients list: from after the last one
// found (lists name the recipients in the text's order), round to the start.
// The passes round the end are limited so that all searches together read at
// most about 9 times the list plus 64 KiB, however many blocks ask.
struct listed_finder {
  std::string_view list;
  std::size_t cursor = 0; // after the comma that ends the last address found
  std::size_t wraps = 8 + 65536 / (list.size() + 1);

  bool find(std::string_view address) noexcept {
    if (wraps == 0) return false;
    if (find_in(cursor, list.size(), address)) return true;
    --wraps;
    return find_in(0, cursor, address);
  }

private:
  bool find_in(std::size_t from, std::size_t to, std::string_view address) noexcept {
    bool found = false;
    for_each_listed(list.substr(from, to - from), [&](std::string_view a) {
      if (!equals_nocase(a, address)) return true;
      const auto end = static_cast<std::size_t>(a.data() + a.size() - list.data());
      const std::size_t comma = list.find(',', end);
      cursor = comma == std::string_view::npos ? list.size() : comma + 1;
      found = true;
      return false;
    });
    return found;
  }
};

// The codes a text gives a recipient: the first reply code with an enhanced
// code after it, else the first enhanced code (with the first reply code, if
// any), else the first reply code. `failure`: class-2 codes do not count.
struct code_pick {
  std::optional<reply_code> reply;
  std::optional<enhanced_code> enhanced;
  std::size_t offset = 0; // of the first chosen code in the text
  bool found() const noexcept { return reply || enhanced; }
};

inline code_pick pick_codes(std::string_view text, bool failure) noexcept {
  const auto counts = [failure](unsigned class_digit) {
    return failure ? class_digit >= 4 : class_digit != 3; // 354 is never a status
  };
  code_pick pair, alone;
  smtp_status::for_each_reply_code(text, [&](const reply_match& m) {
    if (!counts(m.code.first_digit())) return true;
    if (m.enhanced && counts(m.enhanced->code.class_digit())) {
      pair = {m.code, m.enhanced->code, m.offset};
      return false;
    }
    if (!alone.found()) alone = {m.code, std::nullopt, m.offset};
    return true;
  });
  if (pair.found()) return pair;
  smtp_status::for_each_enhanced_code(text, [&](const enhanced_match& m) {
    if (!counts(m.code.class_digit())) return true;
    if (!alone.found()) alone.offset = m.offset;
    alone.enhanced = m.code;
    return false;
  });
  return alone;
}

constexpr bool generic(const std::optional<enhanced_code>& e) noexcept { return !e || e->detail() == 0; }

// The class an Action implies; 0 when it says nothing.
constexpr unsigned action_class(std::string_view action) noexcept {
  if (equals_nocase(action, "failed")) return 5;
  if (equals_nocase(action, "delayed")) return 4;
  if (equals_nocase(action, "delivered") || equals_nocase(action, "relayed") ||
      equals_nocase(action, "expanded"))
    return 2;
  return 0;
}

constexpr std::string_view action_of(unsigned class_digit) noexcept {
  return class_digit == 2 ? "delivered" : class_digit == 4 ? "delayed" : "failed";
}

// Kind and reason of a record from its codes, its words where the codes say
// nothing more, and its Action's class where there is no code at all.
constexpr bounce_class classify_record(const bounce_recipient& r, std::string_view words,
                                       unsigned fallback_class) noexcept {
  if (r.reply && r.status) return classify(*r.reply, *r.status, words);
  if (r.status) return classify(*r.status, words);
  if (r.reply) return classify(*r.reply, words);
  const bounce_reason why = reason_from_text(words);
  const unsigned cls = fallback_class ? fallback_class : 5;
  return {kind_of(cls, why), cls == 2 ? bounce_reason::delivered : why};
}

constexpr void finish_record(bounce_recipient& r, std::string_view words) noexcept {
  unsigned cls = action_class(r.action);
  if (r.action.empty()) {
    cls = r.reply ? r.reply->first_digit() : r.status ? r.status->class_digit() : 5;
    r.action = action_of(cls);
  }
  r.classification = classify_record(r, words, cls);
}

// The line of text around offset, trimmed.
inline std::string_view line_at(std::string_view text, std::size_t offset) noexcept {
  std::size_t first = text.rfind('\n', offset);
  first = first == std::string_view::npos ? 0 : first + 1;
  std::size_t last = text.find('\n', offset);
  if (last == std::string_view::npos) last = text.size();
  return trim(text.substr(first, last - first));
}

// Finds recipients' blocks in a report's text: forward only, and after a few
// misses no more, so a report of a million recipients stays linear.
struct block_finder {
  std::string_view text;
  std::size_t cursor = 0;
  unsigned misses = 0;

  std::string_view find(std::string_view address) noexcept {
    if (address.empty() || misses >= 8) return {};
    std::string_view found;
    std::size_t end = 0;
    for_each_recipient_block(text.substr(cursor), [&](std::string_view a, std::string_view block) {
      if (!equals_nocase(a, address)) return true;
      found = block;
      end = static_cast<std::size_t>(block.data() + block.size() - text.data());
      return false;
    });
    if (found.empty()) ++misses;
    else cursor = end;
    return found;
  }
};

inline bounce_recipient from_group(const dsn_recipient& g, block_finder& text) noexcept {
  bounce_recipient r;
  r.recipient = g.final_recipient.empty() ? g.original_recipient : g.final_recipient;
  r.action = g.action;
  r.diagnostic = g.diagnostic_code;
  const std::optional<enhanced_code>& s = g.status_code;
  const bool failure = s ? s->class_digit() >= 4 : action_class(g.action) != 2;
  const code_pick d = pick_codes(g.diagnostic_code, failure);
  const auto same_class = [&s](const std::optional<enhanced_code>& e) {
    return e && !generic(e) && (!s || e->class_digit() == s->class_digit());
  };
  code_pick t;
  std::string_view block;
  if (generic(s) || !d.reply) {
    block = text.find(r.recipient);
    t = pick_codes(block, failure);
  }
  if (d.reply && s && d.reply->first_digit() != s->class_digit()) {
    if (d.enhanced && d.enhanced->class_digit() == d.reply->first_digit()) r.status = d.enhanced;
    r.source = status_source::diagnostic_code;
  } else if (generic(s) && same_class(d.enhanced)) {
    r.status = d.enhanced;
    r.source = status_source::diagnostic_code;
  } else if (generic(s) && same_class(t.enhanced)) {
    r.status = t.enhanced;
    r.source = status_source::text;
  } else if (s) {
    r.status = s;
  } else if (d.enhanced) {
    r.status = d.enhanced;
    r.source = status_source::diagnostic_code;
  } else if (t.enhanced) {
    r.status = t.enhanced;
    r.source = status_source::text;
  }
  r.reply = d.reply ? d.reply : t.reply;
  if (r.diagnostic.empty() && t.found()) r.diagnostic = line_at(block, t.offset);
  finish_record(r, g.diagnostic_code.empty() ? block : g.diagnostic_code);
  return r;
}

// The record a free text's block gives its address: the block's codes, the
// line they are on, and its class.
inline bounce_recipient text_record(std::string_view address, std::string_view block) noexcept {
  const code_pick c = pick_codes(block, true);
  bounce_recipient r;
  r.recipient = address;
  r.status = c.enhanced;
  r.reply = c.reply;
  r.source = status_source::text;
  r.diagnostic = c.found() ? line_at(block, c.offset) : std::string_view{};
  finish_record(r, c.found() ? block.substr(c.offset) : block);
  return r;
}

// Free-text records of one text, to f; how many.
template <class F>
std::size_t scan_free_text(std::string_view text, std::string_view failed_recipients, F& f) {
  text = cut_returned_message(text);
  std::size_t count = 0;
  std::string_view seen[16]; // the last addresses given: Microsoft's text names each twice
  const auto given = [&seen](std::string_view address) {
    for (std::string_view a : seen)
      if (equals_nocase(a, address)) return true;
    return false;
  };
  const auto emit = [&](const bounce_recipient& r) {
    seen[count % 16] = r.recipient;
    f(r);
    ++count;
  };
  listed_finder listed{failed_recipients};
  for_each_recipient_block(text, [&](std::string_view address, std::string_view block) {
    if (given(address)) return true;
    const bounce_recipient r = text_record(address, block);
    // Neither a code nor known words (the reason is then the words'): a record
    // only if listed, and only such a block is looked up in the list.
    if (r.status || r.reply || r.classification.reason != bounce_reason::undefined ||
        listed.find(address))
      emit(r);
    return true;
  });
  if (count > 0) return count;
  // no blocks: each failed recipient gets the whole text's codes, read once
  // (not once per address: a list can be as long as the text)
  bounce_recipient whole;
  bool read = false;
  for_each_listed(failed_recipients, [&](std::string_view a) {
    if (given(a)) return true;
    if (!read) whole = text_record(a, text);
    read = true;
    whole.recipient = a;
    emit(whole);
    return true;
  });
  return count;
}

} // namespace detail

// Reads one bounce message and calls f(const bounce_recipient&) for each
// recipient it reports, in order. `scratch` receives decoded parts; the
// records' views point into the message and the scratch buffer and live as
// long as both. scratch_size >= message.size() always suffices.
template <class F>
bounce_scan_result scan_bounce(std::string_view message, char* scratch, std::size_t scratch_size,
                               F&& f) {
  detail::walk_state st;
  const detail::entity top = detail::read_entity(message);
  const detail::header_info& h = top.header;
  st.failed_recipients = h.failed_recipients;
  st.bounce = detail::says_bounce(h);
  detail::walk_entity(h, top.body, 0, st);
  detail::scratch_buffer buf{scratch, scratch ? scratch_size : 0};
  bounce_scan_result result;
  if (st.report.found) {
    const std::string_view report = buf.decode(st.report);
    detail::block_finder text{detail::cut_returned_message(
        buf.decode(st.report_text.found ? st.report_text : st.first_text))};
    for (const dsn_recipient& g : dsn_recipients(report)) { // the per-message fields are not needed
      f(static_cast<const bounce_recipient&>(detail::from_group(g, text)));
      ++result.recipients;
    }
    result.delivery_status = result.recipients > 0;
  }
  if (result.recipients == 0 && st.bounce) {
    buf.used = 0;
    result.recipients = detail::scan_free_text(buf.decode(st.first_text), st.failed_recipients, f);
  }
  result.truncated = buf.truncated;
  return result;
}

// The messages of an mbox file (each starts with a "From " line at the start
// of the file or after an empty line; that line is not part of the message),
// to f(message, index); a file that does not start with "From " is one
// message. Returns the number of messages.
template <class F> std::size_t for_each_mbox_message(std::string_view file, F&& f) {
  if (file.substr(0, 5) != "From ") {
    if (!file.empty()) f(file, std::size_t{0});
    return file.empty() ? 0 : 1;
  }
  const auto after_line = [file](std::size_t p) {
    const std::size_t nl = file.find('\n', p);
    return nl == std::string_view::npos ? file.size() : nl + 1;
  };
  std::size_t count = 0, begin = after_line(0);
  // "\nFrom " found by its first bytes, a block at a time: lines are not visited
  using from = detail::pattern<'\n', 'F', 'r', 'o'>;
  detail::for_each_pattern_end<from>(file, [&](std::size_t end) {
    const std::size_t p = end - 3; // the line end before "From "
    if (p < begin || file.compare(p + 1, 5, "From ") != 0) return true;
    const bool blank_before =
        p > 0 && (file[p - 1] == '\n' || (file[p - 1] == '\r' && p > 1 && file[p - 2] == '\n'));
    if (!blank_before) return true;
    f(file.substr(begin, p + 1 - begin), count++);
    begin = after_line(p + 1);
    return true;
  });
  f(file.substr(begin), count++);
  return count;
}

} // namespace smtp_status

#endif
