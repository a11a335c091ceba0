// A sub-code above 999 breaks the constructor precondition.
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  constexpr enhanced_code e(status_class::permanent_failure, 1000, 1);
  (void)e;
#else
  constexpr enhanced_code e(status_class::permanent_failure, 999, 1);
  (void)e;
#endif
}
