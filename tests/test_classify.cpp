#include <smtp_status/classify.hpp>
#include <smtp_status/literals.hpp>
#include <smtp_status/parse.hpp>

#include <cstdint>
#include <string>

#include "catch.hpp"

using namespace smtp_status;
using namespace smtp_status::literals;

namespace {
constexpr enhanced_code code(const char* s) { return *parse_enhanced_code(s); }
constexpr bounce_class is(bounce_kind k, bounce_reason r) { return {k, r}; }
constexpr auto hard = bounce_kind::hard;
constexpr auto soft = bounce_kind::soft;
constexpr auto none = bounce_kind::none;
} // namespace

TEST_CASE("subject categories", "[classify]") {
  CHECK_BOTH(category(code("5.1.1")) == subject_category::addressing);
  CHECK_BOTH(category(code("4.4.7")) == subject_category::network);
  CHECK_BOTH(category(code("5.7.708")) == subject_category::security);
  CHECK_BOTH(category(code("5.8.1")) == subject_category::unregistered);
  CHECK_BOTH(to_string_view(subject_category::protocol) == "protocol");
}

TEST_CASE("reply severity and category (RFC 5321 §4.2.1)", "[classify]") {
  CHECK_BOTH(severity(reply_code(250)) == reply_severity::positive_completion);
  CHECK_BOTH(severity(reply_code(354)) == reply_severity::positive_intermediate);
  CHECK_BOTH(severity(reply_code(421)) == reply_severity::transient_negative);
  CHECK_BOTH(severity(reply_code(554)) == reply_severity::permanent_negative);
  CHECK_BOTH(category(reply_code(500)) == reply_category::syntax);
  CHECK_BOTH(category(reply_code(214)) == reply_category::information);
  CHECK_BOTH(category(reply_code(421)) == reply_category::connections);
  CHECK_BOTH(category(reply_code(535)) == reply_category::unspecified_3);
  CHECK_BOTH(category(reply_code(550)) == reply_category::mail_system);
  CHECK_BOTH(category(reply_code(571)) == reply_category::nonstandard);
  CHECK_BOTH(to_string_view(reply_severity::transient_negative) == "transient_negative");
}

TEST_CASE("pair consistency", "[classify]") {
  // the class must agree with the first digit (RFC 3463 §3, RFC 2034 §4)
  CHECK_BOTH(check_pair(reply_code(550), code("4.2.2")) == consistency::error);
  CHECK_BOTH(check_pair(reply_code(401), code("4.1.3")) == consistency::warning); // boulder#4022
  CHECK_BOTH(consistent(reply_code(401), code("4.1.3")));
  CHECK_BOTH(check_pair(reply_code(250), code("5.0.0")) == consistency::error);
  CHECK_BOTH(check_pair(reply_code(354), code("2.0.0")) == consistency::error); // no 3.X.X class
  // the associated list is incomplete: outside it is a warning
  CHECK_BOTH(check_pair(reply_code(550), code("5.1.1")) == consistency::ok);
  CHECK_BOTH(check_pair(reply_code(554), code("5.1.1")) == consistency::warning);
  CHECK_BOTH(check_pair(reply_code(552), code("5.2.2")) == consistency::ok);
  CHECK_BOTH(check_pair(reply_code(550), code("5.2.2")) == consistency::warning);
  CHECK_BOTH(check_pair(reply_code(599), code("5.0.0")) == consistency::ok);   // "Any"
  CHECK_BOTH(check_pair(reply_code(554), code("5.1.0")) == consistency::ok);   // "Not given"
  CHECK_BOTH(check_pair(reply_code(571), code("5.7.17")) == consistency::ok);  // "5XX"
  CHECK_BOTH(check_pair(reply_code(451), code("4.7.24")) == consistency::ok);  // "451/550"
  CHECK_BOTH(check_pair(reply_code(550), code("5.7.708")) == consistency::ok); // unregistered
  CHECK_BOTH(consistent(reply_code(554), code("5.1.1")));
  CHECK_BOTH(!consistent(reply_code(450), code("5.1.1")));
  CHECK_BOTH(to_string_view(consistency::warning) == "warning");
}

