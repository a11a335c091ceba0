// A 3xx reply takes no enhanced code (RFC 2034 §4): no class matches its first digit.
#include <smtp_status/build.hpp>
#include <smtp_status/literals.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr reply_status s = checked_status(354_reply, "2.0.0"_esc);
  (void)s;
#else
  constexpr reply_status s = make_status(354_reply);
  (void)s;
#endif
}
