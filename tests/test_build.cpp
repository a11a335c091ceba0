#include <smtp_status/build.hpp>
#include <smtp_status/literals.hpp>

#include <algorithm>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reference.hpp"

using namespace smtp_status;
using namespace smtp_status::literals;
using namespace std::string_view_literals;

namespace {

constexpr std::size_t buffer_size = 4096;

// A string assembled at compile time.
struct text {
  char data[buffer_size]{};
  std::size_t size = 0;
  constexpr text& add(std::string_view s, std::size_t times = 1) {
    for (std::size_t t = 0; t < times; ++t)
      for (const char c : s) data[size++] = c;
    return *this;
  }
  [[nodiscard]] constexpr std::string_view view() const { return {data, size}; }
};

constexpr bool same(build_result r, const char* buf, std::string_view expected) {
  return r && r.size == expected.size() && std::string_view(buf, r.size) == expected;
}

// One logical line, through every overload that takes it.
constexpr bool wire_is(std::string_view expected, reply_status s, std::string_view line,
                       std::size_t max_line = max_reply_line) {
  char a[buffer_size]{};
  char b[buffer_size]{};
  char c[buffer_size]{};
  const bool by_status = same(format_reply(a, a + buffer_size, s, line, max_line), a, expected);
  const bool by_pointer =
      same(format_reply(b, b + buffer_size, s, &line, 1, max_line), b, expected);
  const bool by_codes =
      s.has_enhanced
          ? same(format_reply(c, c + buffer_size, s.code, s.enhanced, line, max_line), c, expected)
          : same(format_reply(c, c + buffer_size, s.code, line, max_line), c, expected);
  const build_result size = reply_size(s, line, max_line);
  return by_status && by_pointer && by_codes && size && size.size == expected.size();
}

// Several logical lines.
constexpr bool wire_is(std::string_view expected, reply_status s,
                       std::initializer_list<std::string_view> lines,
                       std::size_t max_line = max_reply_line) {
  char a[buffer_size]{};
  char b[buffer_size]{};
  const bool by_list = same(format_reply(a, a + buffer_size, s, lines, max_line), a, expected);
  const bool by_pointer =
      same(format_reply(b, b + buffer_size, s, lines.begin(), lines.size(), max_line), b, expected);
  return by_list && by_pointer && reply_size(s, lines, max_line).size == expected.size();
}

// A reader that knows only the wire grammar (RFC 5321 §4.2, RFC 2034 §4), not
// this library: every line is "NNN-" or "NNN " (SP on the last line only),
// then `enhanced` and SP on every line if it is not empty, and ends in CRLF;
// no CR, LF or NUL elsewhere; every line no longer than max_line.
constexpr bool parses_back(std::string_view wire, std::string_view code, std::string_view enhanced,
                           std::size_t max_line = max_reply_line) {
  if (wire.size() < 2 || wire.substr(wire.size() - 2) != "\r\n") return false;
  while (!wire.empty()) {
    const std::size_t end = wire.find("\r\n");
    if (end == std::string_view::npos || end + 2 > max_line) return false;
    const std::string_view line = wire.substr(0, end);
    wire.remove_prefix(end + 2);
    if (line.size() < 4 || line.substr(0, 3) != code) return false;
    for (std::size_t i = 0; i < 3; ++i)
      if (line[i] < '0' || line[i] > '9') return false;
    if (line[3] != (wire.empty() ? ' ' : '-')) return false;
    std::string_view rest = line.substr(4);
    if (!enhanced.empty()) {
      if (rest.substr(0, enhanced.size()) != enhanced || rest.size() <= enhanced.size() ||
          rest[enhanced.size()] != ' ')
        return false;
      rest.remove_prefix(enhanced.size() + 1);
    }
    for (const char c : rest)
      if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

// The texts of the physical lines, without their prefix.
std::vector<std::string> texts_of(std::string_view wire, std::size_t prefix) {
  std::vector<std::string> out;
  for (std::size_t end; (end = wire.find("\r\n")) != std::string_view::npos;) {
    out.emplace_back(wire.substr(prefix, end - prefix));
    wire.remove_prefix(end + 2);
  }
  return out;
}

std::string format(reply_status s, const std::vector<std::string_view>& lines,
                   std::size_t max_line) {
  std::string out;
  const build_result r =
      format_reply_to(std::back_inserter(out), s, lines.data(), lines.size(), max_line);
  REQUIRE(r);
  REQUIRE(r.size == out.size());
  return out;
}

constexpr bool is_error(build_result r, build_error e, std::size_t offset = 0,
                        std::size_t line = 0) {
  return !r && r.error == e && r.size == 0 && r.offset == offset && r.line == line;
}

// format_reply fails with forbidden_character at (line, offset) and leaves the buffer alone.
constexpr bool refused_at(std::initializer_list<std::string_view> lines, std::size_t line,
                          std::size_t offset) {
  char buf[buffer_size]{};
  for (char& c : buf) c = '#';
  const build_result r =
      format_reply(buf, buf + buffer_size, checked_status(550_reply, "5.1.1"_esc), lines);
  for (const char c : buf)
    if (c != '#') return false;
  return is_error(r, build_error::forbidden_character, offset, line) &&
         is_error(reply_size(make_status(550_reply), lines), build_error::forbidden_character,
                  offset, line);
}

constexpr bool refused_at(std::string_view line, std::size_t offset) {
  char buf[64]{};
  for (char& c : buf) c = '#';
  const build_result r = format_reply(buf, buf + sizeof buf, 550_reply, line);
  for (const char c : buf)
    if (c != '#') return false;
  return is_error(r, build_error::forbidden_character, offset, 0);
}

} // namespace

TEST_CASE("a single line, with and without an enhanced code", "[build]") {
  CHECK_BOTH(wire_is("550 5.1.1 User unknown\r\n", checked_status(550_reply, "5.1.1"_esc),
                     "User unknown"));
  CHECK_BOTH(wire_is("550 User unknown\r\n", make_status(550_reply), "User unknown"));
  CHECK_BOTH(wire_is("250 2.0.0 Ok: queued as 4Fz1xk\r\n", checked_status(250_reply, "2.0.0"_esc),
                     "Ok: queued as 4Fz1xk"));
  CHECK_BOTH(wire_is("421 4.7.0 Try again later\r\n", checked_status(421_reply, "4.7.0"_esc),
                     "Try again later"));
  CHECK_BOTH(wire_is("554 5.999.999 x\r\n", checked_status(554_reply, "5.999.999"_esc_any), "x"));
  // 3xx replies carry no enhanced code (RFC 2034 §4)
  CHECK_BOTH(wire_is("354 Start mail input; end with <CRLF>.<CRLF>\r\n", make_status(354_reply),
                     "Start mail input; end with <CRLF>.<CRLF>"));
}

TEST_CASE("spaces and tabs inside a line are kept", "[build]") {
  CHECK_BOTH(wire_is("250  two  spaces \r\n", make_status(250_reply), " two  spaces "));
  CHECK_BOTH(wire_is("250 2.0.0 \ttab\r\n", checked_status(250_reply, "2.0.0"_esc), "\ttab"));
}

TEST_CASE("no text: one line, the SP after the code (and the enhanced code) still sent",
          "[build]") {
  constexpr auto ok = checked_status(250_reply, "2.0.0"_esc);
  CHECK_BOTH(wire_is("250 \r\n", make_status(250_reply), ""));
  CHECK_BOTH(wire_is("250 2.0.0 \r\n", ok, ""));
  CHECK_BOTH(
      wire_is("250 \r\n", make_status(250_reply), std::initializer_list<std::string_view>{}));
  CHECK_BOTH(wire_is("250 2.0.0 \r\n", ok, std::initializer_list<std::string_view>{}));
  CHECK_BOTH(wire_is("250 2.0.0 \r\n", ok, {""}));
  // an empty element mid-reply is a line with no text
  CHECK_BOTH(
      wire_is("250-2.0.0 first\r\n250-2.0.0 \r\n250 2.0.0 last\r\n", ok, {"first", "", "last"}));
  CHECK_BOTH(wire_is("250-first\r\n250-\r\n250 \r\n", make_status(250_reply), {"first", "", ""}));
}

TEST_CASE("explicit lines: '-' on every line but the last, the codes on every line", "[build]") {
  CHECK_BOTH(wire_is(
      "250-mail.example.com Hello\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n"
      "250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n",
      make_status(250_reply),
      {"mail.example.com Hello", "SIZE 35882577", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8"}));
  CHECK_BOTH(wire_is("550-5.7.1 Message rejected\r\n550-5.7.1 See https://example.com/why\r\n"
                     "550 5.7.1 for details\r\n",
                     checked_status(550_reply, "5.7.1"_esc),
                     {"Message rejected", "See https://example.com/why", "for details"}));
  CHECK_BOTH(wire_is("452 4.5.3 Too many recipients\r\n", checked_status(452_reply, "4.5.3"_esc),
                     {"Too many recipients"}));
}

TEST_CASE("wrapping at a small line limit: enhanced code on every line", "[build]") {
  // room per line: 40 - "550-5.1.1 " - CRLF = 28
  CHECK_BOTH(wire_is("550-5.1.1 The email account that you\r\n"
                     "550-5.1.1 tried to reach does not\r\n"
                     "550-5.1.1 exist. Please try\r\n"
                     "550-5.1.1 double-checking the\r\n"
                     "550-5.1.1 recipient's email address\r\n"
                     "550-5.1.1 for typos or unnecessary\r\n"
                     "550 5.1.1 spaces.\r\n",
                     checked_status(550_reply, "5.1.1"_esc),
                     "The email account that you tried to reach does not exist. Please try "
                     "double-checking the recipient's email address for typos or unnecessary "
                     "spaces.",
                     40));
  // explicit lines are wrapped one by one; '-' continues across them
  CHECK_BOTH(wire_is("451-4.3.0 one two\r\n451-4.3.0 three\r\n451-4.3.0 four\r\n451 4.3.0 five\r\n",
                     checked_status(451_reply, "4.3.0"_esc), {"one two three", "four", "five"},
                     20));
  // without an enhanced code the room is larger: 20 - "451-" - CRLF = 14
  CHECK_BOTH(wire_is("451-one two three\r\n451 four five\r\n", make_status(451_reply),
                     "one two three four five", 20));
}

TEST_CASE("the break replaces one space; others are kept", "[build]") {
  constexpr auto s = make_status(550_reply); // room = max_line - 6
  CHECK_BOTH(wire_is("550-aaaa \r\n550 bbbbb\r\n", s, "aaaa  bbbbb", 11));
  CHECK_BOTH(wire_is("550-aaa \r\n550 bbbb\r\n", s, "aaa  bbbb", 11));
  // a run of spaces across the break, and a word that just fits: an empty line, no split
  CHECK_BOTH(wire_is("550-aaaaa\r\n550-\r\n550 bbbbb\r\n", s, "aaaaa  bbbbb", 11));
  // leading and trailing spaces where they are not at a break
  CHECK_BOTH(wire_is("550-  aa\r\n550 bb  \r\n", s, "  aa bb  ", 11));
  // a line exactly as long as the room; the space after it is the break
  CHECK_BOTH(wire_is("550-aaaaa\r\n550 b\r\n", s, "aaaaa b", 11));
  CHECK_BOTH(wire_is("550 aaaaa\r\n", s, "aaaaa", 11));
}

TEST_CASE("a word longer than a line is split hard", "[build]") {
  constexpr auto s = make_status(550_reply);
  CHECK_BOTH(wire_is("550-aaaaa\r\n550-aaaaa\r\n550 aa\r\n", s, "aaaaaaaaaaaa", 11));
  CHECK_BOTH(wire_is("550-x\r\n550-aaaaa\r\n550-aaaaa\r\n550 a y\r\n", s, "x aaaaaaaaaaa y", 11));
  // the smallest limit: one character per line
  CHECK_BOTH(wire_is("550-5.1.1 a\r\n550-5.1.1 b\r\n550 5.1.1 c\r\n",
                     checked_status(550_reply, "5.1.1"_esc), "abc", 13));
  CHECK_BOTH(wire_is("550-a\r\n550-b\r\n550 c\r\n", s, "a b c", 7));
}

TEST_CASE("UTF-8 passes through; a hard split keeps characters whole", "[build]") {
  CHECK_BOTH(wire_is("550 5.1.1 Empf\xc3\xa4nger j\xc3\xbcrgen@b\xc3\xbc"
                     "cher.example unbekannt\r\n",
                     checked_status(550_reply, "5.1.1"_esc),
                     "Empf\xc3\xa4nger j\xc3\xbcrgen@b\xc3\xbc"
                     "cher.example unbekannt"));
  // room 5: "éé" is 4 bytes, a third "é" would not fit whole
  CHECK_BOTH(wire_is("550-\xc3\xa9\xc3\xa9\r\n550-\xc3\xa9\xc3\xa9\r\n550 \xc3\xa9\xc3\xa9\r\n",
                     make_status(550_reply), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
                     11));
  // a 4-byte character, room 3: no boundary inside the room, so the bytes are split
  CHECK_BOTH(
      wire_is("550-\xf0\x9f\x93\r\n550 \xa7\r\n", make_status(550_reply), "\xf0\x9f\x93\xa7", 9));
  // other bytes, 8-bit or control, are not the builder's business
  CHECK_BOTH(wire_is("550 \x01\x7f\xff\r\n", make_status(550_reply), "\x01\x7f\xff"));
}

namespace {

// x * 500 fills a line of 512 exactly: "550-5.1.1 " (10) + 500 + CRLF.
constexpr bool wraps_at_512_exactly() {
  const auto s = checked_status(550_reply, "5.1.1"_esc);
  const text in = text{}.add("x", 500).add(" ").add("y", 3);
  const text want = text{}.add("550-5.1.1 ").add("x", 500).add("\r\n").add("550 5.1.1 yyy\r\n");
  return wire_is(want.view(), s, in.view()) && parses_back(want.view(), "550", "5.1.1");
}

// 150 words: the first line takes as many as fit (100 words, 499 bytes).
constexpr bool wraps_words_at_512() {
  const auto s = checked_status(550_reply, "5.1.1"_esc);
  const text in = text{}.add("word ", 149).add("word");
  const text want = text{}
                        .add("550-5.1.1 ")
                        .add("word ", 99)
                        .add("word\r\n550 5.1.1 ")
                        .add("word ", 49)
                        .add("word\r\n");
  return wire_is(want.view(), s, in.view()) && parses_back(want.view(), "550", "5.1.1");
}

// 1200 bytes with no space: split hard into 500 + 500 + 200.
constexpr bool splits_at_512() {
  const auto s = checked_status(552_reply, "5.3.4"_esc);
  const text in = text{}.add("z", 1200);
  const text want = text{}
                        .add("552-5.3.4 ")
                        .add("z", 500)
                        .add("\r\n552-5.3.4 ")
                        .add("z", 500)
                        .add("\r\n552 5.3.4 ")
                        .add("z", 200)
                        .add("\r\n");
  return wire_is(want.view(), s, in.view()) && parses_back(want.view(), "552", "5.3.4");
}

// Without an enhanced code: 506 bytes of text on a line.
constexpr bool wraps_at_512_without_enhanced() {
  const text in = text{}.add("q", 506).add(" r");
  const text want = text{}.add("554-").add("q", 506).add("\r\n554 r\r\n");
  return wire_is(want.view(), make_status(554_reply), in.view()) &&
         parses_back(want.view(), "554", "");
}

} // namespace

TEST_CASE("wrapping at the 512-octet limit of RFC 5321 §4.5.3.1.5", "[build]") {
  CHECK_BOTH(max_reply_line == 512);
  CHECK_BOTH(wraps_at_512_exactly());
  CHECK_BOTH(wraps_words_at_512());
  CHECK_BOTH(splits_at_512());
  CHECK_BOTH(wraps_at_512_without_enhanced());
}

TEST_CASE("CR, LF and NUL are refused wherever they are; nothing is written", "[build]") {
  CHECK_BOTH(refused_at("\rX", 0));
  CHECK_BOTH(refused_at("User unknown\r\n550 5.7.1 injected", 12));
  CHECK_BOTH(refused_at("User\nunknown", 4));
  CHECK_BOTH(refused_at("trailing\n", 8));
  CHECK_BOTH(refused_at("nul\0inside"sv, 3));
  CHECK_BOTH(refused_at("\0"sv, 0));
  CHECK_BOTH(refused_at({"fine", "also fine", "bad\r"}, 2, 3));
  CHECK_BOTH(refused_at({"\n", "bad\r"}, 0, 0)); // the first one is reported
  CHECK_BOTH(refused_at({"", "x\0"sv}, 1, 1));
  // also in a text that would be wrapped, and past the first physical line
  CHECK_BOTH(refused_at({"a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j "
                         "k l m n o p q r s t u v w x y z\r"},
                        0, 103));
}

namespace {

// Refused by every form that takes the pair, and nothing written.
constexpr bool mismatch(reply_code r, enhanced_code e) {
  char buf[64]{};
  for (char& c : buf) c = '#';
  const bool refused =
      is_error(format_reply(buf, buf + sizeof buf, r, e, "text"), build_error::class_mismatch) &&
      is_error(format_reply(buf, buf + sizeof buf, reply_status{r, true, e}, "text"),
               build_error::class_mismatch) &&
      is_error(format_reply(buf, buf + sizeof buf, reply_status{r, true, e}, {"a", "b"}),
               build_error::class_mismatch) &&
      is_error(reply_size(reply_status{r, true, e}, "text"), build_error::class_mismatch);
  for (const char c : buf)
    if (c != '#') return false;
  return refused;
}

} // namespace

TEST_CASE("an enhanced code of another class is refused (RFC 2034 §4)", "[build]") {
  CHECK_BOTH(mismatch(550_reply, "4.1.1"_esc));
  CHECK_BOTH(mismatch(354_reply, "2.0.0"_esc)); // no 3xx takes an enhanced code
  CHECK_BOTH(mismatch(354_reply, "5.0.0"_esc));
  CHECK_BOTH(mismatch(250_reply, "5.0.0"_esc));
  CHECK_BOTH(mismatch(421_reply, "2.0.0"_esc));
  // checked first: a mismatch with bad text is a mismatch
  CHECK_BOTH(is_error(reply_size(reply_status{550_reply, true, "4.1.1"_esc}, "a\r\n", 3),
                      build_error::class_mismatch));
  // without an enhanced code any reply code goes
  CHECK_BOTH(wire_is("354 go ahead\r\n", reply_status{354_reply, false, "5.1.1"_esc}, "go ahead"));
}

namespace {

constexpr bool too_small_then_exact() {
  constexpr std::string_view want = "550-5.1.1 one\r\n550 5.1.1 two\r\n";
  const auto s = checked_status(550_reply, "5.1.1"_esc);
  const std::string_view lines[] = {"one", "two"};
  char buf[64]{};
  for (char& c : buf) c = '#';
  for (std::size_t n = 0; n < want.size(); ++n) {
    const build_result r = format_reply(buf, buf + n, s, lines, 2);
    if (r || r.error != build_error::buffer_too_small || r.size != want.size() || r.offset != 0 ||
        r.line != 0)
      return false;
    for (const char c : buf)
      if (c != '#') return false;
  }
  const build_result r = format_reply(buf, buf + want.size(), s, lines, 2);
  return same(r, buf, want) && buf[want.size()] == '#';
}

} // namespace

TEST_CASE("a buffer too small says how much is needed; nothing is written", "[build]") {
  CHECK_BOTH(too_small_then_exact());
  const build_result none = format_reply(nullptr, nullptr, 250_reply, "Ok");
  CHECK(none.error == build_error::buffer_too_small);
  CHECK(none.size == 8);
  CHECK_BOTH(reply_size(make_status(250_reply), "Ok").size == 8);
}

TEST_CASE("a line limit that cannot hold the prefix, a character and CRLF", "[build]") {
  char buf[64]{};
  constexpr auto s = checked_status(550_reply, "5.1.1"_esc);
  CHECK_BOTH(is_error(reply_size(s, "x", 12), build_error::line_limit_too_small));
  CHECK_BOTH(reply_size(s, "x", 13).size == 13);
  CHECK_BOTH(
      is_error(reply_size(make_status(550_reply), "x", 6), build_error::line_limit_too_small));
  CHECK_BOTH(reply_size(make_status(550_reply), "x", 7).size == 7);
  CHECK_BOTH(is_error(reply_size(checked_status(550_reply, "5.999.999"_esc_any), "x", 16),
                      build_error::line_limit_too_small));
  CHECK_BOTH(reply_size(checked_status(550_reply, "5.999.999"_esc_any), "x", 17).size == 17);
  CHECK_BOTH(is_error(reply_size(s, "", 0), build_error::line_limit_too_small));
  CHECK(
      is_error(format_reply(buf, buf + sizeof buf, s, "x", 12), build_error::line_limit_too_small));
  // the limit is checked even when the text is empty, and before the text
  CHECK_BOTH(is_error(reply_size(s, "", 12), build_error::line_limit_too_small));
  CHECK_BOTH(is_error(reply_size(s, "\r", 12), build_error::line_limit_too_small));
}

TEST_CASE("the output-iterator form writes the same bytes, or nothing", "[build]") {
  const auto s = checked_status(550_reply, "5.7.1"_esc);
  const std::string_view lines[] = {"first line", "a second line that is rather long", ""};
  char buf[buffer_size];
  const build_result r = format_reply(buf, buf + buffer_size, s, lines, 3, 30);
  REQUIRE(r);
  std::string out = "kept";
  const build_result r2 = format_reply_to(std::back_inserter(out), s, lines, 3, 30);
  CHECK(r2.size == r.size);
  CHECK(out == "kept" + std::string(buf, r.size));

  out = "kept";
  CHECK(format_reply_to(std::back_inserter(out), s, "x").size == 13);
  CHECK(out == "kept550 5.7.1 x\r\n");

  out = "kept";
  CHECK(format_reply_to(std::back_inserter(out), s, {"a", "b"}).size == 26);
  CHECK(out == "kept550-5.7.1 a\r\n550 5.7.1 b\r\n");

  out = "kept";
  CHECK(format_reply_to(std::back_inserter(out), s, {"a", "b\n"}).error ==
        build_error::forbidden_character);
  CHECK(format_reply_to(std::back_inserter(out), reply_status{550_reply, true, "4.7.1"_esc}, "x")
            .error == build_error::class_mismatch);
  CHECK(format_reply_to(std::back_inserter(out), s, "x", 12).error ==
        build_error::line_limit_too_small);
  CHECK(out == "kept");
}

namespace {
constexpr bool iterator_form_in_constant_expression() {
  char buf[32]{};
  const build_result r = format_reply_to(buf + 0, make_status(221_reply), "Bye");
  return same(r, buf, "221 Bye\r\n");
}
} // namespace

TEST_CASE("the output-iterator form in a constant expression", "[build]") {
  CHECK_BOTH(iterator_form_in_constant_expression());
}

TEST_CASE("checked_status and make_status", "[build]") {
  constexpr reply_status s = checked_status(550_reply, "5.1.1"_esc);
  static_assert(s.code == 550_reply && s.has_enhanced && s.enhanced == "5.1.1"_esc);
  static_assert(checked_status(250_reply, "2.0.0"_esc).has_enhanced);
  static_assert(checked_status(451_reply, "4.7.708"_esc_any).enhanced.detail() == 708);
  constexpr reply_status m = make_status(354_reply);
  static_assert(m.code == 354_reply && !m.has_enhanced);
  const reply_status at_run_time = checked_status(421_reply, "4.4.2"_esc);
  CHECK(at_run_time.enhanced == "4.4.2"_esc);
}

TEST_CASE("to_string_view names every error", "[build]") {
  CHECK_BOTH(to_string_view(build_error::none) == "no error");
  CHECK_BOTH(to_string_view(build_error::buffer_too_small) == "buffer too small");
  CHECK_BOTH(to_string_view(build_error::forbidden_character) == "text contains CR, LF or NUL");
  CHECK_BOTH(to_string_view(build_error::class_mismatch) ==
             "enhanced code class differs from the reply code");
  CHECK_BOTH(to_string_view(build_error::line_limit_too_small) ==
             "line limit too small for the reply code");
  CHECK_BOTH(!build_result{0, build_error::buffer_too_small, 0, 0});
  CHECK_BOTH(static_cast<bool>(build_result{1, build_error::none, 0, 0}));
}

TEST_CASE("property: random texts and limits", "[build][property]") {
  std::mt19937 rng(20240521);
  const auto pick = [&](std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng);
  };
  constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789.,;:<>@-_'\t\xc3\xa9";
  const reply_status statuses[] = {
      make_status(250_reply), make_status(354_reply), checked_status(250_reply, "2.0.0"_esc),
      checked_status(550_reply, "5.1.1"_esc), checked_status(451_reply, "4.999.999"_esc_any)};
  std::size_t cases = 0;
  std::size_t fitted = 0;
  for (int round = 0; round < 4000; ++round) {
    const reply_status s = statuses[pick(0, std::size(statuses) - 1)];
    const std::string code(code_chars(s.code).view());
    const std::string enhanced = s.has_enhanced ? std::string(code_chars(s.enhanced).view()) : "";
    const std::size_t prefix = 4 + (enhanced.empty() ? 0 : enhanced.size() + 1);
    const std::size_t max_line = round % 2 == 0 ? pick(prefix + 3, 80) : pick(prefix + 3, 600);
    const std::size_t room = max_line - prefix - 2;

    // 0-4 logical lines of words and runs of spaces; long words sometimes
    std::vector<std::string> storage(pick(0, 4));
    bool all_words_fit = true;
    for (std::string& line : storage) {
      const std::size_t words = pick(0, 40);
      for (std::size_t w = 0; w < words; ++w) {
        line.append(pick(0, 9) == 0 ? pick(0, 3) : (w > 0 ? 1 : 0), ' ');
        const std::size_t len = pick(0, 19) == 0 ? pick(1, 700) : pick(1, 12);
        for (std::size_t i = 0; i < len; ++i) line += alphabet[pick(0, alphabet.size() - 1)];
      }
      if (pick(0, 4) == 0) line.append(pick(1, 3), ' ');
      for (const std::string_view word : reference::words(line))
        if (word.size() > room) all_words_fit = false;
    }
    const std::vector<std::string_view> lines(storage.begin(), storage.end());

    const std::string wire = format(s, lines, max_line);
    ++cases;
    INFO("round " << round << " max_line " << max_line);
    REQUIRE(parses_back(wire, code, enhanced, max_line));
    const std::vector<std::string> texts = texts_of(wire, prefix);
    REQUIRE(texts.size() >= std::max<std::size_t>(lines.size(), 1));

    // the words come back in order, and no non-space byte is lost or added
    std::string in_bytes, out_bytes;
    std::vector<std::string> in_words, out_words;
    for (std::string_view line : lines) {
      for (const char c : line)
        if (c != ' ') in_bytes += c;
      for (const std::string_view w : reference::words(line)) in_words.emplace_back(w);
    }
    for (const std::string& t : texts) {
      for (const char c : t)
        if (c != ' ') out_bytes += c;
      for (const std::string_view w : reference::words(t)) out_words.emplace_back(w);
    }
    CHECK(in_bytes == out_bytes);
    if (all_words_fit) {
      ++fitted;
      CHECK(in_words == out_words);
      if (lines.size() == 1) { // one logical line: joined with one SP it is exact
        std::string joined;
        for (std::size_t i = 0; i < texts.size(); ++i) joined += (i ? " " : "") + texts[i];
        CHECK(joined == lines[0]);
      }
    }
  }
  CHECK(cases == 4000);
  CHECK(fitted > 1000);
}
