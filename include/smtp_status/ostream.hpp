// smtp_status: operator<< for the value types (opt-in: pulls in <ostream>).
#ifndef SMTP_STATUS_OSTREAM_HPP
#define SMTP_STATUS_OSTREAM_HPP

#include <ostream>

#include "code.hpp"

namespace smtp_status {

inline std::ostream& operator<<(std::ostream& os, enhanced_code c) {
  return os << code_chars(c).view();
}
inline std::ostream& operator<<(std::ostream& os, reply_code c) {
  return os << code_chars(c).view();
}

} // namespace smtp_status

#endif
