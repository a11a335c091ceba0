// smtp_status: what a code means. Class and subject category of an enhanced
// code (RFC 3463 §3), severity and category of a reply code (RFC 5321
// §4.2.1), consistency of a (reply code, enhanced code) pair (RFC 3463 §3,
// RFC 2034 §4), and for bounce processing a kind (none / soft / hard) and a
// reason, derived from the codes, and where they say no more than their class
// from a small table of diagnostic phrases.
#ifndef SMTP_STATUS_CLASSIFY_HPP
#define SMTP_STATUS_CLASSIFY_HPP

#include "parse.hpp"
#include "registry.hpp"

namespace smtp_status {

// The subject sub-code (RFC 3463 §3.2..§3.9).
enum class subject_category : std::uint8_t {
  other = 0,       // X.0.XXX Other or Undefined Status
  addressing = 1,  // X.1.XXX Addressing Status
  mailbox = 2,     // X.2.XXX Mailbox Status
  mail_system = 3, // X.3.XXX Mail System Status
  network = 4,     // X.4.XXX Network and Routing Status
  protocol = 5,    // X.5.XXX Mail Delivery Protocol Status
  content = 6,     // X.6.XXX Message Content or Media Status
  security = 7,    // X.7.XXX Security or Policy Status
  unregistered,    // any subject above 7
};

[[nodiscard]] constexpr std::string_view to_string_view(subject_category s) noexcept {
  switch (s) {
  case subject_category::other: return "other";
  case subject_category::addressing: return "addressing";
  case subject_category::mailbox: return "mailbox";
  case subject_category::mail_system: return "mail_system";
  case subject_category::network: return "network";
  case subject_category::protocol: return "protocol";
  case subject_category::content: return "content";
  case subject_category::security: return "security";
  case subject_category::unregistered: return "unregistered";
  }
  return "invalid";
}

[[nodiscard]] constexpr subject_category category(enhanced_code c) noexcept {
  return c.subject() <= 7 ? static_cast<subject_category>(c.subject())
                          : subject_category::unregistered;
}

// First digit of a reply code (RFC 5321 §4.2.1).
enum class reply_severity : std::uint8_t {
  positive_completion = 2,
  positive_intermediate = 3,
  transient_negative = 4,
  permanent_negative = 5,
};

[[nodiscard]] constexpr std::string_view to_string_view(reply_severity s) noexcept {
  switch (s) {
  case reply_severity::positive_completion: return "positive_completion";
  case reply_severity::positive_intermediate: return "positive_intermediate";
  case reply_severity::transient_negative: return "transient_negative";
  case reply_severity::permanent_negative: return "permanent_negative";
  }
  return "invalid";
}

[[nodiscard]] constexpr reply_severity severity(reply_code r) noexcept {
  return static_cast<reply_severity>(r.first_digit());
}

// Second digit of a reply code (RFC 5321 §4.2.1); 3 and 4 are unspecified,
// 6-9 occur only in leniently parsed codes.
enum class reply_category : std::uint8_t {
  syntax = 0,
  information = 1,
  connections = 2,
  unspecified_3 = 3,
  unspecified_4 = 4,
  mail_system = 5,
  nonstandard, // 6-9
};

[[nodiscard]] constexpr std::string_view to_string_view(reply_category c) noexcept {
  switch (c) {
  case reply_category::syntax: return "syntax";
  case reply_category::information: return "information";
  case reply_category::connections: return "connections";
  case reply_category::unspecified_3: return "unspecified_3";
  case reply_category::unspecified_4: return "unspecified_4";
  case reply_category::mail_system: return "mail_system";
  case reply_category::nonstandard: return "nonstandard";
  }
  return "invalid";
}

[[nodiscard]] constexpr reply_category category(reply_code r) noexcept {
  return r.second_digit() <= 5 ? static_cast<reply_category>(r.second_digit())
                               : reply_category::nonstandard;
}

// Whether a reply code and the enhanced code after it fit together.
enum class consistency : std::uint8_t {
  ok,
  warning, // the reply code is not in the registry's associated list (which is incomplete)
  error,   // the class differs from the reply's first digit (RFC 3463 §3, RFC 2034 §4)
};

[[nodiscard]] constexpr std::string_view to_string_view(consistency c) noexcept {
  switch (c) {
  case consistency::ok: return "ok";
  case consistency::warning: return "warning";
  case consistency::error: return "error";
  }
  return "invalid";
}

[[nodiscard]] constexpr consistency check_pair(reply_code r, enhanced_code e) noexcept {
  if (r.first_digit() != e.class_digit()) return consistency::error;
  const registry_entry* entry = lookup(e);
  if (entry == nullptr || entry->associated.unspecified() || entry->associated.contains(r))
    return consistency::ok;
  return consistency::warning;
}

// False only for a class mismatch ("550 4.2.2"); a warning is consistent.
[[nodiscard]] constexpr bool consistent(reply_code r, enhanced_code e) noexcept {
  return check_pair(r, e) != consistency::error;
}

// ---- Bounce classification --------------------------------------------------

enum class bounce_kind : std::uint8_t {
  none, // delivered or accepted (2xx, 3xx, 2.X.X)
  soft, // may succeed later or with another message: keep the address
  hard, // the address itself will not become deliverable
};

[[nodiscard]] constexpr std::string_view to_string_view(bounce_kind k) noexcept {
  switch (k) {
  case bounce_kind::none: return "none";
  case bounce_kind::soft: return "soft";
  case bounce_kind::hard: return "hard";
  }
  return "invalid";
}

// Why a message bounced. The names are stable (JSON output uses them).
enum class bounce_reason : std::uint8_t {
  delivered,
  user_unknown,          // no such mailbox, bad address (X.1.1, X.1.3, 5.1.10, 5.4.1)
  mailbox_full,          // X.2.2, 552
  mailbox_disabled,      // X.2.1
  has_moved,             // X.1.6, 551, RRVS ownership change
  host_unknown,          // X.1.2, X.4.4
  domain_no_mail,        // 521, 556, permanent X.3.2
  relaying_denied,       // (from diagnostic text)
  policy,                // X.7.0, X.7.1, sender-side address problems
  spam,                  // X.7.28
  virus,                 // (from diagnostic text)
  reputation,            // X.7.25
  sender_authentication, // SPF, DKIM, DMARC, ARC: X.7.20-X.7.24, X.7.26, X.7.29
  auth_failure,          // SMTP AUTH: X.7.8, X.7.9, X.7.12-X.7.14, 535
  security,              // TLS or encryption required, crypto failures
  rate_limited,          // (from diagnostic text)
  too_many_recipients,   // X.5.3
  message_too_big,       // X.2.3, X.3.4, X.7.16
  content_error,         // X.6.X media and conversion
  syntax_error,          // X.5.1, X.5.2, X.5.4, 500, 501, 555
  protocol_error,        // X.5.0, X.5.5, 502-504, SMTPUTF8 refused
  network_error,         // X.4.X
  expired,               // X.4.7
  system_error,          // X.3.X, 421, 451
  system_full,           // X.3.1, 452
  undefined,             // the codes say no more than their class
};

[[nodiscard]] constexpr std::string_view to_string_view(bounce_reason r) noexcept {
  switch (r) {
  case bounce_reason::delivered: return "delivered";
  case bounce_reason::user_unknown: return "user_unknown";
  case bounce_reason::mailbox_full: return "mailbox_full";
  case bounce_reason::mailbox_disabled: return "mailbox_disabled";
  case bounce_reason::has_moved: return "has_moved";
  case bounce_reason::host_unknown: return "host_unknown";
  case bounce_reason::domain_no_mail: return "domain_no_mail";
  case bounce_reason::relaying_denied: return "relaying_denied";
  case bounce_reason::policy: return "policy";
  case bounce_reason::spam: return "spam";
  case bounce_reason::virus: return "virus";
  case bounce_reason::reputation: return "reputation";
  case bounce_reason::sender_authentication: return "sender_authentication";
  case bounce_reason::auth_failure: return "auth_failure";
  case bounce_reason::security: return "security";
  case bounce_reason::rate_limited: return "rate_limited";
  case bounce_reason::too_many_recipients: return "too_many_recipients";
  case bounce_reason::message_too_big: return "message_too_big";
  case bounce_reason::content_error: return "content_error";
  case bounce_reason::syntax_error: return "syntax_error";
  case bounce_reason::protocol_error: return "protocol_error";
  case bounce_reason::network_error: return "network_error";
  case bounce_reason::expired: return "expired";
  case bounce_reason::system_error: return "system_error";
  case bounce_reason::system_full: return "system_full";
  case bounce_reason::undefined: return "undefined";
  }
  return "invalid";
}

struct bounce_class {
  bounce_kind kind;
  bounce_reason reason;
  friend constexpr bool operator==(bounce_class a, bounce_class b) noexcept {
    return a.kind == b.kind && a.reason == b.reason;
  }
  friend constexpr bool operator!=(bounce_class a, bounce_class b) noexcept { return !(a == b); }
};

// Hard only for a permanent failure of the address itself.
[[nodiscard]] constexpr bounce_kind kind_of(unsigned class_digit, bounce_reason r) noexcept {
  if (class_digit < 4) return bounce_kind::none;
  const bool address_gone = r == bounce_reason::user_unknown || r == bounce_reason::has_moved ||
                            r == bounce_reason::host_unknown || r == bounce_reason::domain_no_mail;
  return class_digit == 5 && address_gone ? bounce_kind::hard : bounce_kind::soft;
}

namespace detail {

constexpr unsigned sd(unsigned subject, unsigned detail) noexcept {
  return subject * 1000 + detail;
}

// The reason of a registered X.s.d in a failure class; `unmapped` for a code
// the registry does not have (checked below for every registry row).
constexpr bounce_reason unmapped = static_cast<bounce_reason>(0xFF);
constexpr bounce_reason registered_reason(unsigned cls, unsigned subject,
                                          unsigned detail) noexcept {
  using r = bounce_reason;
  switch (sd(subject, detail)) {
  case sd(0, 0):
  case sd(1, 0): // "other address status": the words decide (user unknown, null MX)
    return r::undefined;
  case sd(1, 1):
  case sd(1, 3):
  case sd(1, 4):
  case sd(1, 10): // registered as "null MX", but Microsoft's "recipient not found"
    return r::user_unknown;
  case sd(1, 2): return r::host_unknown;
  case sd(1, 5): return r::delivered;
  case sd(1, 6): return r::has_moved;
  case sd(1, 7):
  case sd(1, 8): return r::policy; // the sender's address: not the recipient's fault
  case sd(1, 9): return r::protocol_error;
  case sd(2, 0): return r::undefined;
  case sd(2, 1): return r::mailbox_disabled;
  case sd(2, 2): return r::mailbox_full;
  case sd(2, 3): return r::message_too_big;
  case sd(2, 4): return r::system_error;
  case sd(3, 0):
  case sd(3, 5): return r::system_error;
  case sd(3, 1): return r::system_full;
  case sd(3, 2): return cls == 5 ? r::domain_no_mail : r::system_error; // 521 (RFC 7504)
  case sd(3, 3): return r::protocol_error;
  case sd(3, 4): return r::message_too_big;
  case sd(3, 6): return r::delivered;
  case sd(4, 0):
  case sd(4, 2):
  case sd(4, 6): return r::network_error;
  case sd(4, 1): return cls == 5 ? r::user_unknown : r::network_error; // Microsoft's 5.4.1
  case sd(4, 3):
  case sd(4, 5): return r::system_error;
  case sd(4, 4): return r::host_unknown;
  case sd(4, 7): return r::expired;
  case sd(5, 0):
  case sd(5, 5): return r::protocol_error;
  case sd(5, 1):
  case sd(5, 2):
  case sd(5, 4): return r::syntax_error;
  case sd(5, 3): return r::too_many_recipients;
  case sd(5, 6): return r::auth_failure;
  case sd(6, 0):
  case sd(6, 1):
  case sd(6, 2):
  case sd(6, 3):
  case sd(6, 5):
  case sd(6, 6):
  case sd(6, 9): return r::content_error;
  case sd(6, 4): return r::delivered;
  case sd(6, 7):
  case sd(6, 8):
  case sd(6, 10): return r::protocol_error;
  case sd(7, 0):
  case sd(7, 1):
  case sd(7, 2):
  case sd(7, 15):
  case sd(7, 19): return r::policy;
  case sd(7, 3):
  case sd(7, 4):
  case sd(7, 5):
  case sd(7, 6):
  case sd(7, 7):
  case sd(7, 10):
  case sd(7, 11):
  case sd(7, 30): return r::security;
  case sd(7, 8):
  case sd(7, 9):
  case sd(7, 12):
  case sd(7, 13):
  case sd(7, 14): return r::auth_failure;
  case sd(7, 16): return r::message_too_big;
  case sd(7, 17):
  case sd(7, 18): return r::has_moved; // RRVS: not the same owner any more
  case sd(7, 20):
  case sd(7, 21):
  case sd(7, 22):
  case sd(7, 23):
  case sd(7, 24):
  case sd(7, 26):
  case sd(7, 29): return r::sender_authentication;
  case sd(7, 25): return r::reputation;
  case sd(7, 27): return r::policy; // the sender's null MX
  case sd(7, 28): return r::spam;
  default: return unmapped;
  }
}

// Asserted in tests/static_checks.cpp (as the registry checks are).
constexpr bool every_registered_code_has_a_reason() noexcept {
  for (std::size_t i = first_detail_row; i < registry_size; ++i)
    for (unsigned cls : {4u, 5u})
      if (registered_reason(cls, registry_rows[i].subject, registry_rows[i].detail) == unmapped)
        return false;
  return true;
}

} // namespace detail

// The reason of an enhanced code: its own, else that of X.y.0, else X.0.0.
[[nodiscard]] constexpr bounce_reason reason(enhanced_code c) noexcept {
  if (c.code_class() == status_class::success) return bounce_reason::delivered;
  const registry_match m = lookup_fallback(c);
  return detail::registered_reason(c.class_digit(), m.entry->subject, m.entry->detail);
}

// The reason of a reply code alone (RFC 5321 §4.2.2 and the extension RFCs).
[[nodiscard]] constexpr bounce_reason reason(reply_code r) noexcept {
  using b = bounce_reason;
  switch (r.value()) {
  case 421:
  case 451:
  case 458:
  case 459: return b::system_error;
  case 452: return b::system_full;
  case 454:
  case 523:
  case 524:
  case 530:
  case 538: return b::security;
  case 455:
  case 502:
  case 503:
  case 504: return b::protocol_error;
  case 422:
  case 432:
  case 525:
  case 534:
  case 535: return b::auth_failure;
  case 500:
  case 501:
  case 555: return b::syntax_error;
  case 521:
  case 556: return b::domain_no_mail;
  case 551: return b::has_moved;
  case 552: return b::mailbox_full;
  default: return r.first_digit() < 4 ? b::delivered : b::undefined;
  }
}

[[nodiscard]] constexpr bounce_class classify(enhanced_code c) noexcept {
  const bounce_reason r = reason(c);
  return {kind_of(c.class_digit(), r), r};
}

[[nodiscard]] constexpr bounce_class classify(reply_code c) noexcept {
  const bounce_reason r = reason(c);
  return {kind_of(c.first_digit(), r), r};
}

// A reply with its enhanced code. The enhanced code gives the reason; where
// it says nothing more than its class (X.0.0, X.2.0), or the reply code is
// the null-MX 521/556, the reply code does.
// The kind follows the reply code's class: that is what the server did.
[[nodiscard]] constexpr bounce_class classify(reply_code r, enhanced_code e) noexcept {
  bounce_reason why = r.first_digit() < 4 ? bounce_reason::delivered : reason(e);
  // 521 and 556 say exactly what X.1.10 or X.3.2 say less precisely
  if (why == bounce_reason::undefined || why == bounce_reason::delivered ||
      reason(r) == bounce_reason::domain_no_mail)
    why = reason(r);
  return {kind_of(r.first_digit(), why), why};
}

namespace detail {

// Whether text at i starts with needle (lowercase ASCII), ignoring ASCII case.
constexpr bool matches_nocase(std::string_view text, std::size_t i, std::string_view needle) noexcept {
  if (needle.size() > text.size() - i) return false;
  for (std::size_t k = 0; k < needle.size(); ++k)
    if (lower(text[i + k]) != needle[k]) return false;
  return true;
}

// Where needle (lowercase ASCII, not empty) first occurs in text, ignoring
// ASCII case; npos if nowhere.
constexpr std::size_t find_nocase(std::string_view text, std::string_view needle) noexcept {
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i)
    if (lower(text[i]) == needle[0] && matches_nocase(text, i, needle)) return i;
  return std::string_view::npos;
}

constexpr bool contains_nocase(std::string_view text, std::string_view needle) noexcept {
  return find_nocase(text, needle) != std::string_view::npos;
}

struct phrase {
  std::string_view text; // lowercase
  bounce_reason reason;
};

// Diagnostic phrases, consulted only where the codes say nothing more than
// their class. First match wins: the specific phrases come before the broad
// ones ("relay access denied" is relaying, not policy).
constexpr phrase phrases[] = {
    {"user unknown", bounce_reason::user_unknown},
    {"unknown user", bounce_reason::user_unknown},
    {"no such user", bounce_reason::user_unknown},
    {"user not found", bounce_reason::user_unknown},
    {"recipient not found", bounce_reason::user_unknown},
    {"unknown recipient", bounce_reason::user_unknown},
    {"invalid recipient", bounce_reason::user_unknown},
    {"no such mailbox", bounce_reason::user_unknown},
    {"mailbox not found", bounce_reason::user_unknown},
    {"does not exist", bounce_reason::user_unknown},
    {"doesn't exist", bounce_reason::user_unknown},
    {"doesn't have a", bounce_reason::user_unknown}, // Yahoo: "doesn't have a yahoo.com account"
    {"not a valid mailbox", bounce_reason::user_unknown},
    {"address not found", bounce_reason::user_unknown},
    {"mailbox full", bounce_reason::mailbox_full},
    {"mailbox is full", bounce_reason::mailbox_full},
    {"over quota", bounce_reason::mailbox_full},
    {"quota exceeded", bounce_reason::mailbox_full},
    {"exceeded storage", bounce_reason::mailbox_full},
    {"mailbox size limit", bounce_reason::mailbox_full},
    {"insufficient storage", bounce_reason::mailbox_full},
    {"disabled", bounce_reason::mailbox_disabled},
    {"inactive", bounce_reason::mailbox_disabled},
    {"suspended", bounce_reason::mailbox_disabled},
    {"deactivated", bounce_reason::mailbox_disabled},
    {"relay", bounce_reason::relaying_denied},
    {"virus", bounce_reason::virus},
    {"malware", bounce_reason::virus},
    {"blacklist", bounce_reason::reputation},
    {"blocklist", bounce_reason::reputation},
    {"block list", bounce_reason::reputation},
    {"reputation", bounce_reason::reputation},
    {"listed at", bounce_reason::reputation},
    {"blocked using", bounce_reason::reputation}, // Postfix's DNSBL rejection
    {"spamhaus", bounce_reason::reputation},
    {" rbl", bounce_reason::reputation}, // not "garbled"
    {"spam", bounce_reason::spam},
    {"junk", bounce_reason::spam},
    {"rate limit", bounce_reason::rate_limited},
    {"too many connections", bounce_reason::rate_limited},
    {"too many messages", bounce_reason::rate_limited},
    {"throttl", bounce_reason::rate_limited},
    {"too large", bounce_reason::message_too_big},
    {"too big", bounce_reason::message_too_big},
    {"size exceeds", bounce_reason::message_too_big},
    {"size limit", bounce_reason::message_too_big},
    {"does not accept mail", bounce_reason::domain_no_mail}, // null MX (RFC 7505)
    {"null mx", bounce_reason::domain_no_mail},
    {"host not found", bounce_reason::host_unknown},
    {"domain not found", bounce_reason::host_unknown},
    {"unrouteable", bounce_reason::host_unknown},
    {"unroutable", bounce_reason::host_unknown},
    {"host unknown", bounce_reason::host_unknown},
    {"expired", bounce_reason::expired},
    {"retry timeout", bounce_reason::expired},
    {"too long", bounce_reason::expired},
    {"spf", bounce_reason::sender_authentication},
    {"dkim", bounce_reason::sender_authentication},
    {"dmarc", bounce_reason::sender_authentication},
    {"blocked", bounce_reason::policy},
    {"policy", bounce_reason::policy},
    {"denied", bounce_reason::policy},
    {"not allowed", bounce_reason::policy},
    {"rejected", bounce_reason::policy},
};

constexpr std::size_t phrase_count = sizeof(phrases) / sizeof(phrases[0]);

// The phrases grouped by first byte, so that one pass over a text tries at
// each position only the phrases that start with its byte.
struct phrase_index {
  std::uint8_t start[257]{}; // phrases starting with byte c: order[start[c]..start[c + 1])
  std::uint8_t order[phrase_count]{};
};
constexpr phrase_index make_phrase_index() noexcept {
  phrase_index x{};
  for (const phrase& p : phrases) ++x.start[static_cast<unsigned char>(p.text[0]) + 1];
  for (std::size_t c = 1; c <= 256; ++c) x.start[c] = static_cast<std::uint8_t>(x.start[c] + x.start[c - 1]);
  std::uint8_t next[256]{};
  for (std::size_t i = 0; i < phrase_count; ++i) {
    const unsigned char c = static_cast<unsigned char>(phrases[i].text[0]);
    x.order[x.start[c] + next[c]++] = static_cast<std::uint8_t>(i);
  }
  return x;
}
inline constexpr phrase_index phrase_by_first_byte = make_phrase_index();
static_assert(phrase_count < 255, "phrase indexes are bytes");

} // namespace detail

