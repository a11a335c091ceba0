// smtp_status: RFC 3464 delivery status notifications. Reads the body of a
// message/delivery-status part into its per-message fields and its
// per-recipient groups.
//
// parse_delivery_status(body) reads the per-message fields. recipients()
// parses one recipient group per step of the iteration. Every value is a view
// into the body: nothing is copied or allocated. The work is linear in the
// body's length, whatever the body holds.
//
// Rules. RFC 3464 §2.2-2.3 first, then the forms real MTAs send:
// - Lines end with LF or CRLF, mixed freely. A line of nothing but SP, HT and
//   CR is blank.
// - A field line is a name (a letter, then letters, digits, "-" or "_"),
//   optional SP/HT, and a ":" that is not followed by "//" (a wrapped URL is
//   not a field). Names match in any case: "STATUS", "final-recipient".
// - A non-blank line that is not a field line continues the field before it.
//   That holds both for RFC 5322 folding (indented) and for sloppy wrapping
//   (not indented). With no field before it in its group, the line is ignored.
// - A value runs from after the colon to the end of its last continuation
//   line. Whitespace (SP, HT, CR, LF) is trimmed at both ends. Inner line
//   breaks stay in the view: unfold() makes one line of it.
// - Fields form groups. Blank lines (any number) end a group. For MTAs that
//   forget the blank line, so does a Final-Recipient when the group already
//   has one, and an Original-Recipient when the group already has one, or has
//   a Final-Recipient and an Action or Status. (Postfix writes
//   Original-Recipient right after Final-Recipient, in the same group.)
// - A group is a recipient if it has a Final-Recipient, Original-Recipient,
//   Action or Status field. Other groups (the per-message part, trailing
//   text) are not.
// - The per-message fields are read from the groups up to and including the
//   first recipient group. This covers a per-message part with no blank line
//   after it, or a body that has no per-message part.
// - In a group the first of each field counts, and in the per-message fields
//   the first in the body. Unknown fields, X- fields included, are skipped
//   here; dsn_fields() lists every field.
// - Typed values "type ; text" (the recipients, the MTAs, Diagnostic-Code):
//   the type is a letter, then letters, digits, "-", "_", "." or "+", then
//   optional whitespace and ";". Anything else has no type: the type is empty
//   and the whole value is the text ("Final-Recipient: u@x",
//   "Diagnostic-Code: 550 5.1.1 <u@x>; unknown").
// - Addresses in angle brackets lose them: "rfc822; <u@x>" -> "u@x" (the
//   text between "<" and the first ">").
// - status_code is the first token of Status (up to whitespace or "("),
//   parsed leniently (parse.hpp): "5.1.1 (User unknown)" and "5.1.1." give
//   5.1.1, and "5.0.0" stays 5.0.0. Anything else leaves it empty.
// - Values are otherwise raw: comments, quotes and case are left alone.
#ifndef SMTP_STATUS_DSN_HPP
#define SMTP_STATUS_DSN_HPP

#include <cstddef>
#include <cstdint>
#include <optional>
// std::input_iterator_tag comes with <string_view> in libstdc++, libc++ and
// MSVC (its reverse_iterator needs it); <iterator> itself would add stream
// iterators and <streambuf>, a third of the umbrella header's compile time.
#include <string_view>

#include "code.hpp"
#include "parse.hpp"

