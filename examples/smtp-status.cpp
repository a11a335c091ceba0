// smtp-status: the library's face on the command line.
//
//   smtp-status explain [--json] ARG...   what a code, reply code or reply line means
//   smtp-status list [--json|--tsv]       the IANA registry and the reply-code table
//   smtp-status reply [--json] [--lenient] [FILE|-]   SMTP replies as read off the wire
//   smtp-status format [--max-line N] REPLY_CODE [ENHANCED_CODE] TEXT...   a reply's wire form
//   smtp-status scan [--json] [FILE...|-]   each recipient's status in bounce messages
//
// Exit status: 0 all input understood, 1 some input invalid, 2 usage error.
// --json writes JSON Lines; its field names are a stable interface (DESIGN.md).
// Standard library, <smtp_status/smtp_status.hpp> and POSIX (read, isatty); no
// exceptions, no RTTI.
#include <smtp_status/smtp_status.hpp>
#include <smtp_status/string.hpp>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fcntl.h> // scan reads its files with read(2) (POSIX); isatty: progress for terminals only
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace smtp_status;
using std::string_view;

constexpr string_view short_usage = "usage: smtp-status explain [--json] ARG...\n"
                                    "       smtp-status list [--json|--tsv]\n"
                                    "       smtp-status reply [--json] [--lenient] [FILE|-]\n"
                                    "       smtp-status format [--max-line N] REPLY_CODE "
                                    "[ENHANCED_CODE] TEXT...\n"
                                    "       smtp-status scan [--json] [FILE...|-]\n"
                                    "       smtp-status --help\n"
                                    "Try 'smtp-status --help' for more.\n";

constexpr string_view long_usage =
    "smtp-status: what SMTP status codes mean (RFC 3463 enhanced codes, RFC 5321 reply codes).\n"
    "\n"
    "  smtp-status explain [--json] ARG...\n"
    "      Explains each ARG: an enhanced code (5.1.1), a reply code (550) or a reply\n"
    "      line (\"550 5.1.1 User unknown\", \"550-5.1.1 text\", \"550 text\").\n"
    "      A reply code followed by an enhanced code as the next argument is one\n"
    "      reply: `explain 550 5.1.1` is the same as `explain \"550 5.1.1\"`.\n"
    "      Codes are parsed strictly (RFC 3463 §2, RFC 5321 §4.2), else leniently\n"
    "      (\" 5.01.1:\" is accepted, with a note in the human output).\n"
    "  smtp-status list [--json|--tsv]\n"
    "      The IANA enhanced status code registry, then the reply-code table.\n"
    "  smtp-status reply [--json] [--lenient] [FILE|-]\n"
    "      Reads SMTP replies as read off the wire (CRLF or LF line ends; a session\n"
    "      capture, pipelined replies) from FILE or standard input and prints one\n"
    "      result per reply: its codes, line texts and warnings, or why it is\n"
    "      invalid. Lines up to 512 octets (RFC 5321), 100 per reply; --lenient\n"
    "      allows 8192 and 1000. Reading goes on after an invalid reply.\n"
    "  smtp-status format [--max-line N] REPLY_CODE [ENHANCED_CODE] TEXT...\n"
    "      Prints a reply in its wire form (CRLF line ends): the TEXT arguments\n"
    "      joined by spaces, a newline in them starting a new line, and lines\n"
    "      longer than N octets (default 512, RFC 5321) wrapped, the codes on every\n"
    "      line. The argument after REPLY_CODE is the enhanced code if it is one.\n"
    "\n"
    "  --json       one JSON object per line (JSON Lines)\n"
    "  --tsv        tab-separated values with a header line (list only)\n"
    "  --lenient    longer lines and more of them in a reply (reply only)\n"
    "  --max-line N the longest line in octets, CRLF included (format only)\n"
    "  -h, --help   this text\n"
    "  --           the arguments after it are not options\n"
    "\n"
    "Exit status: 0 all input understood, 1 some input invalid (scan: a message\n"
    "with no recognisable bounce), 2 usage error (reply, scan: also an unreadable FILE).\n";

// ---- Text output ----------------------------------------------------------------

// Appends every argument (anything a string_view can be made from).
template <class... Parts> void cat(std::string& out, const Parts&... parts) {
  (out.append(string_view(parts)), ...);
}

// Length of the well-formed UTF-8 sequence (RFC 3629) at s[i], or 0.
std::size_t utf8_length(string_view s, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  unsigned low = 0x80, high = 0xBF; // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF)
    n = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    if (lead == 0xE0) low = 0xA0;  // overlong
    if (lead == 0xED) high = 0x9F; // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    if (lead == 0xF0) low = 0x90;  // overlong
    if (lead == 0xF4) high = 0x8F; // above U+10FFFF
  } else
    return 0;
  if (s.size() - i < n || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
  return n;
}

enum class escape_style { json, terminal };

