// A second digit above 5 is not RFC 5321 syntax.
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr auto r = 560_reply;
  (void)r;
#else
  constexpr auto r = 550_reply;
  (void)r;
#endif
}
