// Compiling this file is the test: every line is a static_assert.
#include <smtp_status/smtp_status.hpp>

#include <functional>
#include <type_traits>

namespace ss = smtp_status;
using namespace ss::literals;

// value types
static_assert(std::is_trivially_copyable_v<ss::enhanced_code>);
static_assert(std::is_trivially_copyable_v<ss::reply_code>);
static_assert(std::is_nothrow_invocable_v<std::hash<ss::enhanced_code>, ss::enhanced_code>);
static_assert("5.1.1"_esc < "5.1.2"_esc && "4.9.9"_esc_any < "5.0.0"_esc);
static_assert(ss::code_chars("5.7.26"_esc).view() == "5.7.26");

// the names external checks rely on, in constant expressions
static_assert(ss::parse_enhanced_code("5.1.1")->code_class() ==
              ss::status_class::permanent_failure);
static_assert(ss::parse_enhanced_code("5.1.1")->subject() == 1);
static_assert(ss::parse_enhanced_code("5.1.1")->detail() == 1);
static_assert(!ss::parse_enhanced_code("5.01.1"));
static_assert(ss::parse_reply_code("550")->value() == 550);
static_assert(ss::lookup(*ss::parse_enhanced_code("5.1.1")));
static_assert(ss::lookup(*ss::parse_enhanced_code("5.1.1"))->sample_text ==
              "Bad destination mailbox address");
static_assert(!ss::lookup(*ss::parse_enhanced_code("5.1.99")));
static_assert(ss::is_registered(*ss::parse_enhanced_code("4.7.30")));
static_assert(ss::consistent(*ss::parse_reply_code("550"), *ss::parse_enhanced_code("5.1.1")));
static_assert(!ss::consistent(*ss::parse_reply_code("550"), *ss::parse_enhanced_code("4.1.1")));
static_assert(static_cast<int>(ss::status_class::success) == 2);
static_assert(static_cast<int>(ss::status_class::transient_failure) == 4);
static_assert(static_cast<int>(ss::status_class::permanent_failure) == 5);

// registry facts
static_assert(ss::registry().size() == 92);
static_assert(ss::registry_updated == "2024-12-06");
static_assert(ss::lookup("5.6.10"_esc)->deprecated);
static_assert(!ss::lookup("5.6.8"_esc)->deprecated);
static_assert(ss::lookup("5.7.30"_esc)->reference == "[RFC8689]");
static_assert(ss::lookup(454_reply).size() == 2);
static_assert(ss::lookup_fallback("5.7.708"_esc_any).level == ss::match_level::subject);

// parse errors and offsets
static_assert(ss::parse_enhanced_code_detailed("5.1000.1").offset == 5);
static_assert(ss::parse_enhanced_code_detailed("5.1.1 x").error ==
              ss::parse_error::trailing_characters);
static_assert(ss::parse_enhanced_code(" 5.01.1: ", ss::parse_mode::lenient) == "5.1.1"_esc);

// classification
static_assert(ss::classify(550_reply, "5.1.1"_esc).kind == ss::bounce_kind::hard);
static_assert(ss::classify("5.2.2"_esc).kind == ss::bounce_kind::soft);
static_assert(ss::check_pair(550_reply, "5.2.2"_esc) == ss::consistency::warning);

// The reply parser's word and block scans step aside in constant expressions.
#include <smtp_status/reply.hpp>
static_assert(ss::parse_reply("250-mx.example.org\r\n250 2.0.0 Ok, all is fine here\r\n")
                  .value.line_count == 2);
static_assert(ss::parse_reply("550 5.1.1 unknown \x01 user\r\n")
                  .value.has(ss::reply_warning::control_characters));

// The registry data's own checks: here, not in the headers, so that a user's
// every file does not pay for them.
static_assert(ss::detail::registry_sorted_and_unique(), "registry rows must be sorted and unique");
static_assert(ss::detail::registry_fields_consistent(), "registry row fields disagree with their kind");
static_assert(ss::detail::registry_subjects_complete(), "every subject needs a subject row and X.y.0");
static_assert(ss::detail::reply_table_consistent(), "reply rows must be valid, sorted and unique");
static_assert(ss::detail::every_registered_code_has_a_reason(), "map the new registry codes to a reason");
