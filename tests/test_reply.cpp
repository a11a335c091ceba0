#include <smtp_status/reply.hpp>

#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reference.hpp"

using namespace smtp_status;
using namespace std::string_view_literals;

namespace {

constexpr bool has_warning(std::string_view in, reply_warning w) {
  const reply_result r = parse_reply(in);
  return r && r.value.has(w);
}

constexpr bool error_at(std::string_view in, reply_error e, std::size_t offset,
                        reply_limits limits = {}) {
  const reply_result r = parse_reply(in, limits);
  return !r && r.error == e && r.offset == offset;
}

std::vector<std::string> texts(const reply& r) {
  std::vector<std::string> out;
  for (const reply_line& l : r.lines()) out.emplace_back(l.text);
  return out;
}

using strings = std::vector<std::string>;

} // namespace

TEST_CASE("single and multi-line replies", "[reply]") {
  constexpr std::string_view ehlo = "250-mx.example.com Hello\r\n250-PIPELINING\r\n"
                                    "250-SIZE 10240000\r\n250 ENHANCEDSTATUSCODES\r\n";
  CHECK_BOTH(parse_reply(ehlo).value.line_count == 4);
  CHECK_BOTH(parse_reply(ehlo).consumed == ehlo.size());
  CHECK_BOTH(!parse_reply(ehlo).value.has_enhanced);
  CHECK_BOTH(parse_reply(ehlo).value.warnings == 0);
  const reply_result r = parse_reply(ehlo);
  CHECK(texts(r.value) ==
        strings{"mx.example.com Hello", "PIPELINING", "SIZE 10240000", "ENHANCEDSTATUSCODES"});
  CHECK(r.value.raw == ehlo);

  constexpr std::string_view gmail =
      "550-5.1.1 The email account that you tried to reach does not exist.\r\n"
      "550 5.1.1 https://support.example/?p=NoSuchUser a1si2 - gsmtp\r\n";
  CHECK_BOTH(parse_reply(gmail).value.code.value() == 550);
  CHECK_BOTH(parse_reply(gmail).value.enhanced ==
             enhanced_code(status_class::permanent_failure, 1, 1));
  CHECK_BOTH(parse_reply(gmail).value.warnings == 0);
  const reply_result g = parse_reply(gmail);
  CHECK(texts(g.value) == strings{"The email account that you tried to reach does not exist.",
                                  "https://support.example/?p=NoSuchUser a1si2 - gsmtp"});
  for (const reply_line& l : g.value.lines()) CHECK(l.has_enhanced);
}