// Appends s with control characters escaped (\u00XX in JSON, \xNN for a
// terminal), each byte of malformed UTF-8 replaced by U+FFFD, and in JSON
// also '"' and '\' escaped. Well-formed UTF-8 ("§") passes unchanged.
void put_escaped(std::string& out, string_view s, escape_style style) {
  constexpr string_view hex = "0123456789abcdef";
  const auto plain = [style](unsigned char c) {
    return c >= 0x20 && c < 0x7F && !(style == escape_style::json && (c == '"' || c == '\\'));
  };
  for (std::size_t i = 0; i < s.size();) {
    std::size_t run = i; // printable ASCII goes in one append, not a byte at a time
    while (run < s.size() && plain(static_cast<unsigned char>(s[run]))) ++run;
    out.append(s.data() + i, run - i);
    if ((i = run) == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = utf8_length(s, i);
    if (c < 0x20 || c == 0x7F) {
      cat(out, style == escape_style::json ? "\\u00" : "\\x");
      out += hex[c >> 4u];
      out += hex[c & 0xFu];
    } else if (style == escape_style::json && (c == '"' || c == '\\')) {
      out += '\\';
      out += static_cast<char>(c);
    } else if (n == 0) {
      out += "\xEF\xBF\xBD";
    } else {
      out += s.substr(i, n);
    }
    i += n == 0 ? 1 : n;
  }
}

// Appends the words of s joined by single spaces (no tab, no newline). With
// a width, a word that would pass that column starts a new line, indented.
void put_words(std::string& out, string_view s, std::size_t indent = 0, std::size_t width = 0) {
  constexpr string_view space = " \t\r\n\v\f";
  const std::size_t newline = out.rfind('\n');
  std::size_t column = newline == std::string::npos ? out.size() : out.size() - newline - 1;
  bool first = true;
  for (std::size_t p = s.find_first_not_of(space); p != string_view::npos;
       p = s.find_first_not_of(space, p)) {
    const string_view word = s.substr(p, s.find_first_of(space, p) - p);
    p += word.size();
    if (!first && width != 0 && column + 1 + word.size() > width) {
      out += '\n';
      out.append(indent, ' ');
      column = indent;
    } else if (!first) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word.size();
    first = false;
  }
}

// Pads the text appended since `start` with spaces to `width` (at least two).
void pad(std::string& out, std::size_t start, std::size_t width) {
  const std::size_t used = out.size() - start;
  out.append(used + 2 > width ? 2 : width - used, ' ');
}

// One JSON object on one line: json_object{out}("key", value)...end().
// Values: bool, unsigned integers, strings, std::nullopt, std::optional and std::vector of those.
class json_object {
public:
  explicit json_object(std::string& out) : out_(out) { out_ += '{'; }
  template <class T> json_object& operator()(string_view key, const T& value) {
    cat(out_, first_ ? "\"" : ",\"", key, "\":");
    first_ = false;
    put(value);
    return *this;
  }
  void end() { out_ += "}\n"; }

private:
  void put(std::nullopt_t) { out_ += "null"; }
  void put(bool b) { out_ += b ? "true" : "false"; }
  template <class T, std::enable_if_t<std::is_unsigned_v<T> && !std::is_same_v<T, bool>, int> = 0>
  void put(T v) {
    out_ += std::to_string(v);
  }
  void put(const char* s) { put(string_view(s)); }
  void put(string_view s) {
    out_ += '"';
    put_escaped(out_, s, escape_style::json);
    out_ += '"';
  }
  template <class T> void put(const std::optional<T>& v) {
    if (v)
      put(*v);
    else
      put(std::nullopt);
  }
  template <class T> void put(const std::vector<T>& v) {
    out_ += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i != 0) out_ += ',';
      put(v[i]);
    }
    out_ += ']';
  }

  std::string& out_;
  bool first_ = true;
};

// Writes and clears the buffer; false on a write error.
bool flush(std::string& out) {
  const bool ok = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
  out.clear();
  return ok;
}

// "'ARG'", escaped for a message.
std::string quoted(string_view s) {
  std::string q("'");
  put_escaped(q, s, escape_style::terminal);
  return q += '\'';
}

// "smtp-status: MESSAGE" and the lines `more` on stderr; returns `status`.
int complain(int status, string_view message, string_view more = "") {
  std::string err("smtp-status: ");
  cat(err, message, "\n", more);
  std::fputs(err.c_str(), stderr);
  return status;
}

// ---- explain: parsing an argument -------------------------------------------------

bool is_digit_at(string_view s, std::size_t i) noexcept {
  return i < s.size() && s[i] >= '0' && s[i] <= '9';
}
// A digit and a dot: what an enhanced code starts with.
bool enhanced_at(string_view s, std::size_t i) noexcept {
  return is_digit_at(s, i) && i + 1 < s.size() && s[i + 1] == '.';
}
constexpr string_view spaces = " \t\r\n";

