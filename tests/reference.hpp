// Slow, obviously-correct reference parsers: the RFC grammar written as
// string splitting, with no shared code with the library. The unit tests and
// the fuzzers compare the real parsers with these.
#ifndef SMTP_STATUS_TESTS_REFERENCE_HPP
#define SMTP_STATUS_TESTS_REFERENCE_HPP

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reference {

struct code {
  unsigned cls, subject, detail;
};

inline bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

inline std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == '.') {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return parts;
}

inline unsigned value(std::string_view digits) {
  unsigned v = 0;
  for (char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
  return v;
}

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// RFC 3463 §2: class "." 1*3digit "." 1*3digit, class 2/4/5, no leading zeros.
// Lenient: leading zeros allowed (value still at most 999).
inline std::optional<code> enhanced(std::string_view s, bool lenient) {
  const auto parts = split_dots(s);
  if (parts.size() != 3) return std::nullopt;
  if (parts[0] != "2" && parts[0] != "4" && parts[0] != "5") return std::nullopt;
  for (std::size_t i = 1; i < 3; ++i) {
    std::string_view p = parts[i];
    if (!all_digits(p)) return std::nullopt;
    if (lenient)
      while (p.size() > 1 && p[0] == '0') p.remove_prefix(1);
    else if (p.size() > 1 && p[0] == '0')
      return std::nullopt;
    if (p.size() > 3) return std::nullopt;
  }
  std::string_view sub = parts[1], det = parts[2];
  return code{value(parts[0]), value(sub.substr(sub.size() > 3 ? sub.size() - 3 : 0)),
              value(det.substr(det.size() > 3 ? det.size() - 3 : 0))};
}

// Lenient whole string: white space, the code, one optional ".", ":" or ",",
// white space.
inline std::optional<code> enhanced_lenient(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  if (auto c = enhanced(s, true)) return c;
  if (!s.empty() && (s.back() == '.' || s.back() == ':' || s.back() == ','))
    return enhanced(s.substr(0, s.size() - 1), true);
  return std::nullopt;
}

// RFC 5321 §4.2: %x32-35 %x30-35 %x30-39; lenient: any second digit and
// surrounding white space.
inline std::optional<unsigned> reply(std::string_view s, bool lenient) {
  if (lenient) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  }
  if (s.size() != 3 || !all_digits(s)) return std::nullopt;
  if (s[0] < '2' || s[0] > '5') return std::nullopt;
  if (!lenient && s[1] > '5') return std::nullopt;
  return value(s);
}

} // namespace reference

#endif