TEST_CASE("real-world forms are accepted", "[reply]") {
  // a bare code, with and without the space (enough_mail#284)
  CHECK_BOTH(parse_reply("334\r\n").value.code.value() == 334);
  CHECK_BOTH(parse_reply("334 \r\n").value.line_count == 1);
  CHECK_BOTH(parse_reply("250\r\n").consumed == 5);
  CHECK(texts(parse_reply("250\r\n").value) == strings{""});
  CHECK_BOTH(parse_reply("250-\r\n250\r\n").value.line_count == 2);
  // text that starts like a code: only the first is the enhanced code
  const reply_result twice = parse_reply("550 5.1.1 5.1.1 user unknown\r\n");
  REQUIRE(twice);
  CHECK(texts(twice.value) == strings{"5.1.1 user unknown"});
  CHECK(texts(parse_reply("250 2.0.0 Ok: queued as 4ABC\r\n").value) ==
        strings{"Ok: queued as 4ABC"});
  // 421- greeting then 421
  CHECK_BOTH(parse_reply("421-mx busy\r\n421 try later\r\n").value.line_count == 2);
  // trailing spaces are trimmed from the text, kept in raw
  CHECK(texts(parse_reply("250 OK   \r\n").value) == strings{"OK"});
  // enhanced code only on some lines (OpenSMTPD#925): kept, flagged
  CHECK_BOTH(has_warning("250-2.0.0 mx\r\n250-PIPELINING\r\n250 2.0.0 OK\r\n",
                         reply_warning::enhanced_code_missing));
  // enhanced codes differ between lines: kept, flagged
  CHECK_BOTH(has_warning("550-5.1.1 a\r\n550 5.7.1 b\r\n", reply_warning::enhanced_code_mismatch));
  // class differs from the reply code (letsencrypt/boulder#4022): kept, flagged
  CHECK_BOTH(has_warning("550 4.2.2 full\r\n", reply_warning::class_mismatch));
  CHECK_BOTH(parse_reply("550 4.2.2 full\r\n").value.enhanced.class_digit() == 4);
  CHECK_BOTH(parse_reply("401 4.1.3 Bad recipient address syntax\r\n").value.warnings == 0);
  // bare LF line ends
  CHECK_BOTH(has_warning("250-a\n250 b\n", reply_warning::bare_lf));
  CHECK_BOTH(!has_warning("250-a\r\n250 b\r\n", reply_warning::bare_lf));
  // SMTPUTF8 text; 8-bit text that is not UTF-8 is kept and flagged
  CHECK_BOTH(has_warning("550 5.1.1 Benutzer unbekannt: j\xc3\xbcrgen\r\n", reply_warning::utf8));
  CHECK_BOTH(
      has_warning("550 5.1.1 Benutzer unbekannt: j\xfcrgen\r\n", reply_warning::invalid_utf8));
  CHECK(texts(parse_reply("550 j\xfcrgen\r\n").value) == strings{"j\xfcrgen"});
  CHECK_BOTH(has_warning("550 a\rb\r\n", reply_warning::control_characters));
  CHECK_BOTH(has_warning("550 a\0b\r\n"sv, reply_warning::control_characters));
  CHECK_BOTH(!has_warning("550 a\tb\r\n", reply_warning::control_characters));
  CHECK_BOTH(has_warning("570 odd\r\n", reply_warning::nonstandard_code));
  // no enhanced codes on 3xx replies (RFC 2034 §4)
  CHECK_BOTH(!parse_reply("354 2.0.0 go ahead\r\n").value.has_enhanced);
  // white space before the enhanced code is tolerated
  CHECK_BOTH(parse_reply("550  5.1.1 x\r\n").value.has_enhanced);
  // a code-like word that is not an enhanced code stays text
  CHECK_BOTH(!parse_reply("250 2.0.0.1 x\r\n").value.has_enhanced);
  CHECK_BOTH(!parse_reply("250 2.0.0: x\r\n").value.has_enhanced);
}

TEST_CASE("errors say what and where", "[reply]") {
  CHECK_BOTH(error_at("", reply_error::incomplete, 0));
  CHECK_BOTH(error_at("250-a\r\n", reply_error::incomplete, 7));
  CHECK_BOTH(error_at("250 ok", reply_error::incomplete, 6));
  CHECK_BOTH(error_at("hello\r\n", reply_error::missing_code, 0));
  CHECK_BOTH(error_at("25\r\n", reply_error::missing_code, 0));
  CHECK_BOTH(error_at("250-a\r\n\r\n", reply_error::missing_code, 7));
  CHECK_BOTH(error_at("250-a\r\nxyz b\r\n", reply_error::missing_code, 7));
  CHECK_BOTH(error_at("600 x\r\n", reply_error::invalid_code, 0));
  CHECK_BOTH(error_at("199 x\r\n", reply_error::invalid_code, 0));
  CHECK_BOTH(error_at("2500 x\r\n", reply_error::invalid_separator, 3));
  CHECK_BOTH(error_at("250x\r\n", reply_error::invalid_separator, 3));
  // vert-x3/vertx-mail-client#81: different codes in one reply
  CHECK_BOTH(error_at("250-a\r\n251 b\r\n", reply_error::code_mismatch, 7));
  CHECK_BOTH(parse_reply("250-a\r\n251 b\r\nnext").consumed == 14);
  const std::string long_line = "250 " + std::string(507, 'x') + "\r\n"; // 513 octets
  CHECK(error_at(long_line, reply_error::line_too_long, 0));
  CHECK(parse_reply(long_line, lenient_reply_limits));
  CHECK(parse_reply("250 " + std::string(506, 'x') + "\r\n")); // exactly 512
  std::string many;
  for (int i = 0; i < 100; ++i) many += "250-x\r\n";
  CHECK(error_at(many + "250 x\r\n", reply_error::too_many_lines, 700));
  CHECK(parse_reply(many.substr(7) + "250 x\r\n").value.line_count == 100);
  CHECK_BOTH(to_string_view(reply_error::code_mismatch) ==
             "reply code differs from the first line's");
  for (int e = 0; e <= static_cast<int>(reply_error::reply_too_large); ++e)
    CHECK(to_string_view(static_cast<reply_error>(e)) != "invalid");
}

