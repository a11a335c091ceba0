#include <smtp_status/bounce.hpp>
#include <smtp_status/string.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reference.hpp"

using namespace smtp_status;

namespace {

std::string str(std::string_view s) { return std::string(s); }

std::string describe(const bounce_recipient& r) {
  std::string out = str(r.recipient) + "\t" + str(r.action) + "\t";
  out += r.status ? to_string(*r.status) : "-";
  out += "\t";
  out += r.reply ? std::to_string(r.reply->value()) : "-";
  out += "\t" + str(to_string_view(r.source)) + "\t" +
         str(to_string_view(r.classification.kind)) + "\t" +
         str(to_string_view(r.classification.reason));
  return out;
}

// The records of one message, one line each.
std::vector<std::string> scan(std::string_view message, bounce_scan_result* result = nullptr) {
  std::vector<std::string> lines;
  std::vector<char> scratch(message.size());
  const bounce_scan_result res =
      scan_bounce(message, scratch.data(), scratch.size(),
                  [&](const bounce_recipient& r) { lines.push_back(describe(r)); });
  CHECK(res.recipients == lines.size());
  if (result) *result = res;
  return lines;
}

std::vector<std::string> one(std::string_view message) { return scan(message); }

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("the bounce corpus gives each file's expected records", "[bounce][corpus]") {
  const std::filesystem::path dir = SMTP_STATUS_BOUNCE_DIR;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".eml" || e.path().extension() == ".mbox") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 30);
  std::size_t records = 0;
  for (const auto& file : files) {
    const std::string text = read_file(file);
    std::vector<std::string> got;
    for_each_mbox_message(text, [&](std::string_view message, std::size_t index) {
      for (const std::string& line : scan(message)) got.push_back(std::to_string(index) + "\t" + line);
    });
    std::filesystem::path expected_path = file;
    expected_path.replace_extension(".expected");
    std::istringstream expected_text(read_file(expected_path));
    std::vector<std::string> expected;
    for (std::string line; std::getline(expected_text, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!line.empty() && line[0] != '#') expected.push_back(line);
    }
    INFO(file.filename().string());
    CHECK(got == expected);
    records += got.size();
  }
  CHECK(records >= 40);
}

TEST_CASE("mbox files split at From lines after an empty line", "[bounce][mbox]") {
  std::vector<std::string> got;
  const auto collect = [&](std::string_view m, std::size_t i) {
    got.push_back(std::to_string(i) + ":" + str(m));
  };
  CHECK(for_each_mbox_message("From a@x Mon\nA\n\nFrom b@x Tue\nB\nFrom c in body\n", collect) == 2);
  CHECK(got == std::vector<std::string>{"0:A\n\n", "1:B\nFrom c in body\n"});
  got.clear();
  CHECK(for_each_mbox_message("Subject: one message\n\nFrom here on\n", collect) == 1);
  CHECK(got.size() == 1);
  CHECK(for_each_mbox_message("", collect) == 0);
  got.clear();
  const std::string body(70, 'b'); // separators past the first 64-byte block, CRLF blank line
  CHECK(for_each_mbox_message("From a\n" + body + "\r\n\r\nFrom b\nB\n" + body + "\nFrom c\n",
                              collect) == 2);
  CHECK(got == std::vector<std::string>{"0:" + body + "\r\n\r\n", "1:B\n" + body + "\nFrom c\n"});
}

TEST_CASE("mbox splitting agrees with the line-by-line reference", "[bounce][mbox]") {
  // pieces that make and break separators, and bodies that move them across blocks
  const std::string body(61, 'b');
  const std::string_view pieces[] = {"From a\n", "From ", "\n",   "\r\n",   "x",
                                     "\r",       "F",     "rom ", ">From ", body};
  std::mt19937 rng(20261128);
  for (int round = 0; round < 20000; ++round) {
    std::string file = round % 2 == 0 ? "From " : "";
    for (std::size_t n = rng() % 40; n > 0; --n) file += pieces[rng() % std::size(pieces)];
    std::vector<std::string_view> got;
    const std::size_t count = for_each_mbox_message(file, [&](std::string_view m, std::size_t i) {
      CHECK(i == got.size());
      got.push_back(m);
    });
    const std::vector<std::string_view> want = reference::mbox_messages(file);
    REQUIRE(count == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      INFO(file);
      REQUIRE(got[i].data() == want[i].data()); // the same bytes of the file, not copies
      REQUIRE(got[i].size() == want[i].size());
    }
  }
}

