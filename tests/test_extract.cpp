#include <smtp_status/extract.hpp>
#include <smtp_status/string.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"
#include "reference.hpp"

using namespace smtp_status;
using detail::scan_path;

namespace {

// What a path found, in the reference's form.
template <scan_path P> std::vector<reference::found_code> enhanced_by(std::string_view text) {
  std::vector<reference::found_code> out;
  detail::for_each_enhanced_code<P>(text, [&](const enhanced_match& m) {
    const std::string code = to_string(m.code);
    // The length is the code's own: no leading zeros, so the text is to_string's.
    if (m.length != code.size() || text.substr(m.offset, m.length) != code)
      out.push_back({"?", 0, ""});
    out.push_back({code, m.offset, ""});
  });
  return out;
}

template <scan_path P> std::vector<reference::found_code> replies_by(std::string_view text) {
  std::vector<reference::found_code> out;
  detail::for_each_reply_code<P>(text, [&](const reply_match& m) {
    std::string enhanced;
    if (m.enhanced) {
      enhanced = to_string(m.enhanced->code);
      if (m.enhanced->offset != m.offset + 4 || m.enhanced->length != enhanced.size())
        enhanced = "?";
    }
    out.push_back({to_string(m.code), m.offset, enhanced});
  });
  return out;
}

// "5.1.1@3 4.4.22@10": every code found with its offset; reply codes with
// their enhanced code: "550@0+5.1.1".
std::string show(const std::vector<reference::found_code>& found) {
  std::string s;
  for (const reference::found_code& f : found) {
    if (!s.empty()) s += ' ';
    s += f.code + '@' + std::to_string(f.offset);
    if (!f.enhanced.empty()) s += '+' + f.enhanced;
  }
  return s;
}

std::string enh(std::string_view text) { return show(enhanced_by<detail::best_scan_path>(text)); }
std::string rep(std::string_view text) { return show(replies_by<detail::best_scan_path>(text)); }

// Both paths and the reference agree on text.
bool all_agree(std::string_view text) {
  const auto e = reference::enhanced_codes_in(text);
  const auto r = reference::reply_codes_in(text);
  return enhanced_by<scan_path::sse2>(text) == e && enhanced_by<scan_path::scalar>(text) == e &&
         replies_by<scan_path::sse2>(text) == r && replies_by<scan_path::scalar>(text) == r;
}

} // namespace

// ---- Enhanced codes ------------------------------------------------------------

TEST_CASE("rule 1: C is 2/4/5, S is 0-7, D 1-3 digits, no leading zeros", "[extract]") {
  CHECK(enh("5.1.1") == "5.1.1@0");
  CHECK(enh("2.0.0 Ok") == "2.0.0@0");
  CHECK(enh("4.7.0 5.7.26") == "4.7.0@0 5.7.26@6");
  CHECK(enh("5.7.708") == "5.7.708@0");
  CHECK(enh("5.1.0") == "5.1.0@0");
  CHECK(enh("3.1.1 6.1.1 1.1.1 0.1.1 9.1.1").empty());
  CHECK(enh("5.8.1 5.9.1").empty());
  CHECK(enh("Exim 4.94.2").empty());
  CHECK(enh("Postfix 2.10.1").empty());
  CHECK(enh("5.01.1 5.1.01 5.1.00 5.00.1 5.07.1").empty());
  CHECK(enh("5..1 5.1. 5.1 5. .1.1").empty());
}