namespace smtp_status {

// One field as written: the name in its case, the value trimmed but not
// unfolded.
struct dsn_field {
  std::string_view name;
  std::string_view value;
  std::size_t offset; // of the field's line, from the start of the body
};

namespace detail {

constexpr bool dsn_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool dsn_name_char(char c) noexcept {
  return dsn_alpha(c) || is_digit(c) || c == '-' || c == '_';
}
constexpr bool dsn_type_char(char c) noexcept { return dsn_name_char(c) || c == '.' || c == '+'; }

// The line at pos: its text is [pos, end), the next line starts at next.
struct dsn_line {
  std::size_t end, next;
};

constexpr dsn_line dsn_line_at(std::string_view s, std::size_t pos) noexcept {
  const std::size_t lf = s.find('\n', pos);
  if (lf == std::string_view::npos) return {s.size(), s.size()};
  return {lf > pos && s[lf - 1] == '\r' ? lf - 1 : lf, lf + 1};
}

constexpr bool dsn_blank(std::string_view line) noexcept {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

// "Name :" at the start of the line: sets the name's length and the colon's
// index. Only the name and the white space after it are read.
constexpr bool dsn_field_line(std::string_view line, std::size_t& name_size,
                              std::size_t& colon) noexcept {
  if (line.empty() || !dsn_alpha(line[0])) return false;
  std::size_t i = 1;
  while (i < line.size() && dsn_name_char(line[i])) ++i;
  name_size = i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i == line.size() || line[i] != ':') return false;
  colon = i;
  return !(i + 2 < line.size() && line[i + 1] == '/' && line[i + 2] == '/');
}

enum class dsn_token_kind : std::uint8_t { end, blank, field };

struct dsn_token {
  dsn_token_kind kind;
  std::size_t offset; // of the token's first line
  std::size_t next;   // where the following token starts
  dsn_field field;    // kind == field
};

// The next blank line or field (with its continuation lines) at or after
// pos. Lines that continue nothing are skipped.
constexpr dsn_token dsn_next_token(std::string_view s, std::size_t pos) noexcept {
  while (pos < s.size()) {
    const dsn_line l = dsn_line_at(s, pos);
    const std::string_view text = s.substr(pos, l.end - pos);
    if (dsn_blank(text)) return {dsn_token_kind::blank, pos, l.next, {}};
    std::size_t name_size = 0, colon = 0;
    if (!dsn_field_line(text, name_size, colon)) {
      pos = l.next;
      continue;
    }
    std::size_t value_end = l.end, next = l.next;
    while (next < s.size()) {
      const dsn_line c = dsn_line_at(s, next);
      const std::string_view more = s.substr(next, c.end - next);
      std::size_t n = 0, k = 0;
      if (dsn_blank(more) || dsn_field_line(more, n, k)) break;
      value_end = c.end;
      next = c.next;
    }
    const std::size_t value_begin = pos + colon + 1;
    return {
        dsn_token_kind::field,
        pos,
        next,
        {s.substr(pos, name_size), trim(s.substr(value_begin, value_end - value_begin)), pos}};
  }
  return {dsn_token_kind::end, s.size(), s.size(), {}};
}

} // namespace detail

// The fields of a text (a body, or one group's raw text), in order, each
// with its continuation lines. Blank lines and lines that continue nothing
// are skipped.
class dsn_field_range {
public:
  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = dsn_field;
    using difference_type = std::ptrdiff_t;
    using pointer = const dsn_field*;
    using reference = const dsn_field&;

    constexpr iterator() noexcept = default;
    constexpr iterator(std::string_view text, std::size_t base) noexcept
        : text_(text), base_(base) {
      step();
    }
    [[nodiscard]] constexpr reference operator*() const noexcept { return field_; }
    [[nodiscard]] constexpr pointer operator->() const noexcept { return &field_; }
    constexpr iterator& operator++() noexcept {
      step();
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator old = *this;
      step();
      return old;
    }
    friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.at_ == b.at_;
    }
    friend constexpr bool operator!=(const iterator& a, const iterator& b) noexcept {
      return a.at_ != b.at_;
    }

  private:
    constexpr void step() noexcept {
      for (;;) {
        const detail::dsn_token t = detail::dsn_next_token(text_, pos_);
        pos_ = t.next;
        if (t.kind == detail::dsn_token_kind::blank) continue;
        if (t.kind == detail::dsn_token_kind::end) {
          at_ = std::string_view::npos;
          field_ = {};
        } else {
          field_ = t.field;
          field_.offset += base_;
          at_ = t.offset;
        }
        return;
      }
    }

    std::string_view text_;
    std::size_t base_ = 0, pos_ = 0, at_ = std::string_view::npos;
    dsn_field field_{};
  };

  // Offsets count from `base`: the text's offset in the body.
  constexpr explicit dsn_field_range(std::string_view text, std::size_t base = 0) noexcept
      : text_(text), base_(base) {}
  [[nodiscard]] constexpr iterator begin() const noexcept { return iterator(text_, base_); }
  [[nodiscard]] constexpr iterator end() const noexcept { return iterator(); }

private:
  std::string_view text_;
  std::size_t base_;
};

[[nodiscard]] constexpr dsn_field_range dsn_fields(std::string_view text) noexcept {
  return dsn_field_range(text);
}

// One per-recipient group (RFC 3464 §2.3). Fields that are absent are empty.
struct dsn_recipient {
  std::string_view final_recipient;      // the address: "rfc822; <u@x>" -> "u@x"
  std::string_view final_recipient_type; // "rfc822"; empty if none
  std::string_view original_recipient, original_recipient_type;
  std::string_view action;                  // e.g. "failed" (compare case-insensitively)
  std::string_view status;                  // the whole value: "5.1.1 (User unknown)"
  std::optional<enhanced_code> status_code; // its first token, parsed leniently
  std::string_view remote_mta, remote_mta_type;
  std::string_view diagnostic_code; // the text after "smtp;": may be folded (unfold())
  std::string_view diagnostic_type; // "smtp", "x-unix", ...; empty if none
  std::string_view last_attempt_date, will_retry_until, final_log_id;
  std::size_t offset = 0; // of the group's first line in the body
  std::string_view raw;   // the group's lines, from its first field through its last line end