TEST_CASE("pattern search: every match in order, across 64-byte blocks", "[bounce][pattern]") {
  // Every byte value, in both paths of the block masks
  char bytes[256];
  for (unsigned i = 0; i < 256; ++i) bytes[i] = static_cast<char>(i);
  for (unsigned b = 0; b < 256; b += 64) {
    const char* p = bytes + b;
    using detail::eq_bits;
    using detail::scan_path;
    CHECK(eq_bits<scan_path::scalar, 'x', true>(p) == eq_bits<scan_path::sse2, 'x', true>(p));
    CHECK(eq_bits<scan_path::scalar, '\n', true>(p) == eq_bits<scan_path::sse2, '\n', true>(p));
    CHECK(eq_bits<scan_path::scalar, '-'>(p) == eq_bits<scan_path::sse2, '-'>(p));
  }
  const auto x = [](unsigned b) { return std::uint64_t{1} << (b % 64); };
  CHECK(detail::eq_bits<detail::best_scan_path, 'x', true>(bytes + 64) == (x('X') | x('x')));
  CHECK(detail::eq_bits<detail::best_scan_path, 'x'>(bytes + 64) == x('x'));

  // Texts of every length to 300 over a small alphabet, against a naive search
  // for "\n", any byte, "-", "x" in either case, or "ax"
  std::string text;
  unsigned seed = 7;
  for (int i = 0; i < 300; ++i) {
    seed = seed * 1103515245u + 12345u;
    text += "\n-xXa"[(seed >> 16) % 5];
  }
  for (std::size_t n = 0; n <= text.size(); ++n) {
    const std::string_view t(text.data(), n);
    std::vector<std::size_t> want, got;
    for (std::size_t i = 0; i < n; ++i) {
      const bool line = i >= 3 && t[i - 3] == '\n' && t[i - 1] == '-' && (t[i] | 0x20) == 'x';
      const bool ax = i >= 1 && t[i - 1] == 'a' && (t[i] | 0x20) == 'x';
      if (line || ax) want.push_back(i);
    }
    detail::for_each_pattern_end<detail::pattern_nocase<'\n', 0, '-', 'x'>,
                                 detail::pattern_nocase<'a', 'x'>>(t, [&](std::size_t i) {
      got.push_back(i);
      return true;
    });
    INFO(n);
    CHECK(got == want);
  }
  std::size_t calls = 0;
  detail::for_each_pattern_end<detail::pattern<'x'>>(text,
                                                     [&](std::size_t) { return ++calls < 2; });
  CHECK(calls == 2); // on returned false: no more calls
}

TEST_CASE("MIME pieces: content type, parts, decoders", "[bounce][mime]") {
  const auto ct = detail::parse_content_type(
      "multipart/report; report-type=delivery-status;\r\n\tboundary=\"==b; 1==\"");
  CHECK(ct.type == "multipart/report");
  CHECK(ct.boundary == "==b; 1==");
  CHECK(detail::parse_content_type("multipart/mixed; boundary=abc").boundary == "abc");
  CHECK(detail::parse_content_type("text/plain").boundary.empty());
  CHECK(detail::parse_content_type("").type.empty());

  std::vector<std::string> parts;
  detail::for_each_part("preamble\n--b\nA\n--bb\n--b  \r\nB\r\n--b--\nepilogue\n--b\nC\n",
                        "b", [&](std::string_view p) { parts.push_back(str(p)); });
  CHECK(parts == std::vector<std::string>{"A\n--bb", "B"});
  parts.clear();
  detail::for_each_part("--b\nunclosed", "b", [&](std::string_view p) { parts.push_back(str(p)); });
  CHECK(parts == std::vector<std::string>{"unclosed"});
  parts.clear();
  const std::string filler(100, '-'); // delimiters past the first 64-byte block
  detail::for_each_part(filler + "\n--b\nA\n" + filler + "\n--b--\n", "b",
                        [&](std::string_view p) { parts.push_back(str(p)); });
  CHECK(parts == std::vector<std::string>{"A\n" + filler});

  char out[64];
  CHECK(std::string_view(out, detail::decode_base64("NTUw\r\nIDUuMS4x", out)) == "550 5.1.1");
  CHECK(std::string_view(out, detail::decode_base64("NTU=", out)) == "55");
  CHECK(std::string_view(out, detail::decode_base64("!!", out)).empty());
  CHECK(std::string_view(out, detail::decode_quoted_printable("550 5.=\r\n1.1 a=3Db=", out)) ==
        "550 5.1.1 a=b");
  CHECK(std::string_view(out, detail::decode_quoted_printable("x=zz=4", out)) == "x=zz=4");
  CHECK(std::string_view(out, detail::decode_quoted_printable("soft= \nbreak", out)) == "softbreak");
}