TEST_CASE("bounce kind and reason from an enhanced code", "[classify][bounce]") {
  CHECK_BOTH(classify(code("2.0.0")) == is(none, bounce_reason::delivered));
  CHECK_BOTH(classify(code("2.1.5")) == is(none, bounce_reason::delivered));
  CHECK_BOTH(classify(code("5.1.1")) == is(hard, bounce_reason::user_unknown));
  CHECK_BOTH(classify(code("4.1.1")) == is(soft, bounce_reason::user_unknown));
  CHECK_BOTH(classify(code("5.1.10")) == is(hard, bounce_reason::user_unknown));
  CHECK_BOTH(classify(code("5.4.1")) == is(hard, bounce_reason::user_unknown));
  CHECK_BOTH(classify(code("4.4.1")) == is(soft, bounce_reason::network_error));
  CHECK_BOTH(classify(code("5.1.2")) == is(hard, bounce_reason::host_unknown));
  CHECK_BOTH(classify(code("5.1.6")) == is(hard, bounce_reason::has_moved));
  CHECK_BOTH(classify(code("5.3.2")) == is(hard, bounce_reason::domain_no_mail));
  CHECK_BOTH(classify(code("4.3.2")) == is(soft, bounce_reason::system_error));
  CHECK_BOTH(classify(code("5.2.2")) == is(soft, bounce_reason::mailbox_full));
  CHECK_BOTH(classify(code("5.2.1")) == is(soft, bounce_reason::mailbox_disabled));
  CHECK_BOTH(classify(code("5.3.4")) == is(soft, bounce_reason::message_too_big));
  CHECK_BOTH(classify(code("4.4.7")) == is(soft, bounce_reason::expired));
  CHECK_BOTH(classify(code("5.5.3")) == is(soft, bounce_reason::too_many_recipients));
  CHECK_BOTH(classify(code("5.7.1")) == is(soft, bounce_reason::policy));
  CHECK_BOTH(classify(code("5.7.8")) == is(soft, bounce_reason::auth_failure));
  CHECK_BOTH(classify(code("5.7.10")) == is(soft, bounce_reason::security));
  CHECK_BOTH(classify(code("5.0.0")) == is(soft, bounce_reason::undefined));
  // DESIGN.md: the X.7.2x codes
  for (const char* s : {"5.7.20", "5.7.21", "5.7.22", "5.7.23", "5.7.24", "5.7.26", "5.7.29"})
    CHECK(classify(code(s)) == is(soft, bounce_reason::sender_authentication));
  CHECK_BOTH(classify(code("5.7.25")) == is(soft, bounce_reason::reputation));
  CHECK_BOTH(classify(code("5.7.27")) == is(soft, bounce_reason::policy));
  CHECK_BOTH(classify(code("5.7.28")) == is(soft, bounce_reason::spam));
  // unregistered codes fall back to X.y.0, then X.0.0
  CHECK_BOTH(classify(code("5.1.99")) == is(soft, bounce_reason::undefined)); // X.1.0: "other address status"
  CHECK_BOTH(classify(code("5.7.708")) == is(soft, bounce_reason::policy));
  CHECK_BOTH(classify(code("5.42.1")) == is(soft, bounce_reason::undefined));
}

