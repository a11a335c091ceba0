// Class 6 does not exist, not even for _esc_any.
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr auto c = "6.1.1"_esc_any;
  (void)c;
#else
  constexpr auto c = "5.1.1"_esc_any;
  (void)c;
#endif
}