// What an argument holds, read in one parse mode.
struct parsed {
  std::optional<reply_code> reply;
  std::optional<enhanced_code> enhanced;
  parse_error error = parse_error::none;
  std::size_t offset = 0; // of the error
};

template <class Code> parsed failed(const parse_result<Code>& r, std::size_t base) {
  return {std::nullopt, std::nullopt, r.error, base + r.offset};
}

// An enhanced code ("5.1.1"), a reply code ("550") or a reply line: a reply
// code, then '-' or white space, then an enhanced code if one follows, then
// text ("550 5.1.1 User unknown", "550-5.1.1 text", "550 text"). The shape is
// chosen from the first characters, so the error is about what was meant.
parsed parse_arg(string_view s, parse_mode mode) {
  const std::size_t p = std::min(s.find_first_not_of(spaces), s.size());
  const bool line = is_digit_at(s, p) && is_digit_at(s, p + 1) && is_digit_at(s, p + 2) &&
                    p + 3 < s.size() && string_view("- \t\r\n").find(s[p + 3]) != string_view::npos;
  if (line) {
    // Leading white space is lenient; white space between the parts is not a code matter.
    const std::size_t start = mode == parse_mode::lenient ? p : 0;
    const parse_result<reply_code> reply = parse_reply_code_detailed(s.substr(start, 3), mode);
    if (!reply) return failed(reply, start); // strict and leading space: fails at offset 0
    parsed out{reply.value, std::nullopt};
    const std::size_t q = std::min(s.find_first_not_of(spaces, p + 4), s.size());
    if (enhanced_at(s, q)) {
      const string_view token = s.substr(q, s.find_first_of(spaces, q) - q);
      const parse_result<enhanced_code> e = parse_enhanced_code_detailed(token, mode);
      if (!e) return failed(e, q);
      out.enhanced = e.value;
    }
    return out;
  }
  if (is_digit_at(s, p) && !enhanced_at(s, p)) {
    const parse_result<reply_code> r = parse_reply_code_detailed(s, mode);
    return r ? parsed{r.value, std::nullopt} : failed(r, 0);
  }
  const parse_result<enhanced_code> e = parse_enhanced_code_detailed(s, mode);
  return e ? parsed{std::nullopt, e.value} : failed(e, 0);
}

// "leading zero in a sub-code at offset 2", "... at offset 40 (line 3)"
std::string describe(string_view message, std::size_t offset, std::size_t line = 0) {
  std::string s(message);
  cat(s, " at offset ", std::to_string(offset));
  if (line != 0) cat(s, " (line ", std::to_string(line), ")");
  return s;
}
std::string describe(const parsed& p) { return describe(to_string_view(p.error), p.offset); }

// ---- explain: what an input means ---------------------------------------------------

struct explanation {
  std::string input;
  std::string error;        // empty when the input was understood
  std::string lenient_note; // the strict parse's complaint, when only lenient parsing succeeded
  std::optional<reply_code> reply;
  std::optional<enhanced_code> enhanced;
  registry_match match{}; // level none without an enhanced code
  table_view<reply_entry> replies{nullptr, nullptr};
};

explanation explain(string_view input) {
  explanation x;
  x.input = input;
  const parsed strict = parse_arg(input, parse_mode::strict);
  const parsed p =
      strict.error == parse_error::none ? strict : parse_arg(input, parse_mode::lenient);
  if (p.error != parse_error::none) {
    cat(x.error, "\"", input, "\": ", describe(p));
    return x;
  }
  if (strict.error != parse_error::none) x.lenient_note = describe(strict);
  x.reply = p.reply;
  x.enhanced = p.enhanced;
  if (x.enhanced) x.match = lookup_fallback(*x.enhanced);
  if (x.reply) x.replies = lookup(*x.reply);
  return x;
}

template <class T, class F>
auto maybe(const std::optional<T>& o, F f) -> std::optional<decltype(f(*o))> {
  if (o) return f(*o);
  return std::nullopt;
}

// The class of the enhanced code, else of the reply code's first digit.
std::optional<string_view> class_name(const explanation& x) {
  if (x.enhanced) return to_string_view(x.enhanced->code_class());
  return maybe(x.reply, [](reply_code r) {
    return r.first_digit() == 3 ? string_view("intermediate")
                                : to_string_view(static_cast<status_class>(r.first_digit()));
  });
}

// The best registry row's texts, else those of the reply code's rows.
std::optional<string_view> sample_text(const explanation& x) {
  if (x.match) return x.match->sample_text;
  for (const reply_entry& r : x.replies)
    if (!r.text.empty()) return r.text;
  return std::nullopt;
}

std::optional<string_view> description(const explanation& x) {
  if (x.match) return x.match->description;
  if (x.replies) return x.replies->meaning;
  return std::nullopt;
}

std::vector<unsigned> numbers(const associated_codes& a) { return {a.begin(), a.end()}; }