TEST_CASE("free-text recipient blocks start at a line led by an address", "[bounce][text]") {
  CHECK(detail::leading_address("<u@example.com>: host mx said: 550") == "u@example.com");
  CHECK(detail::leading_address("<u@example.com>:") == "u@example.com");
  CHECK(detail::leading_address("  u@example.com") == "u@example.com");
  CHECK(detail::leading_address("<u@example.com>... User unknown") == "u@example.com");
  CHECK(detail::leading_address("u@example.com... User unknown") == "u@example.com");
  CHECK(detail::leading_address("u@example.com: 550 5.1.1 no") == "u@example.com");
  CHECK(detail::leading_address("To: u@example.com").empty());
  CHECK(detail::leading_address("u@example.com,").empty());
  CHECK(detail::leading_address("<u@example.com").empty());
  CHECK(detail::leading_address("@example.com").empty());
  CHECK(detail::leading_address("u@").empty());
  CHECK(detail::leading_address("a@b@c").empty());
  CHECK(detail::leading_address("").empty());
  CHECK(detail::cut_returned_message("a\nb\nReceived: x\nc") == "a\nb\n");
  CHECK(detail::cut_returned_message("a\n------ This is a copy of the message\nb") == "a\n");
  CHECK(detail::cut_returned_message("a\nb") == "a\nb");
  CHECK(detail::cut_returned_message("Return-Path: <>\nb").empty());
  const std::string long_line(100, '.'); // the phrases and lines past the first 64-byte block
  CHECK(detail::cut_returned_message(long_line + "\n" + long_line + "COPY OF THE ORIGINAL\nb") ==
        long_line + "\n");
  CHECK(detail::cut_returned_message(long_line + "\nreceived: x") == long_line + "\n");
  CHECK(detail::cut_returned_message(long_line + "\nreceived x\nOriginal message headers:") ==
        long_line + "\nreceived x\n");
  CHECK(detail::cut_returned_message(long_line + "copy of the") == long_line + "copy of the");
}

namespace {
// A multipart/report around a text part and a delivery-status body.
std::string report(std::string_view text, std::string_view dsn) {
  return "From: MAILER-DAEMON@example.net\nContent-Type: multipart/report; "
         "report-type=delivery-status; boundary=\"B\"\n\n--B\nContent-Type: text/plain\n\n" +
         str(text) + "\n--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; "
         "mx.example.net\n\n" + str(dsn) + "\n--B--\n";
}
} // namespace

