// smtp_status: to_string for the value types (opt-in: pulls in <string>,
// which would double what the umbrella header costs to compile).
#ifndef SMTP_STATUS_STRING_HPP
#define SMTP_STATUS_STRING_HPP

#include <string>

#include "code.hpp"

namespace smtp_status {

// The text form; at most 9 characters, so within every library's
// small-string buffer (no allocation in practice).
[[nodiscard]] inline std::string to_string(enhanced_code c) {
  return std::string(code_chars(c).view());
}
[[nodiscard]] inline std::string to_string(reply_code c) {
  return std::string(code_chars(c).view());
}

} // namespace smtp_status

#endif