TEST_CASE("pipelined replies come out one by one", "[reply]") {
  constexpr std::string_view in = "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 End data\r\n";
  std::string_view rest = in;
  std::vector<unsigned> codes;
  while (!rest.empty()) {
    const reply_result r = parse_reply(rest);
    REQUIRE(r);
    codes.push_back(r.value.code.value());
    rest.remove_prefix(r.consumed);
  }
  CHECK(codes == std::vector<unsigned>{250, 250, 354});
}

// ---- the streaming reader ----------------------------------------------------

namespace {

struct event {
  bool ok;
  reply_error error;
  std::size_t offset; // from the start of the reply
  unsigned code;
  std::uint16_t warnings;
  strings lines;
  bool operator==(const event& o) const {
    return ok == o.ok && error == o.error && offset == o.offset && code == o.code &&
           warnings == o.warnings && lines == o.lines;
  }
};

event to_event(const reply_result& r, std::size_t reply_start) {
  if (!r) return {false, r.error, r.offset, 0, 0, {}};
  (void)reply_start;
  return {true, reply_error::none, 0, r.value.code.value(), r.value.warnings, texts(r.value)};
}

// What the whole-buffer parser says, reply after reply; an incomplete tail is
// what a stream would still be waiting for.
std::vector<event> whole(std::string_view in, reply_limits limits) {
  std::vector<event> out;
  while (!in.empty()) {
    const reply_result r = parse_reply(in, limits);
    if (r.error == reply_error::incomplete) break;
    out.push_back(to_event(r, 0));
    in.remove_prefix(r.consumed);
  }
  return out;
}

std::vector<event> streamed(std::string_view in, const std::vector<std::size_t>& cuts,
                            reply_limits limits, std::size_t capacity = 1 << 20) {
  std::vector<char> buf(capacity);
  reply_reader reader(buf.data(), buf.size(), limits);
  std::vector<event> out;
  std::size_t from = 0;
  for (std::size_t k = 0; k <= cuts.size(); ++k) {
    const std::size_t to = k < cuts.size() ? cuts[k] : in.size();
    std::string_view chunk = in.substr(from, to - from);
    from = to;
    while (!chunk.empty()) {
      const read_result r = reader.feed(chunk);
      REQUIRE(r.consumed <= chunk.size());
      chunk.remove_prefix(r.consumed);
      if (r.status != read_status::need_more)
        out.push_back(to_event(reader.result(), 0));
      else
        REQUIRE(chunk.empty());
    }
  }
  return out;
}

const std::vector<std::string>& samples() {
  static const std::vector<std::string> s = {
      "220-mx.example.com ESMTP\r\n220 ready\r\n",
      "250-mx.example.com\r\n250-PIPELINING\r\n250 2.0.0 OK\r\n",
      "550-5.1.1 a\r\n550 5.1.1 b\r\n250 2.1.0 Ok\r\n354 go\r\n",
      "334\r\n334 \r\n250\r\n",
      "250-a\r\n251 b\r\n250 c\r\n",
      "hello\r\n250 ok\r\n",
      "250-a\n250 b\n421 4.4.2 bye\n",
      "401 4.1.3 Bad recipient address syntax\r\n",
      "550 j\xfcrgen\r\n550 j\xc3\xbcrgen\r\n",
      "250x\r\n600 y\r\n2500\r\n250 fine\r\n",
      "250-" + std::string(600, 'x') + "\r\n250 z\r\n250 after\r\n",
      "250-a\r\n250-b\r\n250-c\r\n250 d\r\n", // too many lines under a limit of 3
      "250 partial",
  };
  return s;
}

} // namespace

