// smtp_status: fmt::formatter for the value types (opt-in; fmt 9 or newer).
// Format specs are those of strings: fmt::format("{:>7}", code).
#ifndef SMTP_STATUS_FMT_HPP
#define SMTP_STATUS_FMT_HPP

#include <fmt/format.h>

#include "code.hpp"

template <> struct fmt::formatter<smtp_status::enhanced_code> : fmt::formatter<fmt::string_view> {
  template <class FormatContext>
  auto format(smtp_status::enhanced_code c, FormatContext& ctx) const -> decltype(ctx.out()) {
    const smtp_status::code_chars s(c);
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(s.data(), s.size()), ctx);
  }
};

template <> struct fmt::formatter<smtp_status::reply_code> : fmt::formatter<fmt::string_view> {
  template <class FormatContext>
  auto format(smtp_status::reply_code c, FormatContext& ctx) const -> decltype(ctx.out()) {
    const smtp_status::code_chars s(c);
    return fmt::formatter<fmt::string_view>::format(fmt::string_view(s.data(), s.size()), ctx);
  }
};

#endif