TEST_CASE("rule 2: left boundary", "[extract]") {
  // Never inside IP addresses or version strings
  CHECK(enh("from mx.example.com [192.0.2.128]").empty());
  CHECK(enh("[10.5.1.1]").empty());
  CHECK(enh("::ffff:10.5.1.1").empty());
  CHECK(enh("IPv6:2001:db8::5.1.1.1").empty());
  CHECK(enh("v2.4.1").empty());
  CHECK(enh("x5.1.1 X5.1.1 _5.1.1").empty());
  CHECK(enh("Exim/4.1.2").empty());
  CHECK(enh("15.1.1").empty());
  // After punctuation it is a code
  CHECK(enh("#5.1.1") == "5.1.1@1");
  CHECK(enh("(5.7.1)") == "5.7.1@1");
  CHECK(enh("'5.7.1'") == "5.7.1@1");
  CHECK(enh("\"5.7.1\"") == "5.7.1@1");
  CHECK(enh("550-5.1.1") == "5.1.1@4");
  CHECK(enh("smtp;5.1.1") == "5.1.1@5");
  CHECK(enh("Status:5.1.1") == "5.1.1@7");
  CHECK(enh("[5.7.1]") == "5.7.1@1");
  CHECK(enh("<5.7.1>") == "5.7.1@1");
  CHECK(enh("\n5.7.1") == "5.7.1@1");
  CHECK(enh(std::string("\xc3\xa9") + "5.7.1") == "5.7.1@2"); // UTF-8 bytes are not letters
}

TEST_CASE("rule 3: right boundary", "[extract]") {
  CHECK(enh("Mailbox unavailable (5.1.1).") == "5.1.1@21");
  CHECK(enh("failed with 5.1.1.") == "5.1.1@12");
  CHECK(enh("5.1.1)") == "5.1.1@0");
  CHECK(enh("5.1.1:") == "5.1.1@0");
  CHECK(enh("5.1.1, 5.2.2;") == "5.1.1@0 5.2.2@7");
  CHECK(enh("5.1.1/") == "5.1.1@0");
  CHECK(enh("5.1.1-") == "5.1.1@0");
  CHECK(enh("5.1.1.x") == "5.1.1@0");
  CHECK(enh("5.1.1..1") == "5.1.1@0"); // the '.' after D is followed by a '.'
  CHECK(enh("5.1.1\r\n") == "5.1.1@0");
  CHECK(enh("5.1.1a 5.1.1_ 5.1.1Z").empty());
  CHECK(enh("5.1.1.1").empty());
  CHECK(enh("4.0.994.63").empty());
  CHECK(enh("version 4.0.994.63 (Microsoft)").empty());
}

TEST_CASE("rule 4: digit runs are taken whole", "[extract]") {
  CHECK(enh("4.4.22") == "4.4.22@0");
  CHECK(enh("5.7.708 Access denied") == "5.7.708@0");
  CHECK(enh("5.7.999") == "5.7.999@0");
  CHECK(enh("5.1.1234").empty());
  CHECK(enh("5.12.1").empty());
  CHECK(enh("5.100.1").empty());
  CHECK(enh("55.1.1").empty());
}

TEST_CASE("dates and decimals are not codes", "[extract]") {
  CHECK(enh("Date: Mon, 03 Jun 2024 10:22:13 +0000").empty());
  CHECK(enh("2024-05-01 2024.05.01 24.05.2024 5.1.2024 4.2.2024").empty());
  CHECK(enh("size 5.25 MB, load 2.5, pi 3.14159").empty());
  CHECK(rep("Date: Mon, 03 Jun 2024 10:22:13 +0000 2024-05-01").empty());
  CHECK(rep("size 5.250 MB, 250.5").empty());
}

TEST_CASE("offsets and lengths are exact", "[extract]") {
  const std::string_view text = "Diagnostic-Code: smtp; 550 5.7.708 denied (4.4.22)";
  std::vector<enhanced_match> found;
  for_each_enhanced_code(text, [&](const enhanced_match& m) { found.push_back(m); });
  REQUIRE(found.size() == 2);
  CHECK(found[0].offset == 27);
  CHECK(found[0].length == 7);
  CHECK(text.substr(found[0].offset, found[0].length) == "5.7.708");
  CHECK(found[0].code == enhanced_code(status_class::permanent_failure, 7, 708));
  CHECK(found[1].offset == 43);
  CHECK(found[1].length == 6);
  CHECK(found[1].code == enhanced_code(status_class::transient_failure, 4, 22));
}

// ---- Reply codes -----------------------------------------------------------

