// C++17 and C++20: a checked_status whose classes disagree does not compile in
// a constant expression.
#include <smtp_status/build.hpp>
#include <smtp_status/literals.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr reply_status s = checked_status(550_reply, "4.1.1"_esc);
  (void)s;
#else
  constexpr reply_status s = checked_status(550_reply, "5.1.1"_esc);
  (void)s;
#endif
}
