// Slow, obviously-correct reference parsers: the RFC grammar written as
// string splitting, with no shared code with the library. The unit tests and
// the fuzzers compare the real parsers with these.
#ifndef SMTP_STATUS_TESTS_REFERENCE_HPP
#define SMTP_STATUS_TESTS_REFERENCE_HPP

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reference {

struct code {
  unsigned cls, subject, detail;
};

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

inline std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '.') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

inline unsigned value(std::string_view digits) {
  unsigned v = 0;
  for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
  return v;
}

// The words of a text: the runs between spaces.
inline std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == ' ') {
      ++i;
      continue;
    }
    const std::size_t j = std::min(s.find(' ', i), s.size());
    out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 3463 §2: class "." 1*3digit "." 1*3digit, class 2/4/5, no leading zeros.
// Lenient: leading zeros allowed (value still at most 999).
inline std::optional<code> enhanced(std::string_view s, bool lenient) {
  const auto parts = split_dots(s);
  if (parts.size() != 3) return std::nullopt;
  if (parts[0] != "2" && parts[0] != "4" && parts[0] != "5") return std::nullopt;
  for (std::size_t i = 1; i < 3; ++i) {
    std::string_view p = parts[i];
    if (!all_digits(p)) return std::nullopt;
    if (lenient)
      while (p.size() > 1 && p[0] == '0') p.remove_prefix(1);
    else if (p.size() > 1 && p[0] == '0')
      return std::nullopt;
    if (p.size() > 3) return std::nullopt;
  }
  std::string_view sub = parts[1], det = parts[2];
  return code{value(parts[0]), value(sub.substr(sub.size() > 3 ? sub.size() - 3 : 0)),
              value(det.substr(det.size() > 3 ? det.size() - 3 : 0))};
}

// Lenient whole string: white space, the code, one optional ".", ":" or ",",
// white space.
inline std::optional<code> enhanced_lenient(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  if (auto c = enhanced(s, true)) return c;
  if (!s.empty() && (s.back() == '.' || s.back() == ':' || s.back() == ','))
    return enhanced(s.substr(0, s.size() - 1), true);
  return std::nullopt;
}

// RFC 5321 §4.2: %x32-35 %x30-35 %x30-39; lenient: any second digit and
// surrounding white space.
inline std::optional<unsigned> reply(std::string_view s, bool lenient) {
  if (lenient) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  }
  if (s.size() != 3 || !all_digits(s)) return std::nullopt;
  if (s[0] < '2' || s[0] > '5') return std::nullopt;
  if (!lenient && s[1] > '5') return std::nullopt;
  return value(s);
}

// ---- SMTP replies (RFC 5321 §4.2, RFC 2034), one line at a time ----------

inline bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }

// Length of the well-formed UTF-8 sequence at s[i] (Unicode Table 3-7), or 0.
inline std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) {
    return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u;
  };
  const auto in = [](unsigned v, unsigned lo, unsigned hi) { return v >= lo && v <= hi; };
  const unsigned c = b(0);
  if (in(c, 0xC2, 0xDF)) return in(b(1), 0x80, 0xBF) ? 2 : 0;
  if (c == 0xE0) return in(b(1), 0xA0, 0xBF) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  if (in(c, 0xE1, 0xEC) || in(c, 0xEE, 0xEF))
    return in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  if (c == 0xED) return in(b(1), 0x80, 0x9F) && in(b(2), 0x80, 0xBF) ? 3 : 0;
  if (c == 0xF0)
    return in(b(1), 0x90, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
  if (in(c, 0xF1, 0xF3))
    return in(b(1), 0x80, 0xBF) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
  if (c == 0xF4)
    return in(b(1), 0x80, 0x8F) && in(b(2), 0x80, 0xBF) && in(b(3), 0x80, 0xBF) ? 4 : 0;
  return 0;
}

// Warning bits as reply.hpp numbers them.
enum : unsigned {
  w_bare_lf = 1,
  w_enh_mismatch = 2,
  w_enh_missing = 4,
  w_class = 8,
  w_utf8 = 16,
  w_bad_utf8 = 32,
  w_control = 64,
  w_nonstandard = 128
};

struct reply_line {
  std::string text;
  bool has_enhanced = false;
  code enhanced{};
};

struct reply_result {
  std::string error; // "" when valid, else the reply_error name
  std::size_t offset = 0, consumed = 0;
  unsigned code = 0;
  unsigned warnings = 0;
  std::vector<reply_line> lines;
};

