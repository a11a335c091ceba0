// A leading zero is malformed (RFC 3463 §2).
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr auto c = "5.01.1"_esc;
  (void)c;
#else
  constexpr auto c = "5.1.1"_esc;
  (void)c;
#endif
}
