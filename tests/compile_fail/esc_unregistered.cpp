// An unregistered code is not an _esc literal (use _esc_any).
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr auto c = "5.7.708"_esc;
  (void)c;
#else
  constexpr auto c = "5.7.26"_esc;
  (void)c;
#endif
}
