// requires: cxx20
// C++20: checked_status is consteval, so a reply whose class disagrees with its
// enhanced code does not compile even outside a constant expression.
#include <smtp_status/build.hpp>
#include <smtp_status/literals.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  reply_status s = checked_status(550_reply, "4.1.1"_esc);
  (void)s;
#else
  reply_status s = checked_status(550_reply, "5.1.1"_esc);
  (void)s;
#endif
}