TEST_CASE("the stream reader equals the whole-buffer parser at every split point",
          "[reply][stream]") {
  for (const reply_limits limits : {reply_limits{}, reply_limits{64, 3}}) {
    for (const std::string& in : samples()) {
      INFO("input: " << in << " limits " << limits.max_line << "/" << limits.max_lines);
      const std::vector<event> want = whole(in, limits);
      CHECK(streamed(in, {}, limits) == want);
      for (std::size_t cut = 0; cut <= in.size(); ++cut) CHECK(streamed(in, {cut}, limits) == want);
      std::vector<std::size_t> every;
      for (std::size_t i = 1; i < in.size(); ++i) every.push_back(i);
      CHECK(streamed(in, every, limits) == want); // one byte at a time
    }
  }
}

TEST_CASE("the stream reader bounds what a hostile server can make it hold", "[reply][stream]") {
  char buf[64];
  reply_reader reader(buf, sizeof buf, lenient_reply_limits);
  std::string flood;
  for (int i = 0; i < 20; ++i) flood += "250-xxxxxxxx\r\n";
  read_result r = reader.feed(flood);
  CHECK(r.status == read_status::error);
  CHECK(reader.result().error == reply_error::reply_too_large);
  CHECK(reader.buffered() == 0);
  // after the error it skips to the next line and goes on
  std::string_view rest = std::string_view(flood).substr(r.consumed);
  std::size_t errors = 0;
  while (!rest.empty()) {
    r = reader.feed(rest);
    rest.remove_prefix(r.consumed);
    errors += r.status == read_status::error;
  }
  CHECK(errors >= 1);
  r = reader.feed("250 ok\r\n");
  CHECK(r.status == read_status::reply);
  // a line without an end is cut at the line limit, not buffered forever
  char big[100000];
  reply_reader lines(big, sizeof big);
  const std::string endless(10000, 'a');
  r = lines.feed(endless);
  CHECK(r.status == read_status::error);
  CHECK(lines.result().error == reply_error::line_too_long);
  CHECK(r.consumed == 513);
  r = lines.feed(std::string(5000, 'b') + "\n250 ok\r\n");
  CHECK(r.status == read_status::reply);
  CHECK(lines.result().value.code.value() == 250);
}

// Random replies made of `pieces`, parsed and compared with the reference;
// returns how many were valid.
template <std::size_t N>
std::size_t agree_with_reference(const char* const (&pieces)[N], int max_pieces,
                                 reply_limits limits, int replies) {
  std::mt19937 rng(3463);
  std::uniform_int_distribution<int> count(1, max_pieces);
  std::uniform_int_distribution<std::size_t> pick(0, N - 1);
  std::size_t valid = 0;
  for (int i = 0; i < replies; ++i) {
    std::string in;
    for (int n = count(rng); n > 0; --n) {
      const char* p = pieces[pick(rng)];
      in += *p ? std::string(p) : std::string(1, '\0');
    }
    const reply_result got = parse_reply(in, limits);
    const reference::reply_result want = reference::reply(in, limits.max_line, limits.max_lines);
    INFO("input: " << in);
    REQUIRE(static_cast<bool>(got) == want.error.empty());
    CHECK(got.consumed == want.consumed);
    if (!got) {
      CHECK(got.offset == want.offset);
      continue;
    }
    ++valid;
    CHECK(got.value.code.value() == want.code);
    CHECK(got.value.warnings == want.warnings);
    CHECK(got.value.line_count == want.lines.size());
    std::size_t k = 0;
    for (const reply_line& l : got.value.lines()) {
      REQUIRE(k < want.lines.size());
      CHECK(l.text == want.lines[k].text);
      CHECK(l.has_enhanced == want.lines[k].has_enhanced);
      if (l.has_enhanced) CHECK(l.enhanced.detail() == want.lines[k].enhanced.detail);
      ++k;
    }
  }
  return valid;
}

