// Limits: hostile sizes handled in linear time and bounded memory. Nothing
// here asserts a duration; CTest's timeout for this binary (tests/CMakeLists)
// is the bound, so a quadratic path fails by running out of time.
#include <smtp_status/smtp_status.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

using namespace smtp_status;

namespace {
constexpr std::size_t hundred_mb = 100u << 20;

// 250-x a million times, then 250 end: 7 MB.
std::string million_line_reply() {
  std::string reply;
  reply.reserve(8u << 20);
  for (int i = 0; i < 1000000; ++i) reply += "250-x\r\n";
  reply += "250 end\r\n";
  return reply;
}
} // namespace

TEST_CASE("a 100 MB single line", "[limits]") {
  std::string line(hundred_mb, 'a');
  line.replace(hundred_mb - 40, 11, " 550 5.1.1 "); // codes stand alone (extract.hpp rules)

  SECTION("parse_reply stops at the line limit") {
    const reply_result r = parse_reply(line);
    CHECK(r.error == reply_error::line_too_long);
    CHECK(r.offset == 0);
  }
  SECTION("reply_reader holds no more than its buffer and skips the line") {
    std::vector<char> buffer(4096);
    reply_reader reader(buffer.data(), buffer.size());
    std::size_t errors = 0;
    for (std::size_t at = 0; at < line.size(); at += 65536) {
      std::string_view chunk = std::string_view(line).substr(at, 65536);
      while (!chunk.empty()) {
        const read_result r = reader.feed(chunk);
        errors += r.status == read_status::error;
        chunk.remove_prefix(r.consumed);
      }
    }
    CHECK(errors == 1);
    CHECK(reader.buffered() == 0);
    // The rest of the bad line is skipped, then reading goes on.
    CHECK(reader.feed("\r\n250 ok\r\n").status == read_status::reply);
    CHECK(reader.result().value.code.value() == 250);
  }
  SECTION("extraction finds the code at its end") {
    std::size_t found = 0, at = 0;
    for_each_enhanced_code(line, [&](const enhanced_match& m) {
      ++found;
      at = m.offset;
    });
    CHECK(found == 1);
    CHECK(at == hundred_mb - 35);
    CHECK(find_reply_code(line)->offset == hundred_mb - 39);
  }
  SECTION("a DSN body and a message of one line") {
    CHECK(parse_delivery_status(line).recipient_count() == 0);
    std::vector<char> scratch(line.size());
    std::size_t records = 0;
    scan_bounce(line, scratch.data(), scratch.size(), [&](const bounce_recipient&) { ++records; });
    CHECK(records == 0); // no bounce: a header line that never ends
  }
}

TEST_CASE("a reply of a million continuation lines", "[limits]") {
  const std::string reply = million_line_reply();
  const reply_result strict = parse_reply(reply);
  CHECK(strict.error == reply_error::too_many_lines);
  CHECK(strict.offset == 100 * 7); // the 101st line
  const reply_result all = parse_reply(reply, reply_limits{512, 2000000});
  REQUIRE(all);
  CHECK(all.value.line_count == 1000001);
  std::size_t lines = 0;
  for (const reply_line& l : all.value.lines()) lines += l.text.size() != 0;
  CHECK(lines == 1000001);
  std::vector<char> buffer(1u << 20);
  reply_reader reader(buffer.data(), buffer.size(), reply_limits{512, 2000000});
  std::string_view rest = reply;
  read_result r{};
  while (!rest.empty() && r.status == read_status::need_more) {
    r = reader.feed(rest.substr(0, 65536));
    rest.remove_prefix(r.consumed);
  }
  CHECK(r.status == read_status::error); // 7 MB does not fit a 1 MB buffer
  CHECK(reader.result().error == reply_error::reply_too_large);
}

TEST_CASE("a million recipients", "[limits]") {
  std::string body = "Reporting-MTA: dns; mx.example.org\n";
  body.reserve(90u << 20);
  for (int i = 0; i < 1000000; ++i)
    body += "\nFinal-Recipient: rfc822; u" + std::to_string(i) +
            "@example.com\nAction: failed\nStatus: 5.1.1\n";
  CHECK(parse_delivery_status(body).recipient_count() == 1000000);
  const std::string message =
      "From: MAILER-DAEMON@example.org\nContent-Type: multipart/report; "
      "report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nfailed\n--b\n"
      "Content-Type: message/delivery-status\n\n" +
      body + "\n--b--\n";
  std::vector<char> scratch(message.size());
  std::size_t records = 0, hard = 0;
  const bounce_scan_result res =
      scan_bounce(message, scratch.data(), scratch.size(), [&](const bounce_recipient& r) {
        ++records;
        hard += r.classification.kind == bounce_kind::hard;
      });
  CHECK(res.delivery_status);
  CHECK(records == 1000000);
  CHECK(hard == 1000000);
}