// The associated reply codes of an exactly matching registry row.
std::vector<unsigned> associated_numbers(const explanation& x) {
  if (x.match.level != match_level::exact) return {};
  return numbers(x.match->associated);
}

std::vector<string_view> references(const explanation& x) {
  std::vector<string_view> refs;
  if (x.match) refs.push_back(x.match->reference);
  for (const reply_entry& r : x.replies)
    if (std::find(refs.begin(), refs.end(), r.reference) == refs.end()) refs.push_back(r.reference);
  return refs;
}

std::optional<bounce_class> bounce(const explanation& x) {
  if (x.reply && x.enhanced) return classify(*x.reply, *x.enhanced);
  if (x.enhanced) return classify(*x.enhanced);
  return maybe(x.reply, [](reply_code r) { return classify(r); });
}

void put_json(std::string& out, const explanation& x) {
  const bool valid = x.error.empty();
  const std::optional<bounce_class> b = bounce(x);
  const auto& e = x.enhanced;
  json_object o{out};
  o("input", x.input)("valid", valid);
  o("error", valid ? std::nullopt : std::optional<string_view>(x.error));
  o("reply_code", maybe(x.reply, [](reply_code r) { return r.value(); }));
  o("enhanced_code", maybe(e, [](enhanced_code c) { return to_string(c); }));
  o("class", class_name(x));
  o("subject", maybe(e, [](enhanced_code c) { return c.subject(); }));
  o("detail", maybe(e, [](enhanced_code c) { return c.detail(); }));
  o("sample_text", sample_text(x))("description", description(x));
  o("associated_reply_codes", associated_numbers(x))("references", references(x));
  o("match", to_string_view(x.match.level));
  o("consistent", x.reply && e ? std::optional<bool>(consistent(*x.reply, *e)) : std::nullopt);
  o("bounce_kind", maybe(b, [](bounce_class c) { return to_string_view(c.kind); }));
  o("reason", maybe(b, [](bounce_class c) { return to_string_view(c.reason); }));
  o.end();
}

// ---- explain: human output ------------------------------------------------------------

constexpr std::size_t text_width = 80;

// A table row: its title, its text wrapped below, then "name: value" lines
// for the fields that have a value.
void put_row(std::string& out, string_view title, string_view text,
             std::initializer_list<std::pair<string_view, string_view>> fields) {
  cat(out, "    ", title, "\n      ");
  put_words(out, text, 6, text_width);
  out += '\n';
  for (const auto& [name, value] : fields)
    if (!value.empty()) cat(out, "      ", name, ": ", value, "\n");
}

void put_entry(std::string& out, const registry_entry& e, string_view role) {
  std::string title;
  cat(title, e.code, "  ", e.sample_text, role.empty() ? "" : "  (", role, role.empty() ? "" : ")",
      e.deprecated ? "  (deprecated)" : "");
  put_row(out, title, e.description,
          {{"associated reply codes", e.associated.text}, {"reference", e.reference}});
}

void put_human(std::string& out, const explanation& x) {
  put_escaped(out, x.input, escape_style::terminal);
  out += '\n';
  if (!x.error.empty()) {
    cat(out, "  invalid: ");
    put_escaped(out, x.error, escape_style::terminal);
    out += "\n\n";
    return;
  }
  if (!x.lenient_note.empty())
    cat(out, "  accepted in lenient mode only (strict: ", x.lenient_note, ")\n");
  if (const auto& e = x.enhanced) {
    const registry_match& m = x.match;
    cat(out, "  enhanced code ", code_chars(*e).view(), ": ", to_string_view(e->code_class()), ", ",
        to_string_view(category(*e)), "; registry match: ", to_string_view(m.level), "\n");
    put_entry(out, *m.entry, m.level == match_level::exact ? "" : "stands in");
    if (m.level != match_level::exact) {
      if (m.subject_entry != nullptr)
        put_entry(out, *m.subject_entry, "subject");
      else
        cat(out, "    subject ", std::to_string(e->subject()), " is not registered\n");
      put_entry(out, *m.class_entry, "class");
    }
  }
  if (const auto& r = x.reply) {
    cat(out, "  reply code ", code_chars(*r).view(), ": ", to_string_view(severity(*r)), ", ",
        to_string_view(category(*r)), "\n");
    if (!x.replies) out += "    not defined by the RFCs in the reply-code table\n";
    for (const reply_entry& row : x.replies)
      put_row(out, row.text.empty() ? "(no text given)" : row.text, row.meaning,
              {{"reference", row.reference}});
  }
  if (x.reply && x.enhanced) {
    const consistency c = check_pair(*x.reply, *x.enhanced);
    cat(out, "  pair: ", c == consistency::error ? "inconsistent" : "consistent", " (",
        to_string_view(c));
    if (c == consistency::warning)
      cat(out, ": ", code_chars(*x.reply).view(), " is not in the registry's list for ",
          x.match->code);
    if (c == consistency::error)
      cat(out, ": class ", std::to_string(x.enhanced->class_digit()), " vs reply ",
          std::to_string(x.reply->first_digit()), "xx");
    out += ")\n";
  }
  const std::optional<bounce_class> b = bounce(x); // set: a valid input has a code
  cat(out, "  class ", class_name(x).value_or(""), "; bounce ", to_string_view(b->kind),
      ", reason ", to_string_view(b->reason), "\n\n");
}

