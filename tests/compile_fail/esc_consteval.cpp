// requires: cxx20
// C++20: consteval rejects a bad literal even outside a constant expression.
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  auto c = "5.7.708"_esc;
  (void)c;
#else
  auto c = "5.7.26"_esc;
  (void)c;
#endif
}