  // Every field of the group, unknown and X- fields included (offsets in the body).
  [[nodiscard]] constexpr dsn_field_range fields() const noexcept {
    return dsn_field_range(raw, offset);
  }
};

namespace detail {

enum class dsn_name : std::uint8_t {
  other,
  original_recipient,
  final_recipient,
  action,
  status,
  remote_mta,
  diagnostic_code,
  last_attempt_date,
  final_log_id,
  will_retry_until,
  reporting_mta,
  dsn_gateway,
  received_from_mta,
  arrival_date,
  original_envelope_id,
};

constexpr std::uint32_t dsn_bit(dsn_name n) noexcept {
  return std::uint32_t{1} << static_cast<unsigned>(n);
}
// The fields that make a group a recipient.
inline constexpr std::uint32_t dsn_recipient_bits =
    dsn_bit(dsn_name::original_recipient) | dsn_bit(dsn_name::final_recipient) |
    dsn_bit(dsn_name::action) | dsn_bit(dsn_name::status);

inline constexpr std::uint32_t dsn_after_final =
    dsn_bit(dsn_name::action) | dsn_bit(dsn_name::status);

// The names of dsn_name's values after `other`, in order.
inline constexpr std::string_view dsn_names[] = {"original-recipient",
                                                 "final-recipient",
                                                 "action",
                                                 "status",
                                                 "remote-mta",
                                                 "diagnostic-code",
                                                 "last-attempt-date",
                                                 "final-log-id",
                                                 "will-retry-until",
                                                 "reporting-mta",
                                                 "dsn-gateway",
                                                 "received-from-mta",
                                                 "arrival-date",
                                                 "original-envelope-id"};

constexpr dsn_name dsn_name_of(std::string_view n) noexcept {
  // The longest name has 20 characters: a longer one is unknown without a compare.
  if (n.size() > 20) return dsn_name::other;
  for (std::size_t i = 0; i < std::size(dsn_names); ++i)
    if (equals_nocase(n, dsn_names[i])) return static_cast<dsn_name>(i + 1);
  return dsn_name::other;
}

struct dsn_typed {
  std::string_view type, text;
};

// "type ; text", or the whole value with an empty type.
constexpr dsn_typed dsn_split_type(std::string_view v) noexcept {
  if (v.empty() || !dsn_alpha(v[0])) return {v.substr(0, 0), v};
  std::size_t i = 1;
  while (i < v.size() && dsn_type_char(v[i])) ++i;
  std::size_t j = i;
  while (j < v.size() && is_space(v[j])) ++j;
  if (j == v.size() || v[j] != ';') return {v.substr(0, 0), v};
  return {v.substr(0, i), trim(v.substr(j + 1))};
}

constexpr dsn_typed dsn_address(std::string_view v) noexcept {
  dsn_typed a = dsn_split_type(v);
  if (!a.text.empty() && a.text[0] == '<') {
    const std::size_t close = a.text.find('>');
    if (close != std::string_view::npos) a.text = trim(a.text.substr(1, close - 1));
  }
  return a;
}

constexpr std::optional<enhanced_code> dsn_status_code(std::string_view v) noexcept {
  std::size_t i = 0;
  while (i < v.size() && !is_space(v[i]) && v[i] != '(') ++i;
  return parse_enhanced_code(v.substr(0, i), parse_mode::lenient);
}

constexpr void dsn_assign(dsn_recipient& r, dsn_name n, std::string_view v) noexcept {
  dsn_typed t{};
  switch (n) {
  case dsn_name::original_recipient:
    t = dsn_address(v);
    r.original_recipient = t.text;
    r.original_recipient_type = t.type;
    break;
  case dsn_name::final_recipient:
    t = dsn_address(v);
    r.final_recipient = t.text;
    r.final_recipient_type = t.type;
    break;
  case dsn_name::action: r.action = v; break;
  case dsn_name::status:
    r.status = v;
    r.status_code = dsn_status_code(v);
    break;
  case dsn_name::remote_mta:
    t = dsn_split_type(v);
    r.remote_mta = t.text;
    r.remote_mta_type = t.type;
    break;
  case dsn_name::diagnostic_code:
    t = dsn_split_type(v);
    r.diagnostic_code = t.text;
    r.diagnostic_type = t.type;
    break;
  case dsn_name::last_attempt_date: r.last_attempt_date = v; break;
  case dsn_name::final_log_id: r.final_log_id = v; break;
  case dsn_name::will_retry_until: r.will_retry_until = v; break;
  default: break; // per-message and unknown fields
  }
}

struct dsn_group {
  bool found;        // false: no field left in the body
  bool is_recipient; // has one of dsn_recipient_bits
  std::size_t next;  // where the next group's search starts
};

// Reads the group whose first field is at or after pos into `out` (in place:
// the record is large, and iterating should not copy it). on_field(name,
// value) sees the first field of each name in the group.
template <class F>
constexpr dsn_group dsn_read_group(std::string_view s, std::size_t pos, dsn_recipient& out,
                                   F&& on_field) noexcept {
  dsn_group g{};
  out = dsn_recipient{};
  dsn_token t = dsn_next_token(s, pos);
  while (t.kind == dsn_token_kind::blank) t = dsn_next_token(s, t.next);
  if (t.kind == dsn_token_kind::end) {
    g.next = s.size();
    return g;
  }
  g.found = true;
  out.offset = t.offset;
  std::uint32_t seen = 0;
  std::size_t end = t.next;
  for (;;) {
    const dsn_name n = dsn_name_of(t.field.name);
    const std::uint32_t bit = dsn_bit(n);
    // a missing blank line: this field starts the next group
    if (n == dsn_name::final_recipient && (seen & bit) != 0) break;
    // Postfix writes Original-Recipient after Final-Recipient: only once the
    // group has an Action or Status does it start the next group.
    if (n == dsn_name::original_recipient &&
        ((seen & bit) != 0 ||
         ((seen & dsn_bit(dsn_name::final_recipient)) != 0 && (seen & dsn_after_final) != 0)))
      break;
    if (n != dsn_name::other && (seen & bit) == 0) {
      seen |= bit;
      dsn_assign(out, n, t.field.value);
      on_field(n, t.field.value);
    }
    end = t.next;
    t = dsn_next_token(s, t.next);
    if (t.kind != dsn_token_kind::field) break;
  }
  g.next = t.kind == dsn_token_kind::field ? t.offset : t.next;
  g.is_recipient = (seen & dsn_recipient_bits) != 0;
  out.raw = s.substr(out.offset, end - out.offset);
  return g;
}

struct dsn_ignore_field {
  constexpr void operator()(dsn_name, std::string_view) const noexcept {}
};

} // namespace detail