TEST_CASE("MIME nested a hundred thousand deep", "[limits]") {
  std::string deep = "From: MAILER-DAEMON@example.org\n";
  for (int i = 0; i < 100000; ++i) deep += "Content-Type: message/rfc822\n\n";
  deep += "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b.c\nStatus: 5.1.1\n";
  std::vector<char> scratch(deep.size());
  std::size_t records = 0;
  scan_bounce(deep, scratch.data(), scratch.size(), [&](const bounce_recipient&) { ++records; });
  CHECK(records == 0); // beyond max_mime_depth: not read, and no deep recursion
}

TEST_CASE("X-Failed-Recipients of two hundred thousand addresses", "[limits]") {
  constexpr int n = 200000;
  const auto address = [](int i) { return "u" + std::to_string(i) + "@example.com"; };
  std::string message = "From: MAILER-DAEMON@example.org\nX-Failed-Recipients: ";
  message.reserve(16u << 20);
  for (int i = 0; i < n; ++i) message += (i ? ", <" : "<") + address(i) + ">";
  message += "\n\n";
  std::vector<std::string_view> got;
  got.reserve(n);
  const auto scan = [&] {
    std::vector<char> scratch(message.size());
    scan_bounce(message, scratch.data(), scratch.size(),
                [&](const bounce_recipient& r) { got.push_back(r.recipient); });
  };

  SECTION("as many blocks without a code: each looked up from the last one found") {
    for (int i = 0; i < n; ++i) message += "  " + address(i) + "\n    gone away\n";
    scan();
    REQUIRE(got.size() == n);
    CHECK(got[0] == address(0));
    CHECK(got[n - 1] == address(n - 1));
  }
  SECTION("blocks in the reverse order: looked up round the list 8 times, then no more") {
    // (a list of 4 MB: 8 + 65536 / 4 MB = 8 passes round its end)
    for (int i = n; i-- > 0;) message += "  " + address(i) + "\n    gone away\n";
    scan();
    CHECK(got.size() == 9); // the first found going forward, then one per pass round the end
  }
  SECTION("no blocks: the text's code is read once, not once per address") {
    for (int i = 0; i < n; ++i) message += "The mail could not be delivered.\n";
    message += "Remote host said: 550 5.1.1 unknown\n";
    std::size_t hard = 0;
    std::vector<char> scratch(message.size());
    scan_bounce(message, scratch.data(), scratch.size(), [&](const bounce_recipient& r) {
      got.push_back(r.recipient);
      hard += r.status == enhanced_code(status_class::permanent_failure, 1, 1) &&
              r.reply == reply_code(550) && r.classification.kind == bounce_kind::hard;
    });
    REQUIRE(got.size() == n);
    CHECK(hard == n);
    CHECK(got[n - 1] == address(n - 1));
  }
}

TEST_CASE("a reply of a million lines fed one byte at a time", "[limits]") {
  const std::string reply = million_line_reply();
  // Each feed reads only the new byte (and a line once it ends), never the buffer again.
  std::vector<char> buffer(reply.size());
  reply_reader reader(buffer.data(), buffer.size(), reply_limits{512, 2000000});
  std::size_t waits = 0;
  read_result r{};
  for (const char c : reply) {
    r = reader.feed(std::string_view(&c, 1));
    waits += r.status == read_status::need_more;
  }
  CHECK(waits == reply.size() - 1);
  REQUIRE(r.status == read_status::reply);
  CHECK(reader.result().value.line_count == 1000001);
}

TEST_CASE("a hundred thousand MIME parts, and lines that almost match the boundary", "[limits]") {
  const std::string b(70, 'b'); // RFC 2046's longest boundary
  std::string message = "From: MAILER-DAEMON@example.org\n"
                        "Content-Type: multipart/report; boundary=";
  message.reserve(24u << 20);
  message += b + "\n\n";
  for (int i = 0; i < 100000; ++i)
    message += "--" + b + "\nContent-Type: text/html\n\n--" + b.substr(0, 69) + "\n--" + b + "x\n";
  message += "--" + b + "\nContent-Type: message/delivery-status\n\n";
  message += "Final-Recipient: rfc822; a@b.c\nStatus: 5.1.1\n--" + b + "--\n";
  std::vector<char> scratch(message.size());
  std::size_t records = 0;
  const bounce_scan_result res =
      scan_bounce(message, scratch.data(), scratch.size(),
                  [&](const bounce_recipient& r) { records += r.recipient == "a@b.c"; });
  CHECK(res.delivery_status);
  CHECK(records == 1);
}

TEST_CASE("an mbox of a million From lines", "[limits]") {
  // Half start messages (after an empty line), half are body lines.
  const std::string message = "Subject: x\n\nbody\nFrom here on, body\n\n";
  std::string file;
  file.reserve(24u << 20);
  for (int i = 0; i < 500000; ++i) file += "From a@b.c\n" + message;
  std::size_t whole = 0, last = 0;
  CHECK(for_each_mbox_message(file, [&](std::string_view m, std::size_t index) {
          whole += m == message;
          last = index;
        }) == 500000);
  CHECK(whole == 500000);
  CHECK(last == 499999);
}