TEST_CASE("rule 5: three digits, 2-5 then 0-5, not in longer runs", "[extract]") {
  CHECK(rep("550") == "550@0");
  CHECK(rep("250 221 354 421") == "250@0 221@4 354@8 421@12");
  CHECK(rep("199 600 560 599 050").empty());
  CHECK(rep("5502 1550 55 5").empty());
  CHECK(rep("12345 550550").empty());
}

TEST_CASE("rule 6: left boundary", "[extract]") {
  CHECK(rep("smtp; 550") == "550@6");
  CHECK(rep("smtp;550") == "550@5");
  CHECK(rep("said: 550") == "550@6");
  CHECK(rep("(550)") == "550@1");
  CHECK(rep("[550] <550> \"550\" '550' #550 =550") == "550@1 550@7 550@13 550@19 550@25 550@30");
  CHECK(rep("\t550\r\n550") == "550@1 550@6");
  CHECK(rep("x550 -550 /550 .550 _550").empty());
  CHECK(rep("555-550-1234").empty());
  CHECK(rep("2024-05-01").empty());
}

TEST_CASE("rule 7: right boundary", "[extract]") {
  CHECK(rep("550 ") == "550@0");
  CHECK(rep("550-") == "550@0");
  CHECK(rep("550-Mailbox unavailable") == "550@0");
  CHECK(rep("550.") == "550@0");
  CHECK(rep("(550)") == "550@1");
  CHECK(rep("550, 550; 550: 550\" 550' 550] 550>") ==
        "550@0 550@5 550@10 550@15 550@20 550@25 550@30");
  CHECK(rep("550.5 550a 550_ 550/ 550=").empty());
  CHECK(rep("550-1234").empty());
  CHECK(rep("550-5.1.1234").empty()); // a digit after '-' and no enhanced code there
  CHECK(rep("555-550-1234").empty());
}

TEST_CASE("rule 8: the enhanced code right after a reply code", "[extract]") {
  CHECK(rep("550 5.1.1 User unknown") == "550@0+5.1.1");
  CHECK(rep("550-5.1.1 The email account that you tried to reach") == "550@0+5.1.1");
  CHECK(rep("smtp; 550 5.1.1") == "550@6+5.1.1");
  CHECK(rep("smtp;550 5.7.708") == "550@5+5.7.708");
  CHECK(rep("550  5.1.1") == "550@0"); // two spaces
  CHECK(rep("550:5.1.1") == "550@0");  // not ' ' or '-'
  CHECK(rep("550 5.1.1a") == "550@0"); // not a code
  CHECK(rep("550 4.0.994.63") == "550@0");
  const auto r = find_reply_code("host said: 550-5.1.1 no");
  REQUIRE(r);
  CHECK(r->code == reply_code(550));
  CHECK(r->offset == 11);
  REQUIRE(r->enhanced);
  CHECK(r->enhanced->offset == 15);
  CHECK(r->enhanced->length == 5);
  CHECK(r->enhanced->code == enhanced_code(status_class::permanent_failure, 1, 1));
}

TEST_CASE("matches come in text order, never overlapping", "[extract]") {
  CHECK(enh("5.1.1 4.2.2 5.7.1") == "5.1.1@0 4.2.2@6 5.7.1@12");
  CHECK(enh("5.1.5.1.1").empty());
  CHECK(rep("550 550- 550") == "550@0 550@4 550@9");
  CHECK(rep("550 550-550") == "550@0"); // "550-550": no enhanced code after the '-'
}

// ---- The callback and the find functions -------------------------------------

TEST_CASE("f returning false stops the scan; void f sees every code", "[extract]") {
  const std::string_view text = "5.1.1 550 4.2.2 451 5.7.1 554";
  std::size_t calls = 0;
  for_each_enhanced_code(text, [&](const enhanced_match&) { return ++calls < 2; });
  CHECK(calls == 2);
  calls = 0;
  for_each_enhanced_code(text, [&](const enhanced_match&) { ++calls; });
  CHECK(calls == 3);
  calls = 0;
  for_each_reply_code(text, [&](const reply_match&) { return ++calls < 1; });
  CHECK(calls == 1);
  calls = 0;
  for_each_reply_code(text, [&](const reply_match&) { ++calls; });
  CHECK(calls == 3);

  // Stopping inside a later 64-byte block.
  const std::string longer = std::string(100, ' ') + "5.1.1 " + std::string(100, ' ') + "5.1.2";
  calls = 0;
  for_each_enhanced_code(longer, [&](const enhanced_match& m) {
    ++calls;
    return m.offset < 100;
  });
  CHECK(calls == 1);
}