// The recipient groups of a body, parsed one per step: no allocation, and
// no work for groups not reached.
class dsn_recipients {
public:
  class iterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = dsn_recipient;
    using difference_type = std::ptrdiff_t;
    using pointer = const dsn_recipient*;
    using reference = const dsn_recipient&;

    constexpr iterator() noexcept = default;
    constexpr explicit iterator(std::string_view body) noexcept : body_(body) { step(); }
    [[nodiscard]] constexpr reference operator*() const noexcept { return current_; }
    [[nodiscard]] constexpr pointer operator->() const noexcept { return &current_; }
    constexpr iterator& operator++() noexcept {
      step();
      return *this;
    }
    constexpr iterator operator++(int) noexcept {
      iterator old = *this;
      step();
      return old;
    }
    friend constexpr bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.at_ == b.at_;
    }
    friend constexpr bool operator!=(const iterator& a, const iterator& b) noexcept {
      return a.at_ != b.at_;
    }

  private:
    constexpr void step() noexcept {
      for (;;) {
        const detail::dsn_group g =
            detail::dsn_read_group(body_, pos_, current_, detail::dsn_ignore_field{});
        pos_ = g.next; // always past the group's first field: the loop ends
        if (!g.found) break;
        if (g.is_recipient) {
          at_ = current_.offset;
          return;
        }
      }
      current_ = {};
      at_ = std::string_view::npos;
    }

    std::string_view body_;
    std::size_t pos_ = 0, at_ = std::string_view::npos;
    dsn_recipient current_{};
  };

  constexpr explicit dsn_recipients(std::string_view body) noexcept : body_(body) {}
  [[nodiscard]] constexpr iterator begin() const noexcept { return iterator(body_); }
  [[nodiscard]] constexpr iterator end() const noexcept { return iterator(); }

private:
  std::string_view body_;
};

// A view over a message/delivery-status body; cheap to copy. Fields that are
// absent are empty.
struct dsn_report {
  std::string_view reporting_mta, reporting_mta_type; // "dns; mx.example.com"
  std::string_view dsn_gateway, received_from_mta;
  std::string_view arrival_date, original_envelope_id;
  std::string_view dsn_gateway_type, received_from_mta_type;
  std::string_view body; // the whole body given to parse_delivery_status