// The error rules, in the order reply.hpp documents them for each line:
// length, incomplete, three digits, 200-599, separator, same code, line count.
inline reply_result reply(std::string_view in, std::size_t max_line, std::size_t max_lines) {
  reply_result r;
  std::size_t pos = 0;
  for (;;) {
    std::size_t lf = pos;
    while (lf < in.size() && in[lf] != '\n') ++lf;
    const bool has_lf = lf < in.size();
    const std::size_t end = has_lf ? lf + 1 : in.size();
    const auto fail = [&](const char* e, std::size_t at) {
      r.error = e;
      r.offset = at;
      r.consumed = end;
      return r;
    };
    if (end - pos > max_line) return fail("line_too_long", pos);
    if (!has_lf) return fail("incomplete", in.size());
    std::string line(in.substr(pos, lf - pos));
    if (!line.empty() && line.back() == '\r')
      line.pop_back();
    else
      r.warnings |= w_bare_lf;
    if (line.size() < 3 || !all_digits(line.substr(0, 3))) return fail("missing_code", pos);
    const unsigned c = value(line.substr(0, 3));
    if (c < 200 || c > 599) return fail("invalid_code", pos);
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-')
      return fail("invalid_separator", pos + 3);
    if (r.lines.empty()) {
      r.code = c;
      if (line[1] > '5') r.warnings |= w_nonstandard;
    } else if (c != r.code) {
      return fail("code_mismatch", pos);
    }
    if (r.lines.size() + 1 > max_lines) return fail("too_many_lines", pos);
    reply_line out;
    std::string text = line.size() > 4 ? line.substr(4) : "";
    if (c / 100 != 3) {
      std::size_t i = 0;
      while (i < text.size() && text[i] == ' ') ++i;
      std::size_t j = i;
      while (j < text.size() && text[j] != ' ' && text[j] != '\t') ++j;
      if (auto e = enhanced(std::string_view(text).substr(i, j - i), false)) {
        out.has_enhanced = true;
        out.enhanced = *e;
        while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
        text = text.substr(j);
      }
    }
    for (std::size_t i = 0; i < text.size();) {
      const auto b = static_cast<unsigned char>(text[i]);
      if (b < 0x80) {
        if (is_control(b)) r.warnings |= w_control;
        ++i;
      } else if (const std::size_t n = utf8_length(text, i)) {
        r.warnings |= w_utf8;
        i += n;
      } else {
        r.warnings |= w_bad_utf8;
        ++i;
      }
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
    out.text = text;
    r.lines.push_back(out);
    pos = end;
    if (line.size() == 3 || line[3] == ' ') break;
  }
  std::size_t with = 0;
  const reply_line* first = nullptr;
  for (const reply_line& l : r.lines) {
    if (!l.has_enhanced) continue;
    ++with;
    if (!first) {
      first = &l;
      if (l.enhanced.cls != r.code / 100) r.warnings |= w_class;
    } else if (l.enhanced.cls != first->enhanced.cls ||
               l.enhanced.subject != first->enhanced.subject ||
               l.enhanced.detail != first->enhanced.detail) {
      r.warnings |= w_enh_mismatch;
    }
  }
  if (with != 0 && with != r.lines.size()) r.warnings |= w_enh_missing;
  r.consumed = pos;
  return r;
}

// ---- Codes in free text (extract.hpp's rules), by tokenising -------------

struct found_code {
  std::string code;     // as written: "5.7.708", "550"
  std::size_t offset;   // of the first digit
  std::string enhanced; // reply codes: the enhanced code after one ' ' or '-', or ""
  friend bool operator==(const found_code& a, const found_code& b) {
    return a.code == b.code && a.offset == b.offset && a.enhanced == b.enhanced;
  }
};

inline bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool digit_char(char c) { return c >= '0' && c <= '9'; }
inline bool in_set(char c, std::string_view set) { return set.find(c) != std::string_view::npos; }
inline bool any_space(char c) { return in_set(c, std::string_view(" \t\n\v\f\r")); }

// 1-3 digits without a leading zero.
inline bool sub_code_digits(std::string_view p) {
  return all_digits(p) && p.size() <= 3 && (p.size() == 1 || p[0] != '0');
}

// An enhanced code can only start a maximal run of digits and dots (a digit
// or a '.' may not precede it) and fills the run's first three dot-separated
// parts; what follows in the run must be a '.' not followed by a digit, that
// is an empty fourth part.
inline std::vector<found_code> enhanced_codes_in(std::string_view s) {
  const auto numeric = [](char c) { return digit_char(c) || c == '.'; };
  std::vector<found_code> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!numeric(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && numeric(s[j])) ++j;
    const auto parts = split_dots(s.substr(i, j - i));
    const bool shape = parts.size() >= 3 && (parts[0] == "2" || parts[0] == "4" || parts[0] == "5") &&
                       sub_code_digits(parts[1]) && value(parts[1]) <= 7 &&
                       sub_code_digits(parts[2]) && (parts.size() == 3 || parts[3].empty());
    const bool left = i == 0 || !(ascii_letter(s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '/');
    const bool right = parts.size() > 3 || j == s.size() || !(ascii_letter(s[j]) || s[j] == '_');
    if (shape && left && right) {
      std::string code(parts[0]);
      code.append(".").append(parts[1]).append(".").append(parts[2]);
      out.push_back({code, i, ""});
    }
    i = j;
  }
  return out;
}

// Maximal runs of exactly three digits, then the boundary rules as written.
inline std::vector<found_code> reply_codes_in(std::string_view s) {
  const std::vector<found_code> enhanced = enhanced_codes_in(s);
  const auto enhanced_at = [&](std::size_t at) {
    for (const found_code& e : enhanced)
      if (e.offset == at) return e.code;
    return std::string();
  };
  std::vector<found_code> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!digit_char(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && digit_char(s[j])) ++j;
    const std::string_view run = s.substr(i, j - i);
    const bool shape = run.size() == 3 && run[0] >= '2' && run[0] <= '5' && run[1] <= '5';
    const bool left = i == 0 || any_space(s[i - 1]) || in_set(s[i - 1], ";:([<\"'#=");
    const bool digit_after = j + 1 < s.size() && digit_char(s[j + 1]);
    const std::string after = j < s.size() && (s[j] == ' ' || s[j] == '-') ? enhanced_at(j + 1) : "";
    const bool right = j == s.size() || any_space(s[j]) || in_set(s[j], ")]>,;:\"'") ||
                       (s[j] == '.' && !digit_after) ||
                       (s[j] == '-' && (!digit_after || !after.empty()));
    if (shape && left && right) out.push_back({std::string(run), i, after});
    i = j;
  }
  return out;
}