TEST_CASE("reply parse agrees with the reference on random replies", "[reply][reference]") {
  static const char* const pieces[] = {
      "250", "550",      "421",  "334",      "251",   "600",   "25",      "-",      " ",
      "\t",  "\r\n",     "\n",   "\r",       "5.1.1", "4.2.2", "2.0.0",   "5.01.1", "x",
      "ok",  "\xc3\xa9", "\xff", "\xe2\x82", "0",     ".",     "5.1.1.1", "\0"};
  // the generator reaches valid replies, not only errors
  CHECK(agree_with_reference(pieces, 14, reply_limits{32, 3}, 100000) > 1000);
}

// Long printable runs put the line ends, control characters and 8-bit bytes
// at every offset of the 64-byte blocks and 8-byte words the line scan reads.
TEST_CASE("reply parse agrees with the reference on long lines", "[reply][reference]") {
  static const char* const pieces[] = {
      "250-", "250 ", "550-5.1.1 ", "550 5.1.1 ", "\r\n", "\n", "\r", "\t", "\x7f",
      "\x01", "\xc3\xa9", "\xe2\x82", "\xff", "abcdefghijklmnopqrstuvwxyz0",
      "Recipient address rejected: User unknown in virtual mailbox table",
      "x", "\0", "~"};
  CHECK(agree_with_reference(pieces, 40, lenient_reply_limits, 30000) > 1000);
}

// ---- format -> parse ---------------------------------------------------------

#include <smtp_status/build.hpp>

TEST_CASE("format then parse gives back the codes and the words", "[reply][build][roundtrip]") {
  std::mt19937 rng(5321);
  static const char* const letters[] = {
      "a", "b", "Z", "q", "-", ":", "<", ">", "\xc3\xa9", "\xe2\x82\xac", "@", "x", "y", "0", "7"};
  std::uniform_int_distribution<std::size_t> letter(0, std::size(letters) - 1);
  std::uniform_int_distribution<int> word_count(0, 60), line_count(1, 4), max_line(24, 512);
  std::uniform_int_distribution<int> pick_code(0, 5);
  const std::pair<unsigned, const char*> codes[] = {{250, "2.0.0"}, {550, "5.1.1"},
                                                    {421, "4.7.0"}, {451, "4.4.999"},
                                                    {354, nullptr}, {220, nullptr}};
  std::vector<char> wire(1 << 20);
  for (int round = 0; round < 3000; ++round) {
    const auto& [code, enh] = codes[pick_code(rng)];
    const reply_status status =
        enh ? reply_status{reply_code(code), true, *parse_enhanced_code(enh)}
            : make_status(reply_code(code));
    const std::size_t limit = static_cast<std::size_t>(max_line(rng));
    const std::size_t room = limit - 2 - 4 - (enh ? std::string_view(enh).size() + 1 : 0);
    std::vector<std::string> lines(static_cast<std::size_t>(line_count(rng)));
    strings words;
    for (std::string& line : lines)
      for (int w = word_count(rng); w > 0; --w) {
        std::string word;
        while (word.size() + 4 < std::min<std::size_t>(room, 20) &&
               (word.empty() || rng() % 4 != 0))
          word += letters[letter(rng)];
        line += (line.empty() ? "" : " ") + word;
        words.push_back(word);
      }
    const std::vector<std::string_view> views(lines.begin(), lines.end());
    const build_result b = format_reply(wire.data(), wire.data() + wire.size(), status,
                                        views.data(), views.size(), limit);
    REQUIRE(b);
    const reply_result r = parse_reply({wire.data(), b.size}, {limit, 100000});
    INFO(std::string(wire.data(), b.size));
    REQUIRE(r);
    CHECK(r.consumed == b.size);
    CHECK(r.value.code == status.code);
    CHECK(r.value.has_enhanced == status.has_enhanced);
    if (enh) {
      CHECK(r.value.enhanced == status.enhanced);
      CHECK(!r.value.has(reply_warning::enhanced_code_missing));
    }
    strings got;
    for (const reply_line& l : r.value.lines())
      for (const std::string_view w : reference::words(l.text)) got.emplace_back(w);
    CHECK(got == words);
  }
}