  [[nodiscard]] constexpr dsn_recipients recipients() const noexcept {
    return dsn_recipients(body);
  }
  // Walks the whole body.
  [[nodiscard]] constexpr std::size_t recipient_count() const noexcept {
    std::size_t n = 0;
    for (auto it = recipients().begin(); it != dsn_recipients::iterator(); ++it) ++n;
    return n;
  }
  // Every field of the body, in order.
  [[nodiscard]] constexpr dsn_field_range fields() const noexcept { return dsn_field_range(body); }
};

// Reads the per-message fields; the recipients are read as they are iterated.
[[nodiscard]] constexpr dsn_report parse_delivery_status(std::string_view body) noexcept {
  dsn_report r{};
  r.body = body;
  std::uint32_t seen = 0;
  const auto on_field = [&r, &seen](detail::dsn_name n, std::string_view v) {
    const std::uint32_t bit = detail::dsn_bit(n);
    if ((seen & bit) != 0) return;
    seen |= bit;
    detail::dsn_typed t{};
    switch (n) {
    case detail::dsn_name::reporting_mta:
      t = detail::dsn_split_type(v);
      r.reporting_mta = t.text;
      r.reporting_mta_type = t.type;
      break;
    case detail::dsn_name::dsn_gateway:
      t = detail::dsn_split_type(v);
      r.dsn_gateway = t.text;
      r.dsn_gateway_type = t.type;
      break;
    case detail::dsn_name::received_from_mta:
      t = detail::dsn_split_type(v);
      r.received_from_mta = t.text;
      r.received_from_mta_type = t.type;
      break;
    case detail::dsn_name::arrival_date: r.arrival_date = v; break;
    case detail::dsn_name::original_envelope_id: r.original_envelope_id = v; break;
    default: break;
    }
  };
  dsn_recipient scratch{};
  for (std::size_t pos = 0;;) {
    const detail::dsn_group g = detail::dsn_read_group(body, pos, scratch, on_field);
    if (!g.found || g.is_recipient) break;
    pos = g.next;
  }
  return r;
}

namespace detail {

// Writes what fits of the unfolded value; returns the whole unfolded length.
constexpr std::size_t dsn_unfold(std::string_view v, char* out, std::size_t out_size) noexcept {
  v = trim(v);
  std::size_t n = 0;
  const auto put = [&](char c) {
    if (n < out_size) out[n] = c;
    ++n;
  };
  for (std::size_t i = 0; i < v.size();) {
    if (!is_space(v[i])) {
      put(v[i++]);
      continue;
    }
    std::size_t j = i;
    bool line_break = false;
    for (; j < v.size() && is_space(v[j]); ++j) line_break |= v[j] == '\r' || v[j] == '\n';
    if (line_break)
      put(' ');
    else
      for (; i < j; ++i) put(v[i]);
    i = j;
  }
  return n;
}

} // namespace detail

// A folded value on one line: every run of white space that holds a CR or
// LF becomes one space, and white space at both ends goes. Writes at most
// out_size bytes (a cut may fall inside a UTF-8 sequence); returns the
// length written.
[[nodiscard]] constexpr std::size_t unfold(std::string_view value, char* out,
                                           std::size_t out_size) noexcept {
  const std::size_t n = detail::dsn_unfold(value, out, out_size);
  return n < out_size ? n : out_size;
}

// The length unfold() needs to write all of the value.
[[nodiscard]] constexpr std::size_t unfolded_size(std::string_view value) noexcept {
  return detail::dsn_unfold(value, nullptr, 0);
}

// An unfolded value held by value: `unfold(r.diagnostic_code).view()`.
template <std::size_t N> class unfolded_text {
public:
  constexpr explicit unfolded_text(std::string_view value) noexcept
      : full_size_(detail::dsn_unfold(value, buf_, N)) {}
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {buf_, size()}; }
  [[nodiscard]] constexpr const char* data() const noexcept { return buf_; }
  [[nodiscard]] constexpr std::size_t size() const noexcept {
    return full_size_ < N ? full_size_ : N;
  }
  // Whether the value was cut to N characters.
  [[nodiscard]] constexpr bool truncated() const noexcept { return full_size_ > N; }

private:
  char buf_[N]{};
  std::size_t full_size_;
};

template <std::size_t N = 1024>
[[nodiscard]] constexpr unfolded_text<N> unfold(std::string_view value) noexcept {
  return unfolded_text<N>(value);
}

} // namespace smtp_status

#endif