TEST_CASE("find_* return the first code", "[extract]") {
  CHECK_FALSE(find_enhanced_code(""));
  CHECK_FALSE(find_enhanced_code("no code [192.0.2.1]"));
  CHECK_FALSE(find_reply_code(""));
  CHECK_FALSE(find_reply_code("5502"));
  const auto e = find_enhanced_code("Exim 4.94.2: 4.4.22 then 5.1.1");
  REQUIRE(e);
  CHECK(e->offset == 13);
  CHECK(e->length == 6);
  const auto r = find_reply_code("1550 421 550");
  REQUIRE(r);
  CHECK(r->code == reply_code(421));
  CHECK(r->offset == 5);
  CHECK_FALSE(r->enhanced);
}

TEST_CASE("noexcept follows f", "[extract]") {
  const auto quiet = [](const enhanced_match&) noexcept {};
  const auto loud = [](const enhanced_match&) {};
  const auto quiet_reply = [](const reply_match&) noexcept { return true; };
  const auto loud_reply = [](const reply_match&) { return true; };
  STATIC_REQUIRE(noexcept(for_each_enhanced_code("", quiet)));
  STATIC_REQUIRE_FALSE(noexcept(for_each_enhanced_code("", loud)));
  STATIC_REQUIRE(noexcept(for_each_reply_code("", quiet_reply)));
  STATIC_REQUIRE_FALSE(noexcept(for_each_reply_code("", loud_reply)));
  STATIC_REQUIRE(noexcept(find_enhanced_code("")));
  STATIC_REQUIRE(noexcept(find_reply_code("")));
}

TEST_CASE("empty and tiny texts", "[extract]") {
  CHECK(enh("").empty());
  CHECK(rep("").empty());
  CHECK(enh(std::string_view()).empty());
  CHECK(rep(std::string_view()).empty());
  for (std::string_view s : {"5", "5.", "5.1", "5.1.", "55", "2.0.0", "250"}) CHECK(all_agree(s));
}

// ---- Block boundaries and alignment ------------------------------------------

TEST_CASE("codes at every position of a block, and at the very end", "[extract]") {
  const std::size_t lengths[] = {16, 63, 64, 65, 130, 200};
  for (std::size_t length : lengths) {
    for (std::string_view code : {"5.1.1", "4.4.22", "5.7.708", "550", "550 5.1.1", "550-5.7.26"}) {
      const bool reply = code.substr(0, 3) == "550";
      const bool enhanced = code.size() > 3;
      for (std::size_t at = 0; at + code.size() <= length; ++at) {
        std::string text(length, ' ');
        text.replace(at, code.size(), code);
        // The text ends its allocation: ASan sees any read past it.
        const std::unique_ptr<char[]> exact(new char[text.size()]);
        std::memcpy(exact.get(), text.data(), text.size());
        const std::string_view view(exact.get(), text.size());
        INFO("code " << code << " at " << at << " of " << length);
        REQUIRE(all_agree(view));
        const auto e = find_enhanced_code(view);
        const auto r = find_reply_code(view);
        REQUIRE(e.has_value() == enhanced);
        REQUIRE(r.has_value() == reply);
        if (e)
          CHECK((e->offset == at + (reply ? 4 : 0) && e->offset + e->length == at + code.size()));
        if (r) CHECK((r->offset == at && r->enhanced.has_value() == enhanced));
      }
    }
  }
}

// ---- Random texts against the reference ---------------------------------------

