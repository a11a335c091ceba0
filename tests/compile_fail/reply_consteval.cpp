// requires: cxx20
// C++20: consteval rejects a bad reply literal anywhere.
#include <smtp_status/smtp_status.hpp>
using namespace smtp_status;
using namespace smtp_status::literals;
int main() {
#ifndef SMTP_STATUS_COMPILE_FAIL_CONTROL
  auto r = 650_reply;
  (void)r;
#else
  auto r = 550_reply;
  (void)r;
#endif
}