int run_explain(const std::vector<string_view>& args, bool json) {
  int status = 0;
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string input(args[i]);
    // `explain 550 5.1.1`: a reply code, then an enhanced code, is one reply.
    if (i + 1 < args.size() && parse_reply_code(args[i], parse_mode::lenient) &&
        parse_enhanced_code(args[i + 1], parse_mode::lenient))
      cat(input, " ", args[++i]);
    const explanation x = explain(input);
    if (!x.error.empty()) status = 1;
    json ? put_json(out, x) : put_human(out, x);
    if (!flush(out)) return -1;
  }
  return status;
}

// ---- list --------------------------------------------------------------------------

enum class format { human, json, tsv };

void put_tsv(std::string& out, std::initializer_list<string_view> fields) {
  bool first = true;
  for (string_view f : fields) {
    if (!first) out += '\t';
    put_words(out, f); // white space folded: never a tab or a newline inside a field
    first = false;
  }
  out += '\n';
}

int run_list(format f) {
  std::string out;
  if (f == format::tsv)
    out += "kind\tcode\tsample_text\tassociated_reply_codes\treference\tdescription\n";
  if (f == format::human)
    cat(out, "IANA SMTP Enhanced Status Codes (registry of ", registry_updated, ")\n",
        "code        sample text                                       associated reply codes\n");
  for (const registry_entry& e : registry()) {
    if (f == format::tsv) {
      put_tsv(out, {to_string_view(e.kind), e.code, e.sample_text, e.associated.text, e.reference,
                    e.description});
    } else if (f == format::json) {
      json_object o{out};
      o("kind", to_string_view(e.kind))("code", e.code)("sample_text", e.sample_text);
      o("associated_reply_codes", e.associated.text);
      o("associated_codes", numbers(e.associated));
      o("description", e.description)("reference", e.reference)("submitter", e.submitter);
      o("change_controller", e.change_controller)("deprecated", e.deprecated).end();
    } else {
      const std::size_t start = out.size();
      out += e.code;
      pad(out, start, 12);
      put_words(out, e.sample_text);
      if (e.deprecated) out += " (deprecated)";
      if (!e.associated.text.empty()) pad(out, start, 62);
      cat(out, e.associated.text, "\n");
    }
  }
  if (f == format::human) out += "\nReply codes\n";
  for (const reply_entry& r : reply_table()) {
    const std::string code = std::to_string(r.code);
    if (f == format::tsv) {
      put_tsv(out, {"reply", code, r.text, "", r.reference, r.meaning});
    } else if (f == format::json) {
      json_object{out}("kind", "reply")("code", unsigned{r.code})("text", r.text)(
          "meaning", r.meaning)("reference", r.reference)
          .end();
    } else {
      cat(out, code, "  ", r.text.empty() ? r.meaning : r.text, "  [", r.reference, "]\n");
    }
  }
  return flush(out) ? 0 : -1;
}

// ---- reply ---------------------------------------------------------------------------

std::size_t newlines(string_view s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// One result: a reply, or (error set) why the bytes at `offset` are not one.
// An invalid reply has no codes, lines or warnings.
void put_reply(std::string& out, const reply_result& r, std::size_t offset,
               const std::string& error, bool json) {
  const bool valid = error.empty();
  const reply& v = r.value;
  std::vector<string_view> lines, warnings;
  if (valid) {
    for (const reply_line& l : v.lines()) lines.push_back(l.text);
    for (unsigned bit = 1; bit <= 0x8000u; bit <<= 1)
      if ((v.warnings & bit) != 0)
        warnings.push_back(to_string_view(static_cast<reply_warning>(bit)));
  }
  if (json) {
    json_object o{out};
    o("reply_code", valid ? std::optional<unsigned>(v.code.value()) : std::nullopt);
    o("enhanced_code",
      valid && v.has_enhanced ? std::optional<std::string>(to_string(v.enhanced)) : std::nullopt);
    o("lines", lines)("valid", valid);
    o("error", valid ? std::nullopt : std::optional<string_view>(error));
    o("warnings", warnings)("offset", offset).end();
    return;
  }
  if (!valid) {
    cat(out, "invalid: ", error, "\n");
    return;
  }
  cat(out, code_chars(v.code).view(), v.has_enhanced ? " " : "",
      v.has_enhanced ? code_chars(v.enhanced).view() : "", " (", std::to_string(v.line_count),
      v.line_count == 1 ? " line)" : " lines)");
  std::string text; // the lines' texts, " / " between them
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i != 0) text += " / ";
    put_escaped(text, lines[i], escape_style::terminal);
  }
  if (!text.empty()) cat(out, " ", text);
  for (std::size_t i = 0; i < warnings.size(); ++i)
    cat(out, i == 0 ? "\n  warnings: " : ", ", warnings[i]);
  out += '\n';
}

