// A reply whose class disagrees with its enhanced code fails a static_assert.
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  static_assert(consistent(550_reply, "4.1.1"_esc));
#else
  static_assert(consistent(550_reply, "5.1.1"_esc));
#endif
}