// The reason a diagnostic text gives in words (the table above), or
// `undefined`: the earliest phrase of the table that occurs anywhere in the
// text wins. Case-insensitive; one pass over the text.
[[nodiscard]] constexpr bounce_reason reason_from_text(std::string_view text) noexcept {
  const detail::phrase_index& x = detail::phrase_by_first_byte;
  std::size_t best = detail::phrase_count;
  for (std::size_t i = 0; i < text.size() && best != 0; ++i) {
    const unsigned char c = static_cast<unsigned char>(detail::lower(text[i]));
    for (std::size_t k = x.start[c]; k < x.start[c + 1]; ++k)
      if (x.order[k] < best && detail::matches_nocase(text, i, detail::phrases[x.order[k]].text))
        best = x.order[k];
  }
  return best < detail::phrase_count ? detail::phrases[best].reason : bounce_reason::undefined;
}

namespace detail {
// Words refine a broad policy code (X.7.0, X.7.1: "delivery not
// authorized") into a reason of its family, all of them soft.
constexpr bool refines_policy(bounce_reason r) noexcept {
  return r == bounce_reason::relaying_denied || r == bounce_reason::spam ||
         r == bounce_reason::virus || r == bounce_reason::reputation ||
         r == bounce_reason::rate_limited || r == bounce_reason::sender_authentication;
}
constexpr bool broad_policy(enhanced_code e) noexcept { return e.subject() == 7 && e.detail() <= 1; }

constexpr bounce_class or_from_text(bounce_class b, unsigned class_digit, bool broad,
                                    std::string_view text) noexcept {
  if (b.reason != bounce_reason::undefined && !(broad && b.reason == bounce_reason::policy))
    return b;
  const bounce_reason r = reason_from_text(text);
  if (b.reason == bounce_reason::policy && !refines_policy(r)) return b;
  return {kind_of(class_digit, r), r};
}
} // namespace detail

// As classify() above, and where the codes leave the reason `undefined`
// (5.0.0, 550 alone), the diagnostic text's phrase decides: "550 5.0.0 User
// unknown" is a hard user_unknown. A broad policy code (X.7.0, X.7.1) is
// refined by words of its family: "5.7.1 Relay access denied" is
// relaying_denied, "5.7.1 ... listed at zen.spamhaus.org" reputation.
[[nodiscard]] constexpr bounce_class classify(enhanced_code c, std::string_view text) noexcept {
  return detail::or_from_text(classify(c), c.class_digit(), detail::broad_policy(c), text);
}
[[nodiscard]] constexpr bounce_class classify(reply_code c, std::string_view text) noexcept {
  return detail::or_from_text(classify(c), c.first_digit(), false, text);
}
[[nodiscard]] constexpr bounce_class classify(reply_code c, enhanced_code e,
                                              std::string_view text) noexcept {
  return detail::or_from_text(classify(c, e), c.first_digit(), detail::broad_policy(e), text);
}

} // namespace smtp_status

#endif