// Reads the stream in chunks through a reply_reader, one result per reply.
// The reader's offsets count from the start of the reply, held in `buffer`.
int run_reply(string_view path, bool json, bool lenient) {
  const bool is_stdin = path == "-";
  std::FILE* in = is_stdin ? stdin : std::fopen(std::string(path).c_str(), "rb");
  if (in == nullptr)
    return complain(2, "cannot open " + quoted(path) + ": " + std::strerror(errno));
  std::vector<char> buffer(std::size_t{1} << 20), chunk(std::size_t{64} << 10);
  reply_reader reader(buffer.data(), buffer.size(),
                      lenient ? lenient_reply_limits : reply_limits{});
  std::size_t pos = 0, line = 1;         // where reading is in the stream
  std::size_t start = 0, start_line = 1; // where the reply being read starts
  bool skip = false;                     // the rest of a rejected line
  int status = 0;
  std::string out;
  const auto report = [&](const reply_result& r) {
    std::string error;
    if (!r) {
      status = 1;
      error = describe(to_string_view(r.error), start + r.offset,
                       start_line + newlines({buffer.data(), r.offset}));
    }
    put_reply(out, r, start, error, json);
  };
  for (std::size_t n; (n = std::fread(chunk.data(), 1, chunk.size(), in)) != 0;) {
    for (string_view rest(chunk.data(), n); !rest.empty();) {
      std::size_t used = 0;
      if (skip) {
        const std::size_t lf = rest.find('\n');
        skip = lf == string_view::npos;
        used = skip ? rest.size() : lf + 1;
      } else {
        const read_result r = reader.feed(rest);
        used = r.consumed;
        if (r.status != read_status::need_more) {
          report(reader.result());
          // As the reader would, skip the rest of the bad line, but here, to see where it ends.
          skip = r.status == read_status::error && rest[used - 1] != '\n';
          if (skip) reader.reset();
        }
      }
      line += newlines(rest.substr(0, used));
      pos += used;
      rest.remove_prefix(used);
      if (reader.buffered() == 0) {
        start = pos;
        start_line = line;
      }
    }
    if (!flush(out)) return -1;
  }
  if (reader.buffered() != 0) {
    reply_result r;
    r.error = reply_error::incomplete;
    r.offset = reader.buffered();
    report(r);
  }
  const bool read_error = std::ferror(in) != 0;
  if (!is_stdin) std::fclose(in);
  if (read_error) return complain(2, "error reading " + quoted(path));
  return flush(out) ? status : -1;
}

// ---- format ------------------------------------------------------------------------

// args: REPLY_CODE [ENHANCED_CODE] TEXT...
int run_format(const std::vector<string_view>& args, std::size_t max_line) {
  const parse_result<reply_code> code = parse_reply_code_detailed(args[0]);
  if (!code)
    return complain(1, "reply code " + quoted(args[0]) + ": " +
                           describe(to_string_view(code.error), code.offset));
  const std::optional<enhanced_code> enhanced =
      args.size() > 1 ? parse_enhanced_code(args[1]) : std::nullopt;
  std::string text; // the TEXT words, joined by spaces
  const std::size_t first = enhanced ? 2 : 1;
  for (std::size_t i = first; i < args.size(); ++i) cat(text, i == first ? "" : " ", args[i]);
  std::vector<string_view> lines; // split at each newline
  for (std::size_t p = 0, q = 0; q != string_view::npos; p = q + 1) {
    q = text.find('\n', p);
    lines.push_back(string_view(text).substr(p, q - p));
  }
  const reply_status status =
      enhanced ? reply_status{code.value, true, *enhanced} : make_status(code.value);
  std::string wire(max_reply_line, '\0');
  const auto build = [&] {
    return format_reply(wire.data(), wire.data() + wire.size(), status, lines.data(), lines.size(),
                        max_line);
  };
  build_result r = build();
  if (r.error == build_error::buffer_too_small) {
    wire.resize(r.size);
    r = build();
  }
  std::string m(to_string_view(r.error));
  if (r.error == build_error::forbidden_character) m = describe(m, r.offset, r.line + 1);
  if (r.error == build_error::class_mismatch) cat(m, ": ", args[0], " ", args[1]);
  if (!r) return complain(1, m);
  wire.resize(r.size);
  return flush(wire) ? 0 : -1;
}

// ---- scan ------------------------------------------------------------------------------

struct scan_totals {
  std::size_t messages = 0, recipients = 0, hard = 0, soft = 0, not_bounces = 0;
};