// ---- RFC 3464 delivery-status bodies (dsn.hpp's rules), line by line -----

// A value on one line: white space trimmed at both ends, and every run of
// white space that holds a line break replaced by one space.
inline std::string dsn_unfold(std::string_view v) {
  std::string out;
  std::size_t i = 0;
  while (i < v.size()) {
    const bool space = is_space(v[i]);
    std::size_t j = i;
    while (j < v.size() && is_space(v[j]) == space) ++j;
    const std::string_view run = v.substr(i, j - i);
    if (!space)
      out += run;
    else if (i != 0 && j != v.size())
      out += run.find_first_of("\r\n") == std::string_view::npos ? std::string(run) : " ";
    i = j;
  }
  return out;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

struct dsn_field {
  std::string name;  // as written
  std::string value; // unfolded
  std::size_t offset;
};

struct dsn_group {
  std::size_t offset = 0;
  std::map<std::string, std::string> fields; // lower-case name -> first value, unfolded
  std::vector<dsn_field> all;                 // every field, in order
};

struct dsn_body {
  std::map<std::string, std::string> message; // per-message fields, first in the body
  std::vector<dsn_group> recipients;
  std::vector<dsn_field> fields; // every field of the body
};

// "type ; text" on an unfolded value: the type is what comes before the
// first ';', if that is a letter then [A-Za-z0-9._+-] (white space before the
// ';' allowed).
inline std::pair<std::string, std::string> dsn_typed(const std::string& v) {
  const std::size_t semi = v.find(';');
  if (semi == std::string::npos) return {"", v};
  std::string head = v.substr(0, semi);
  while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.pop_back();
  if (head.empty() || !std::isalpha(static_cast<unsigned char>(head[0]))) return {"", v};
  for (char c : head)
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("-_.+").find(c) ==
                                                            std::string_view::npos)
      return {"", v};
  return {head, dsn_unfold(v.substr(semi + 1))};
}

// An address field: typed, then "<u@x>" -> "u@x".
inline std::pair<std::string, std::string> dsn_address(const std::string& v) {
  auto t = dsn_typed(v);
  if (!t.second.empty() && t.second[0] == '<') {
    const std::size_t close = t.second.find('>');
    if (close != std::string::npos) t.second = dsn_unfold(t.second.substr(1, close - 1));
  }
  return t;
}

// Status: the first token (up to white space or '('), lenient.
inline std::optional<code> dsn_status(const std::string& v) {
  return enhanced_lenient(v.substr(0, std::min(v.find_first_of(" \t("), v.size())));
}

