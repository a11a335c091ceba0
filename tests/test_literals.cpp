#include <smtp_status/smtp_status.hpp>

#include "catch.hpp"

using namespace smtp_status;
using namespace smtp_status::literals;

TEST_CASE("literals are checked codes", "[literals]") {
  CHECK_BOTH("5.1.1"_esc == enhanced_code(status_class::permanent_failure, 1, 1));
  CHECK_BOTH("2.0.0"_esc == enhanced_code{});
  CHECK_BOTH("4.7.30"_esc.detail() == 30);
  CHECK_BOTH("5.7.708"_esc_any.detail() == 708);
  CHECK_BOTH("4.99.999"_esc_any.subject() == 99);
  CHECK_BOTH((550_reply).value() == 550);
  CHECK_BOTH((221_reply).first_digit() == 2);
  CHECK_BOTH(SMTP_STATUS_HAS_CONSTEVAL == (__cplusplus >= 202002L ? 1 : 0));
}

TEST_CASE("pair checks in constant expressions", "[literals]") {
  static_assert(consistent(550_reply, "5.1.1"_esc));
  static_assert(!consistent(550_reply, "4.1.1"_esc));
  static_assert(check_pair(554_reply, "5.1.1"_esc) == consistency::warning);
  static_assert(classify(550_reply, "5.1.1"_esc).kind == bounce_kind::hard);
  static_assert(lookup("5.7.26"_esc)->sample_text == "Multiple authentication checks failed");
  CHECK_BOTH(is_registered("5.7.1"_esc));
}

TEST_CASE("every registered code is accepted by _esc", "[literals]") {
  // _esc is parse + is_registered; show the two agree over the registry at run time.
  for (const registry_entry& e : registry()) {
    if (e.kind != registry_kind::detail) continue;
    const enhanced_code c = *make_enhanced_code(5, e.subject, e.detail);
    CHECK(is_registered(*parse_enhanced_code(code_chars(c).view())));
  }
}
