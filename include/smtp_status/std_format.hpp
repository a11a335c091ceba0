// smtp_status: std::formatter for the value types (opt-in; only where the
// standard library has <format>). Format specs are those of strings:
// std::format("{:>7}", code). SMTP_STATUS_HAS_STD_FORMAT says whether it is on.
#ifndef SMTP_STATUS_STD_FORMAT_HPP
#define SMTP_STATUS_STD_FORMAT_HPP

#include "code.hpp"

#if defined(__has_include)
#if __has_include(<format>) && __cplusplus >= 202002L
#include <format>
#endif
#endif

#if defined(__cpp_lib_format) && __cpp_lib_format >= 201907L
#define SMTP_STATUS_HAS_STD_FORMAT 1

template <> struct std::formatter<smtp_status::enhanced_code> : std::formatter<std::string_view> {
  template <class FormatContext>
  auto format(smtp_status::enhanced_code c, FormatContext& ctx) const {
    return std::formatter<std::string_view>::format(smtp_status::code_chars(c).view(), ctx);
  }
};

template <> struct std::formatter<smtp_status::reply_code> : std::formatter<std::string_view> {
  template <class FormatContext> auto format(smtp_status::reply_code c, FormatContext& ctx) const {
    return std::formatter<std::string_view>::format(smtp_status::code_chars(c).view(), ctx);
  }
};

#else
#define SMTP_STATUS_HAS_STD_FORMAT 0
#endif

#endif