// The messages of an mbox read from fd, to f(message, index, end) with end
// the message's end in the input: the messages for_each_mbox_message finds
// in the whole input, which is not held at once. Each round splits the
// buffer and holds back its last message, which may go on in the input; the
// next round starts at that message's "From " line (a separator is known by
// its own bytes, so the split is the same). read() into one buffer rather
// than mmap: where page faults are dear (virtual machines) faulting in a
// mapping costs several times what read() takes to copy. False, errno set,
// on a read error.
template <class F> bool for_each_message_read(int fd, F&& f) {
  std::vector<char> buffer(std::size_t{1} << 20);
  std::size_t used = 0, index = 0, offset = 0; // offset: of buffer[0] in the input
  for (bool eof = false;;) {
    while (used < buffer.size() && !eof) { // a full buffer: each round splits new bytes
      const ssize_t n = ::read(fd, buffer.data() + used, buffer.size() - used);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return false;
      eof = n == 0;
      used += static_cast<std::size_t>(n);
    }
    const string_view data(buffer.data(), used);
    string_view held;
    const auto give = [&](string_view m) {
      f(m, index++, offset + static_cast<std::size_t>(m.data() + m.size() - data.data()));
    };
    const std::size_t count = for_each_mbox_message(data, [&](string_view m, std::size_t i) {
      if (i > 0) give(held);
      held = m;
    });
    if (eof) {
      if (count > 0) give(held);
      return true;
    }
    // Keep the held message from its "From " line: after the last line end
    // before it (it starts after that line).
    const std::size_t start = static_cast<std::size_t>(held.data() - data.data());
    const std::size_t keep = count == 1 ? 0 : data.rfind('\n', start - 2) + 1;
    std::memmove(buffer.data(), buffer.data() + keep, used - keep);
    used -= keep;
    offset += keep;
    if (used > buffer.size() / 2) buffer.resize(buffer.size() * 2); // a long message
  }
}

void put_record(std::string& out, string_view file, std::size_t index,
                const bounce_recipient* r, std::string& unfolded, bool json) {
  std::optional<string_view> diagnostic;
  if (r && !r->diagnostic.empty()) {
    unfolded.resize(r->diagnostic.size()); // unfolding never lengthens: one pass
    unfolded.resize(unfold(r->diagnostic, unfolded.data(), unfolded.size()));
    diagnostic = unfolded;
  }
  const auto field = [r](auto get) { return r ? std::optional(get(*r)) : std::nullopt; };
  const std::optional<std::string> status =
      r && r->status ? std::optional(to_string(*r->status)) : std::nullopt;
  std::optional<unsigned> reply;
  if (r && r->reply) reply = r->reply->value();
  const auto kind = field([](const bounce_recipient& x) { return to_string_view(x.classification.kind); });
  const auto reason =
      field([](const bounce_recipient& x) { return to_string_view(x.classification.reason); });
  const auto source = field([](const bounce_recipient& x) { return to_string_view(x.source); });
  if (json) {
    json_object o{out};
    o("file", file)("message", index);
    o("recipient", field([](const bounce_recipient& x) { return x.recipient; }));
    o("action", field([](const bounce_recipient& x) { return x.action; }));
    o("status", status)("reply_code", reply)("diagnostic", diagnostic)("source", source);
    o("bounce_kind", kind)("reason", reason);
    o("error", r ? std::nullopt : std::optional<string_view>("no recognisable bounce")).end();
    return;
  }
  std::string where;
  put_escaped(where, file, escape_style::terminal);
  cat(out, where, ":", std::to_string(index), ": ");
  if (!r) {
    out += "no recognisable bounce\n";
    return;
  }
  put_escaped(out, r->recipient, escape_style::terminal);
  cat(out, " ", r->action, " ", status ? *status : "-", " ",
      r->reply ? std::to_string(r->reply->value()) : std::string("-"), " ", *kind, " ", *reason, " (", *source,
      ")");
  if (diagnostic) {
    out += "\n  ";
    put_escaped(out, *diagnostic, escape_style::terminal);
  }
  out += '\n';
}

// A progress line on stderr: only for a terminal, only for large input.
struct progress {
  bool on = false;
  std::size_t total = 0, shown = 0;
  void update(std::size_t done, const scan_totals& t) {
    if (!on || total == 0 || done * 100 / total == shown) return;
    shown = done * 100 / total;
    std::fprintf(stderr, "\rscan: %3zu%%  %zu MB  %zu messages  %zu recipients", shown,
                 done >> 20, t.messages, t.recipients);
  }
  void finish() {
    if (on && shown != 0) std::fputs("\r\x1b[K", stderr);
  }
};