TEST_CASE("every registry code has a reason, and only the address ones are hard",
          "[classify][bounce]") {
  for (const registry_entry& e : registry()) {
    if (e.kind != registry_kind::detail) continue;
    const bounce_class c = classify(*make_enhanced_code(5, e.subject, e.detail));
    INFO(e.code);
    CHECK(to_string_view(c.reason) != "invalid");
    const bool address =
        c.reason == bounce_reason::user_unknown || c.reason == bounce_reason::has_moved ||
        c.reason == bounce_reason::host_unknown || c.reason == bounce_reason::domain_no_mail;
    if (c.reason == bounce_reason::delivered)
      CHECK(c.kind == soft);
    else
      CHECK((c.kind == hard) == address);
    CHECK(classify(*make_enhanced_code(4, e.subject, e.detail)).kind == soft);
    CHECK(classify(*make_enhanced_code(2, e.subject, e.detail)).kind == none);
  }
}

TEST_CASE("bounce kind and reason from a reply code and a pair", "[classify][bounce]") {
  CHECK_BOTH(classify(reply_code(250)) == is(none, bounce_reason::delivered));
  CHECK_BOTH(classify(reply_code(354)) == is(none, bounce_reason::delivered));
  CHECK_BOTH(classify(reply_code(550)) == is(soft, bounce_reason::undefined));
  CHECK_BOTH(classify(reply_code(552)) == is(soft, bounce_reason::mailbox_full));
  CHECK_BOTH(classify(reply_code(556)) == is(hard, bounce_reason::domain_no_mail));
  CHECK_BOTH(classify(reply_code(521)) == is(hard, bounce_reason::domain_no_mail));
  CHECK_BOTH(classify(reply_code(551)) == is(hard, bounce_reason::has_moved));
  CHECK_BOTH(classify(reply_code(535)) == is(soft, bounce_reason::auth_failure));
  CHECK_BOTH(classify(reply_code(421)) == is(soft, bounce_reason::system_error));
  CHECK_BOTH(classify(reply_code(500)) == is(soft, bounce_reason::syntax_error));
  // the enhanced code gives the reason; X.0.0 defers to the reply code
  CHECK_BOTH(classify(reply_code(550), code("5.1.1")) == is(hard, bounce_reason::user_unknown));
  CHECK_BOTH(classify(reply_code(552), code("5.0.0")) == is(soft, bounce_reason::mailbox_full));
  CHECK_BOTH(classify(reply_code(556), code("5.0.0")) == is(hard, bounce_reason::domain_no_mail));
  CHECK_BOTH(classify(reply_code(550), code("5.0.0")) == is(soft, bounce_reason::undefined));
  // the kind follows what the server did: the reply code's class
  CHECK_BOTH(classify(reply_code(450), code("5.1.1")) == is(soft, bounce_reason::user_unknown));
  CHECK_BOTH(classify(reply_code(250), code("2.1.5")) == is(none, bounce_reason::delivered));
  CHECK_BOTH(classify(reply_code(250), code("5.1.1")) == is(none, bounce_reason::delivered));
  CHECK_BOTH(to_string_view(bounce_reason::sender_authentication) == "sender_authentication");
  CHECK_BOTH(to_string_view(bounce_kind::hard) == "hard");
  for (int r = 0; r <= static_cast<int>(bounce_reason::undefined); ++r)
    CHECK(to_string_view(static_cast<bounce_reason>(r)) != "invalid");
}

