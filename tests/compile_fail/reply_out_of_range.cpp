// A reply code above 599 breaks the constructor precondition.
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr reply_code r(600);
  (void)r;
#else
  constexpr reply_code r(599);
  (void)r;
#endif
}
