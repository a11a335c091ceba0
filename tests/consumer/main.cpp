// A user of smtp_status: built against the installed package (find_package,
// pkg-config), through add_subdirectory and through FetchContent.
#include <smtp_status/smtp_status.hpp>

int main() {
  const auto code = smtp_status::parse_enhanced_code("5.1.1");
  if (!code.has_value()) return 1;
  if (!smtp_status::lookup(*code)) return 2;
  return 0;
}