// The groups of a body: split into lines, lines into fields, fields into
// groups, all with std::string and std::map.
inline dsn_body dsn_groups(std::string_view body) {
  struct line {
    std::size_t offset;
    std::string text;
  };
  std::vector<line> lines;
  for (std::size_t start = 0; start < body.size();) {
    std::size_t lf = body.find('\n', start);
    const bool last = lf == std::string_view::npos;
    if (last) lf = body.size();
    std::string text(body.substr(start, lf - start));
    if (!last && !text.empty() && text.back() == '\r') text.pop_back();
    lines.push_back({start, text});
    start = last ? body.size() : lf + 1;
  }
  const auto blank = [](const std::string& t) {
    return t.find_first_not_of(" \t\r") == std::string::npos;
  };
  // "Name :" -> the name's length, or 0 if the line is not a field line
  const auto field_name = [](const std::string& t) -> std::size_t {
    if (t.empty() || !std::isalpha(static_cast<unsigned char>(t[0]))) return 0;
    std::size_t n = 0;
    while (n < t.size() && (std::isalnum(static_cast<unsigned char>(t[n])) || t[n] == '-' ||
                            t[n] == '_'))
      ++n;
    const std::size_t colon = t.find_first_not_of(" \t", n);
    if (colon == std::string::npos || t[colon] != ':') return 0;
    if (t.compare(colon + 1, 2, "//") == 0) return 0;
    return n;
  };

  // fields, with blank lines between them as fields without a name
  struct item {
    bool is_blank;
    std::size_t offset;
    std::string name, value;
  };
  std::vector<item> items;
  for (const line& l : lines) {
    if (blank(l.text)) {
      items.push_back({true, l.offset, "", ""});
    } else if (const std::size_t n = field_name(l.text)) {
      items.push_back({false, l.offset, l.text.substr(0, n),
                       l.text.substr(l.text.find(':') + 1)});
    } else if (!items.empty() && !items.back().is_blank) {
      items.back().value += "\n" + l.text; // continues the field before it
    }                                      // else: continues nothing, dropped
  }

  dsn_body out;
  std::vector<dsn_group> groups;
  bool open = false;
  for (const item& it : items) {
    if (it.is_blank) {
      open = false;
      continue;
    }
    const std::string name = lower(it.name);
    if (open) {
      const auto& f = groups.back().fields;
      const bool has_final = f.count("final-recipient") != 0;
      const bool has_original = f.count("original-recipient") != 0;
      const bool has_action_or_status = f.count("action") != 0 || f.count("status") != 0;
      if ((name == "final-recipient" && has_final) ||
          (name == "original-recipient" && (has_original || (has_final && has_action_or_status))))
        open = false;
    }
    if (!open) {
      groups.push_back({});
      groups.back().offset = it.offset;
      open = true;
    }
    const dsn_field f{it.name, dsn_unfold(it.value), it.offset};
    groups.back().fields.emplace(name, f.value);
    groups.back().all.push_back(f);
    out.fields.push_back(f);
  }

  const std::vector<std::string> anchors = {"final-recipient", "original-recipient", "action",
                                            "status"};
  const std::vector<std::string> per_message = {"reporting-mta", "dsn-gateway",
                                                "received-from-mta", "arrival-date",
                                                "original-envelope-id"};
  bool before_first = true;
  for (const dsn_group& g : groups) {
    bool is_recipient = false;
    for (const std::string& a : anchors) is_recipient |= g.fields.count(a) != 0;
    if (before_first)
      for (const std::string& m : per_message)
        if (g.fields.count(m) != 0) out.message.emplace(m, g.fields.at(m));
    if (is_recipient) {
      before_first = false;
      out.recipients.push_back(g);
    }
  }
  return out;
}

// mbox: the file's lines (each with its line end); a file that starts with
// "From " is split before every "From " line that follows an empty line
// ("\n" or "\r\n"), and the "From " lines themselves are dropped. Any other
// non-empty file is one message.
inline std::vector<std::string_view> mbox_messages(std::string_view file) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start < file.size();) {
    const std::size_t lf = file.find('\n', start);
    const std::size_t end = lf == std::string_view::npos ? file.size() : lf + 1;
    lines.push_back(file.substr(start, end - start));
    start = end;
  }
  if (file.substr(0, 5) != "From ") {
    if (file.empty()) return {};
    return {file};
  }
  std::vector<std::string_view> out;
  const char* begin = lines[0].data() + lines[0].size(); // after the first From line
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const bool after_empty = lines[i - 1] == "\n" || lines[i - 1] == "\r\n";
    if (lines[i].substr(0, 5) == "From " && after_empty) {
      out.emplace_back(begin, static_cast<std::size_t>(lines[i].data() - begin));
      begin = lines[i].data() + lines[i].size();
    }
  }
  out.emplace_back(begin, static_cast<std::size_t>(file.data() + file.size() - begin));
  return out;
}

} // namespace reference

#endif