TEST_CASE("the phrase table decides only where the codes say nothing", "[classify][bounce]") {
  CHECK_BOTH(reason_from_text("550 Requested action not taken: User unknown") ==
             bounce_reason::user_unknown);
  CHECK_BOTH(reason_from_text("MAILBOX FULL") == bounce_reason::mailbox_full);
  CHECK_BOTH(reason_from_text("Relay access denied") == bounce_reason::relaying_denied);
  CHECK_BOTH(reason_from_text("Message rejected as spam") == bounce_reason::spam);
  CHECK_BOTH(reason_from_text("listed at zen.spamhaus.org") == bounce_reason::reputation);
  CHECK_BOTH(reason_from_text("blocked using bl.example.net") == bounce_reason::reputation);
  CHECK_BOTH(reason_from_text("Blocked by the recipient") == bounce_reason::policy);
  CHECK_BOTH(reason_from_text("mailbox unavailable") == bounce_reason::undefined);
  CHECK_BOTH(reason_from_text("") == bounce_reason::undefined);
  // every phrase of the table finds its own reason, or an earlier entry's
  for (const auto& p : detail::phrases) {
    const bounce_reason r = reason_from_text(p.text);
    CHECK(r != bounce_reason::undefined);
  }
  CHECK_BOTH(classify(code("5.0.0"), "User unknown") == is(hard, bounce_reason::user_unknown));
  CHECK_BOTH(classify(code("4.0.0"), "User unknown") == is(soft, bounce_reason::user_unknown));
  CHECK_BOTH(classify(550_reply, "mailbox is full") == is(soft, bounce_reason::mailbox_full));
  CHECK_BOTH(classify(554_reply, "This user doesn't have a yahoo.com account") ==
             is(hard, bounce_reason::user_unknown));
  // a code that says more wins over the words
  CHECK_BOTH(classify(code("5.2.2"), "spam") == is(soft, bounce_reason::mailbox_full));
  // ... but a broad policy code is refined within its family, and stays soft
  CHECK_BOTH(classify(code("5.7.1"), "Relay access denied") ==
             is(soft, bounce_reason::relaying_denied));
  CHECK_BOTH(classify(550_reply, code("5.7.1"), "listed at zen.spamhaus.org") ==
             is(soft, bounce_reason::reputation));
  CHECK_BOTH(classify(code("5.7.0"), "SPF check failed") ==
             is(soft, bounce_reason::sender_authentication));
  CHECK_BOTH(classify(code("5.7.1"), "user unknown") == is(soft, bounce_reason::policy));
  CHECK_BOTH(classify(code("5.7.1"), "") == is(soft, bounce_reason::policy));
  // null MX: 556/521 say it exactly; X.1.0 leaves it to the words
  CHECK_BOTH(classify(556_reply, code("5.1.10")) == is(hard, bounce_reason::domain_no_mail));
  CHECK_BOTH(classify(code("5.1.0"), "Domain example.com does not accept mail (nullMX)") ==
             is(hard, bounce_reason::domain_no_mail));
  CHECK_BOTH(classify(code("5.1.0"), "") == is(soft, bounce_reason::undefined));
  CHECK_BOTH(reason_from_text("message garbled") == bounce_reason::undefined);
  CHECK_BOTH(classify(550_reply, code("5.1.1"), "spam") == is(hard, bounce_reason::user_unknown));
  CHECK_BOTH(classify(550_reply, code("5.0.0"), "no such user") ==
             is(hard, bounce_reason::user_unknown));
  CHECK_BOTH(classify(250_reply, code("2.0.0"), "user unknown") == is(none, bounce_reason::delivered));
}

TEST_CASE("reason_from_text is the first phrase of the table found anywhere", "[classify][bounce]") {
  // the obvious definition: each phrase of the table in turn, searched in the whole text
  const auto slow = [](std::string_view text) {
    for (const auto& p : detail::phrases)
      for (std::size_t i = 0; i + p.text.size() <= text.size(); ++i) {
        bool same = true;
        for (std::size_t k = 0; k < p.text.size() && same; ++k) {
          const char c = text[i + k];
          same = (c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) == p.text[k];
        }
        if (same) return p.reason;
      }
    return bounce_reason::undefined;
  };
  const char* pieces[] = {"User ", "unknown", "MAILBOX", " full", "spam", "relay", " rbl", "blocked",
                          "denied", "quota", " exceeded", "x", " ", "\n", "too ", "large", "SPF",
                          "does not ", "exist", "listed at", "over quota", "Virus", "policy"};
  std::uint32_t seed = 12345;
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    for (int k = 0; k < 6; ++k) {
      seed = seed * 1664525u + 1013904223u;
      text += pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
    }
    INFO(text);
    REQUIRE(reason_from_text(text) == slow(text));
  }
}