namespace {

// Pieces that sit on the boundaries of the rules.
// clang-format off
constexpr std::string_view fragments[] = {
    // codes, alone and after reply codes
    "5.1.1", "4.4.22", "5.7.708", "2.0.0", "5.1.0", "4.7.1", "550 5.1.1", "550-5.7.1",
    "451 4.4.22", "550-5.7.708", "250 2.0.0", "550", "550 ", "550-", "421", "250",
    // look-alikes
    "5.1.1234", "5.12.1", "5.01.1", "5.8.1", "5502", "1550", "599", "600", "192.0.2.128",
    "10.5.1.1", "::ffff:", "4.0.994.63", "v2.4.1", "Exim 4.94.2", "Postfix 3.7.1",
    "2024-05-01", "10:22:13", "3.14", "555-550-1234", "550 4.0.994.63",
    // digits, boundary bytes, words
    "0", "1", "2", "4", "5", "7", "8", "9", ".", ".", "..", "-", ":", ";", "[", "]", "(", ")",
    "<", ">", "#", "'", "\"", "=", "/", "_", ",", " ", " ", "\t", "\n", "\r\n", "a", "x", "Z",
    "\xc3\xa9", "\x00", "smtp;", "smtp; ", "said: ", "Status: "};
// clang-format on

std::string random_text(std::mt19937& rng) {
  std::string s;
  const std::size_t count = rng() % 40;
  if (rng() % 2 == 0) {
    for (std::size_t i = 0; i < count; ++i) {
      const std::string_view f = fragments[rng() % std::size(fragments)];
      s.append(f.empty() ? std::string_view("\0", 1) : f);
    }
  } else { // dense: one character at a time
    constexpr std::string_view alphabet = "01234555557888.....-- :[x\n";
    for (std::size_t i = 0; i < count * 3; ++i) s += alphabet[rng() % alphabet.size()];
  }
  return s;
}

} // namespace

TEST_CASE("100,000 random texts: both paths find what the reference finds", "[extract]") {
  std::mt19937 rng(4);
  std::size_t enhanced = 0, replies = 0, attached = 0, mismatches = 0;
  for (int i = 0; i < 100000; ++i) {
    const std::string text = random_text(rng);
    const auto e = reference::enhanced_codes_in(text);
    const auto r = reference::reply_codes_in(text);
    enhanced += e.size();
    replies += r.size();
    for (const auto& x : r) attached += x.enhanced.empty() ? 0u : 1u;
    const bool same =
        enhanced_by<scan_path::sse2>(text) == e && enhanced_by<scan_path::scalar>(text) == e &&
        replies_by<scan_path::sse2>(text) == r && replies_by<scan_path::scalar>(text) == r;
    if (!same && ++mismatches <= 5) {
      INFO("text: " << text);
      INFO("reference: " << show(e) << " | " << show(r));
      INFO("found:     " << enh(text) << " | " << rep(text));
      CHECK(same);
    }
  }
  CHECK(mismatches == 0);
  // The generator reaches every kind of match.
  CHECK(enhanced > 10000);
  CHECK(replies > 10000);
  CHECK(attached > 1000);
}

TEST_CASE("SSE2 and scalar paths agree at every alignment", "[extract]") {
  std::mt19937 rng(16);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    while (text.size() < 150) text += random_text(rng);
    const auto e = enhanced_by<scan_path::scalar>(text);
    const auto r = replies_by<scan_path::scalar>(text);
    for (std::size_t offset = 0; offset < 16; ++offset) {
      // At `offset` from a 16-byte boundary, and ending its allocation.
      std::vector<char> buffer(offset + text.size());
      std::memcpy(buffer.data() + offset, text.data(), text.size());
      const std::string_view view(buffer.data() + offset, text.size());
      REQUIRE(enhanced_by<scan_path::sse2>(view) == e);
      REQUIRE(replies_by<scan_path::sse2>(view) == r);
      // Suffixes: the blocks fall elsewhere in the text.
      const std::string_view tail = view.substr(offset * 7);
      REQUIRE(enhanced_by<scan_path::sse2>(tail) == enhanced_by<scan_path::scalar>(tail));
      REQUIRE(replies_by<scan_path::sse2>(tail) == replies_by<scan_path::scalar>(tail));
    }
  }
}