TEST_CASE("picking each recipient's status from a report", "[bounce][pick]") {
  // rule 5: a specific Status stands
  CHECK(one(report("", "Final-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.1.1\n")) ==
        std::vector<std::string>{"a@x.org\tfailed\t5.1.1\t-\tdelivery-status\thard\tuser_unknown"});
  // rule 3: a generic Status loses to the Diagnostic-Code's specific code
  CHECK(one(report("", "Final-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.0.0\n"
                       "Diagnostic-Code: smtp; 550 5.1.1 unknown\n")) ==
        std::vector<std::string>{"a@x.org\tfailed\t5.1.1\t550\tdiagnostic-code\thard\tuser_unknown"});
  // rule 2: the diagnostic's reply disagrees in class: it wins
  CHECK(one(report("", "Final-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.0.0\n"
                       "Diagnostic-Code: smtp; 421 4.7.0 try later\n")) ==
        std::vector<std::string>{"a@x.org\tfailed\t4.7.0\t421\tdiagnostic-code\tsoft\tpolicy"});
  // rule 4: the text's block for this recipient
  CHECK(one(report("<a@x.org>: host mx said: 550 5.2.2 full\n<b@x.org>: said 550 5.1.1 no",
                   "Final-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.0.0\n\n"
                   "Final-Recipient: rfc822; b@x.org\nAction: failed\nStatus: 5.0.0\n")) ==
        std::vector<std::string>{"a@x.org\tfailed\t5.2.2\t550\ttext\tsoft\tmailbox_full",
                                 "b@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown"});
  // a greeting and a 250 of a transcript are never taken for a failure
  CHECK(one(report("", "Final-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.0.0\n"
                       "Diagnostic-Code: smtp; 220 mx ESMTP 250 2.0.0 Ok 550 User unknown\n")) ==
        std::vector<std::string>{"a@x.org\tfailed\t5.0.0\t550\tdelivery-status\thard\tuser_unknown"});
  // a delivered recipient is kind none
  CHECK(one(report("", "Final-Recipient: rfc822; a@x.org\nAction: delivered\nStatus: 2.0.0\n"
                       "Diagnostic-Code: smtp; 250 2.0.0 Ok\n")) ==
        std::vector<std::string>{"a@x.org\tdelivered\t2.0.0\t250\tdelivery-status\tnone\tdelivered"});
  // a group that names no recipient is still a record (fuzz finding: the address is empty)
  CHECK(one(report("", "Action: failed\nStatus: 5.1.1\n")) ==
        std::vector<std::string>{"\tfailed\t5.1.1\t-\tdelivery-status\thard\tuser_unknown"});
  // no code at all: the Action's class and the words
  CHECK(one(report("", "Final-Recipient: rfc822; a@x.org\nAction: failed\n"
                       "Diagnostic-Code: x-unix; mailbox is full\n")) ==
        std::vector<std::string>{"a@x.org\tfailed\t-\t-\tdelivery-status\tsoft\tmailbox_full"});
}

TEST_CASE("free-text bounces: each recipient gets the code next to its address", "[bounce][text]") {
  const std::string postfix =
      "Subject: Undelivered Mail\n\nThis is the mail system.\n\n"
      "<a@x.org>: host mx.x.org[192.0.2.1] said: 550 5.1.1 <a@x.org>: Recipient\n"
      "    address rejected: User unknown (in reply to RCPT TO command)\n"
      "<b@y.org>: host mx.y.org[192.0.2.2] said: 452 4.2.2 Mailbox full\n"
      "Received: from 5.1.1 by 550 x\n";
  CHECK(one(postfix) ==
        std::vector<std::string>{"a@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown",
                                 "b@y.org\tdelayed\t4.2.2\t452\ttext\tsoft\tmailbox_full"});
  // Exim lists the failed address; the block has no code
  CHECK(one("X-Failed-Recipients: a@x.org\n\nfailed:\n\n  a@x.org\n    Unrouteable address\n") ==
        std::vector<std::string>{"a@x.org\tfailed\t-\t-\ttext\thard\thost_unknown"});
  // listed in another order than the text's: each found (the list is short)
  {
    std::string list, text;
    for (int i = 0; i < 30; ++i) {
      const std::string a = "u" + std::to_string(i) + "@x.org";
      list += (i ? ", " : "") + a;
      text = "  " + a + "\n    gone away\n" + text; // no code, no known words
    }
    const auto got = one("X-Failed-Recipients: " + list + "\n\nfailed:\n\n" + text);
    REQUIRE(got.size() == 30);
    CHECK(got.front() == "u29@x.org\tfailed\t-\t-\ttext\tsoft\tundefined");
    CHECK(got.back() == "u0@x.org\tfailed\t-\t-\ttext\tsoft\tundefined");
  }
  // no block, but X-Failed-Recipients
  CHECK(one("X-Failed-Recipients: a@x.org, <b@x.org>\n\nSMTP error: 550 5.1.1 gone\n") ==
        std::vector<std::string>{"a@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown",
                                 "b@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown"});
  // not a bounce: free text is read only from a message that says it is one
  CHECK(one("Subject: hello\n\nSee you at 5.30 on 2024-05-01, from 192.0.2.1.\n").empty());
  CHECK(one("Subject: hello\n\n<a@x.org>: Room 550 5.1.1\n").empty());
  for (const char* header : {"Return-Path: <>", "From: Mail Delivery System <MAILER-DAEMON@x.org>",
                             "From: postmaster@x.org", "Subject: Undeliverable: hello",
                             "Subject: failure notice", "Subject: Delivery Status Notification (Failure)"})
    CHECK(one(std::string(header) + "\n\n<a@x.org>: Room 550 5.1.1\n").size() == 1);
  // an address named again later is one record; a block without code or known words is none
  CHECK(one("From: MAILER-DAEMON@x.org\n\n<a@x.org>: 550 5.1.1 no\n<b@x.org>: hello\n"
            "<a@x.org>: 550 5.1.1 no\n") ==
        std::vector<std::string>{"a@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown"});
  CHECK(one("").empty());
}

