#include <iostream>
#include <smtp_status/smtp_status.hpp>

int main() {
  using namespace smtp_status;
  auto code = parse_enhanced_code("5.1.1"); // std::optional<enhanced_code>
  if (!code) return 1;
  std::cout << lookup(*code)->sample_text << '\n';        // Bad destination mailbox address
  auto [kind, reason] = classify(reply_code(550), *code); // hard, user_unknown
  std::cout << to_string_view(kind) << ' ' << to_string_view(reason) << '\n';
}