int run_scan(const std::vector<string_view>& paths, bool json, bool terminal) {
  scan_totals t;
  int status = 0;
  std::string out, unfolded;
  std::vector<char> scratch;
  for (const string_view path : paths) {
    const bool is_stdin = path == "-";
    const int fd = is_stdin ? 0 : ::open(std::string(path).c_str(), O_RDONLY);
    struct stat st {};
    const bool regular = fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    const std::size_t size = regular ? static_cast<std::size_t>(st.st_size) : 0;
    progress bar{terminal && size >= (std::size_t{16} << 20), size};
    const auto scan_message = [&](string_view message, std::size_t index, std::size_t end) {
      ++t.messages;
      if (scratch.size() < message.size()) scratch.resize(message.size());
      const bounce_scan_result r =
          scan_bounce(message, scratch.data(), scratch.size(), [&](const bounce_recipient& b) {
            ++t.recipients;
            t.hard += b.classification.kind == bounce_kind::hard;
            t.soft += b.classification.kind == bounce_kind::soft;
            put_record(out, path, index, &b, unfolded, json);
          });
      if (r.recipients == 0) {
        ++t.not_bounces;
        status = 1;
        put_record(out, path, index, nullptr, unfolded, json);
      }
      if (out.size() >= (std::size_t{1} << 16) && !flush(out)) status = -1;
      bar.update(end, t);
    };
    const bool read = fd >= 0 && for_each_message_read(fd, scan_message);
    const int saved = errno;
    if (!is_stdin && fd >= 0) ::close(fd);
    bar.finish();
    if (status < 0 || !flush(out)) return -1; // the records of what was read
    if (!read) return complain(2, "cannot open " + quoted(path) + ": " + std::strerror(saved));
  }
  std::fprintf(stderr, "scan: %zu messages, %zu recipients, %zu hard, %zu soft, %zu without a bounce\n",
               t.messages, t.recipients, t.hard, t.soft, t.not_bounces);
  return status;
}

// ---- command line ------------------------------------------------------------------

// "smtp-status: MESSAGE 'ARG'" and the short usage on stderr; exit status 2.
int usage_error(string_view message, std::optional<string_view> arg = std::nullopt) {
  std::string m(message);
  if (arg) cat(m, " ", quoted(*arg));
  return complain(2, m, short_usage);
}

int run(const std::vector<string_view>& args) {
  const auto end_of_options = std::find(args.begin(), args.end(), string_view("--"));
  for (auto it = args.begin(); it != end_of_options; ++it)
    if (*it == "--help" || *it == "-h") {
      std::fwrite(long_usage.data(), 1, long_usage.size(), stdout);
      return 0;
    }
  if (args.empty()) return usage_error("missing command");
  const string_view command = args[0];
  if (command != "explain" && command != "list" && command != "reply" && command != "format" &&
      command != "scan")
    return usage_error(command.substr(0, 1) == "-" ? "unknown option" : "unknown command", command);
  bool json = false, tsv = false, lenient = false;
  std::size_t max_line = max_reply_line;
  std::vector<string_view> operands;
  for (auto it = args.begin() + 1; it != args.end(); ++it) {
    if (it == end_of_options) {
      operands.insert(operands.end(), it + 1, args.end());
      break;
    }
    const string_view a = *it;
    if (a.size() < 2 || a[0] != '-')
      operands.push_back(a);
    else if (a == "--json" && command != "format")
      json = true;
    else if (a == "--tsv" && command == "list")
      tsv = true;
    else if (a == "--lenient" && command == "reply")
      lenient = true;
    else if (a == "--max-line" && command == "format") {
      const string_view n = it + 1 == args.end() || it + 1 == end_of_options ? "" : *++it;
      const auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), max_line);
      if (ec != std::errc() || end != n.data() + n.size() || n.empty())
        return usage_error("--max-line needs a number, got", n);
    } else {
      std::string message("unknown option for ");
      return usage_error(message.append(command), a);
    }
  }
  if (command == "explain") {
    if (operands.empty()) return usage_error("explain needs at least one ARG");
    return run_explain(operands, json);
  }
  if (command == "reply") {
    if (operands.size() > 1) return usage_error("reply takes at most one FILE, got", operands[1]);
    return run_reply(operands.empty() ? "-" : operands[0], json, lenient);
  }
  if (command == "scan") {
    if (operands.empty()) operands.push_back("-");
    return run_scan(operands, json, isatty(fileno(stderr)) != 0);
  }
  if (command == "format") {
    if (operands.empty()) return usage_error("format needs a REPLY_CODE");
    return run_format(operands, max_line);
  }
  if (!operands.empty()) return usage_error("list takes no argument, got", operands[0]);
  if (json && tsv) return usage_error("list takes --json or --tsv, not both");
  return run_list(json ? format::json : tsv ? format::tsv : format::human);
}

} // namespace

int main(int argc, char** argv) {
  const int status = run(std::vector<string_view>(argv + 1, argv + argc));
  if (status < 0 || std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    std::fputs("smtp-status: error writing to standard output\n", stderr);
    return 1;
  }
  return status;
}
