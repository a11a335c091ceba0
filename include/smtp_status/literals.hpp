// smtp_status: literals checked at compile time.
//
//   "5.1.1"_esc      a registered enhanced code (strict RFC 3463 syntax)
//   "5.7.708"_esc_any any well-formed enhanced code, registered or not
//   550_reply        a reply code of RFC 5321 §4.2 syntax (2-5, 0-5, 0-9)
//
// In C++20 these are consteval: a bad literal does not compile. In C++17
// they are constexpr: a bad literal does not compile in a constant
// expression (constexpr variable, static_assert, template argument), and
// aborts if it is only reached at run time.
#ifndef SMTP_STATUS_LITERALS_HPP
#define SMTP_STATUS_LITERALS_HPP

#include <cstdlib>

#include "parse.hpp"
#include "registry.hpp"


namespace smtp_status {
namespace detail {
// Not constexpr: reaching one at compile time is the compile error, and the
// function's name is the message.
[[noreturn]] inline void enhanced_code_literal_is_malformed() noexcept { std::abort(); }
[[noreturn]] inline void enhanced_code_literal_is_not_registered() noexcept { std::abort(); }
[[noreturn]] inline void reply_code_literal_is_malformed() noexcept { std::abort(); }

constexpr enhanced_code literal_code(std::string_view s) noexcept {
  const parse_result<enhanced_code> r = parse_enhanced_code_detailed(s);
  if (!r) enhanced_code_literal_is_malformed();
  return r.value;
}
} // namespace detail

namespace literals {

[[nodiscard]] SMTP_STATUS_CONSTEVAL enhanced_code operator""_esc(const char* s,
                                                                 std::size_t n) noexcept {
  const enhanced_code c = detail::literal_code({s, n});
  if (!is_registered(c)) detail::enhanced_code_literal_is_not_registered();
  return c;
}

[[nodiscard]] SMTP_STATUS_CONSTEVAL enhanced_code operator""_esc_any(const char* s,
                                                                     std::size_t n) noexcept {
  return detail::literal_code({s, n});
}

[[nodiscard]] SMTP_STATUS_CONSTEVAL reply_code operator""_reply(unsigned long long v) noexcept {
  const unsigned value = v <= 999 ? static_cast<unsigned>(v) : 0u;
  if (!reply_code::valid(value) || value / 10 % 10 > 5) detail::reply_code_literal_is_malformed();
  return reply_code(value);
}

} // namespace literals
} // namespace smtp_status

#endif