TEST_CASE("encoded and nested reports are found", "[bounce][mime]") {
  // base64 delivery-status inside a forwarded message
  const std::string inner =
      "Content-Type: multipart/report; boundary=I\n\n--I\nContent-Type: message/delivery-status\n"
      "Content-Transfer-Encoding: base64\n\n"
      "RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGFAeC5vcmcKQWN0aW9uOiBmYWlsZWQKU3RhdHVzOiA1LjEuMQo=\n"
      "--I--\n";
  const std::string outer = "Content-Type: multipart/mixed; boundary=O\n\n--O\n\nFYI\n--O\n"
                            "Content-Type: message/rfc822\n\n" + inner + "--O--\n";
  bounce_scan_result res;
  CHECK(scan(outer, &res) ==
        std::vector<std::string>{"a@x.org\tfailed\t5.1.1\t-\tdelivery-status\thard\tuser_unknown"});
  CHECK(res.delivery_status);
  CHECK_FALSE(res.truncated);
  // too small a scratch buffer: the part is skipped, and said so
  std::size_t n = 0;
  char tiny[8];
  const bounce_scan_result small =
      scan_bounce(outer, tiny, sizeof tiny, [&](const bounce_recipient&) { ++n; });
  CHECK(small.truncated);
  CHECK(n == 0);
  // quoted-printable text with a soft break inside the code
  CHECK(one("From: MAILER-DAEMON@x.org\nContent-Transfer-Encoding: quoted-printable\n\n"
            "<a@x.org>: said: 550 5.=\n1.1 no=3D\n") ==
        std::vector<std::string>{"a@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown"});
}

TEST_CASE("deep nesting and many recipients stay bounded", "[bounce][limits]") {
  std::string deep;
  for (int i = 0; i < 10000; ++i) deep += "Content-Type: message/rfc822\n\n";
  deep += "<a@x.org>: 550 5.1.1 no\n";
  CHECK(one(deep).empty()); // deeper than max_mime_depth: not entered

  std::string dsn, text;
  for (int i = 0; i < 100000; ++i) {
    const std::string a = "u" + std::to_string(i) + "@x.org";
    dsn += "Final-Recipient: rfc822; " + a + "\nAction: failed\nStatus: 5.0.0\n\n";
    text += "<" + a + ">: said 550 5.1.1 no\n";
  }
  const std::vector<std::string> got = one(report(text, dsn));
  REQUIRE(got.size() == 100000);
  CHECK(got.front() == "u0@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown");
  CHECK(got.back() == "u99999@x.org\tfailed\t5.1.1\t550\ttext\thard\tuser_unknown");
}
