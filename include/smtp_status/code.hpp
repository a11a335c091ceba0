// smtp_status: value types for SMTP status codes.
//
// enhanced_code: an RFC 3463 enhanced status code class.subject.detail
// (class 2, 4 or 5; subject and detail 0-999), registered or not.
// reply_code: a basic RFC 5321 reply code, 200-599.
// Both are constexpr, trivially copyable, ordered and hashable.
#ifndef SMTP_STATUS_CODE_HPP
#define SMTP_STATUS_CODE_HPP

#include <cstddef>
#include <cstdint>
#include <string_view>

// clang 14 supports consteval in C++20 mode without defining __cpp_consteval.
#if __cplusplus >= 202002L &&                                                                      \
    (defined(__cpp_consteval) || (defined(__clang__) && __clang_major__ >= 14) ||                  \
     (!defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 11))
#define SMTP_STATUS_CONSTEVAL consteval
#define SMTP_STATUS_HAS_CONSTEVAL 1
#else
#define SMTP_STATUS_CONSTEVAL constexpr
#define SMTP_STATUS_HAS_CONSTEVAL 0
#endif

namespace smtp_status {

// The class sub-code (RFC 3463 §3.1); the values are the digits.
enum class status_class : std::uint8_t {
  success = 2,
  transient_failure = 4,
  permanent_failure = 5,
};

[[nodiscard]] constexpr std::string_view to_string_view(status_class c) noexcept {
  switch (c) {
  case status_class::success: return "success";
  case status_class::transient_failure: return "transient_failure";
  case status_class::permanent_failure: return "permanent_failure";
  }
  return "invalid";
}

[[nodiscard]] constexpr bool is_status_class_digit(unsigned digit) noexcept {
  return digit < 8 && ((0x34u >> digit) & 1) != 0; // bits 2, 4, 5: one test, not three branches
}

namespace detail {
// Called only on a broken precondition: not constexpr, so a constant
// expression that reaches it does not compile.
inline void precondition_failed() noexcept {}
} // namespace detail

class enhanced_code {
public:
  static constexpr unsigned max_sub_code = 999;

  // 2.0.0; a value-initialised code is always a well-formed one.
  constexpr enhanced_code() noexcept = default;

  // Precondition: subject and detail <= 999 and c is one of the three
  // classes. In a constant expression a violation does not compile; at run
  // time the value is clamped (999, permanent_failure). Use make() to check.
  constexpr enhanced_code(status_class c, unsigned subject, unsigned detail) noexcept
      : class_(static_cast<std::uint8_t>(c)), subject_(clamp(subject)), detail_(clamp(detail)) {
    if (!is_status_class_digit(class_)) {
      detail::precondition_failed();
      class_ = static_cast<std::uint8_t>(status_class::permanent_failure);
    }
  }

  // Whether enhanced_code(cls, subject, detail) meets its precondition;
  // make_enhanced_code() in parse.hpp returns an optional.
  [[nodiscard]] static constexpr bool valid(unsigned cls, unsigned subject,
                                            unsigned detail) noexcept {
    return is_status_class_digit(cls) && subject <= max_sub_code && detail <= max_sub_code;
  }

  [[nodiscard]] constexpr status_class code_class() const noexcept {
    return static_cast<status_class>(class_);
  }
  [[nodiscard]] constexpr unsigned class_digit() const noexcept { return class_; }
  [[nodiscard]] constexpr unsigned subject() const noexcept { return subject_; }
  [[nodiscard]] constexpr unsigned detail() const noexcept { return detail_; }

  // Order-preserving 23-bit key (class, subject, detail); also the hash.
  [[nodiscard]] constexpr std::uint32_t key() const noexcept {
    return static_cast<std::uint32_t>(class_) << 20 | static_cast<std::uint32_t>(subject_) << 10 |
           detail_;
  }

  friend constexpr bool operator==(enhanced_code a, enhanced_code b) noexcept {
    return a.key() == b.key();
  }
  friend constexpr bool operator!=(enhanced_code a, enhanced_code b) noexcept {
    return a.key() != b.key();
  }
  friend constexpr bool operator<(enhanced_code a, enhanced_code b) noexcept {
    return a.key() < b.key();
  }
  friend constexpr bool operator>(enhanced_code a, enhanced_code b) noexcept {
    return a.key() > b.key();
  }
  friend constexpr bool operator<=(enhanced_code a, enhanced_code b) noexcept {
    return a.key() <= b.key();
  }
  friend constexpr bool operator>=(enhanced_code a, enhanced_code b) noexcept {
    return a.key() >= b.key();
  }

private:
  static constexpr std::uint16_t clamp(unsigned v) noexcept {
    if (v > max_sub_code) {
      detail::precondition_failed();
      return static_cast<std::uint16_t>(max_sub_code);
    }
    return static_cast<std::uint16_t>(v);
  }

  std::uint8_t class_ = static_cast<std::uint8_t>(status_class::success);
  std::uint16_t subject_ = 0;
  std::uint16_t detail_ = 0;
};

class reply_code {
public:
  static constexpr unsigned min_value = 200;
  static constexpr unsigned max_value = 599;

  // 250: a value-initialised reply code is a well-formed one.
  constexpr reply_code() noexcept = default;

  // Precondition: 200 <= value <= 599. In a constant expression a violation
  // does not compile; at run time the value is clamped into range.
  constexpr explicit reply_code(unsigned value) noexcept : value_(clamp(value)) {}

  [[nodiscard]] static constexpr bool valid(unsigned value) noexcept {
    return value >= min_value && value <= max_value;
  }

  [[nodiscard]] constexpr unsigned value() const noexcept { return value_; }
  // First digit: 2 positive completion .. 5 permanent negative (RFC 5321 §4.2.1).
  [[nodiscard]] constexpr unsigned first_digit() const noexcept { return value_ / 100u; }
  // Second digit: 0 syntax, 1 information, 2 connections, 5 mail system.
  [[nodiscard]] constexpr unsigned second_digit() const noexcept { return value_ / 10u % 10u; }
  [[nodiscard]] constexpr unsigned third_digit() const noexcept { return value_ % 10u; }

  friend constexpr bool operator==(reply_code a, reply_code b) noexcept {
    return a.value_ == b.value_;
  }
  friend constexpr bool operator!=(reply_code a, reply_code b) noexcept {
    return a.value_ != b.value_;
  }
  friend constexpr bool operator<(reply_code a, reply_code b) noexcept {
    return a.value_ < b.value_;
  }
  friend constexpr bool operator>(reply_code a, reply_code b) noexcept {
    return a.value_ > b.value_;
  }
  friend constexpr bool operator<=(reply_code a, reply_code b) noexcept {
    return a.value_ <= b.value_;
  }
  friend constexpr bool operator>=(reply_code a, reply_code b) noexcept {
    return a.value_ >= b.value_;
  }

private:
  static constexpr std::uint16_t clamp(unsigned v) noexcept {
    if (!valid(v)) {
      detail::precondition_failed();
      return static_cast<std::uint16_t>(v < min_value ? min_value : max_value);
    }
    return static_cast<std::uint16_t>(v);
  }

  std::uint16_t value_ = 250;
};

// Longest text form: "5.999.999".
inline constexpr std::size_t max_enhanced_code_chars = 9;
inline constexpr std::size_t reply_code_chars = 3;

struct to_chars_result {
  char* ptr; // one past the last character written; `last` on failure
  bool ok;   // false: the buffer was too small and nothing was written
  constexpr explicit operator bool() const noexcept { return ok; }
};

namespace detail {
constexpr char* put_number(char* p, unsigned v) noexcept {
  if (v >= 100) *p++ = static_cast<char>('0' + v / 100);
  if (v >= 10) *p++ = static_cast<char>('0' + v / 10 % 10);
  *p++ = static_cast<char>('0' + v % 10);
  return p;
}
constexpr std::size_t number_chars(unsigned v) noexcept { return v >= 100 ? 3 : v >= 10 ? 2 : 1; }
} // namespace detail

[[nodiscard]] constexpr std::size_t chars_needed(enhanced_code c) noexcept {
  return 3 + detail::number_chars(c.subject()) + detail::number_chars(c.detail());
}

// Writes "5.1.1" into [first, last); no terminating NUL.
[[nodiscard]] constexpr to_chars_result to_chars(char* first, char* last,
                                                 enhanced_code c) noexcept {
  if (last - first < static_cast<std::ptrdiff_t>(chars_needed(c))) return {last, false};
  char* p = first;
  *p++ = static_cast<char>('0' + c.class_digit());
  *p++ = '.';
  p = detail::put_number(p, c.subject());
  *p++ = '.';
  return {detail::put_number(p, c.detail()), true};
}

// Writes "550" into [first, last); no terminating NUL.
[[nodiscard]] constexpr to_chars_result to_chars(char* first, char* last, reply_code c) noexcept {
  if (last - first < static_cast<std::ptrdiff_t>(reply_code_chars)) return {last, false};
  return {detail::put_number(first, c.value()), true};
}

// A code's text without allocation: `code_chars(c).view()`.
class code_chars {
public:
  constexpr explicit code_chars(enhanced_code c) noexcept
      : size_(static_cast<std::uint8_t>(to_chars(buf_, buf_ + sizeof buf_, c).ptr - buf_)) {}
  constexpr explicit code_chars(reply_code c) noexcept
      : size_(static_cast<std::uint8_t>(to_chars(buf_, buf_ + sizeof buf_, c).ptr - buf_)) {}
  [[nodiscard]] constexpr std::string_view view() const noexcept { return {buf_, size_}; }
  [[nodiscard]] constexpr const char* data() const noexcept { return buf_; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }

private:
  char buf_[max_enhanced_code_chars + 1]{};
  std::uint8_t size_;
};


// Rows of the registry tables (data in registry_data.hpp, lookup in registry.hpp).

// The IANA sub-registry a row belongs to.
enum class registry_kind : std::uint8_t {
  class_code, // "5.XXX.YYY"  (Class Sub-Codes)
  subject,    // "X.1.YYY"    (Subject Sub-Codes)
  detail,     // "X.1.1"      (Enumerated Status Codes)
};

[[nodiscard]] constexpr std::string_view to_string_view(registry_kind k) noexcept {
  switch (k) {
  case registry_kind::class_code: return "class";
  case registry_kind::subject: return "subject";
  case registry_kind::detail: return "detail";
  }
  return "invalid";
}

// The "Associated basic status code" column, as written and parsed.
struct associated_codes {
  static constexpr std::size_t capacity = 14;
  std::uint16_t codes[capacity]; // the three-digit codes, in the registry's order
  std::uint8_t size;
  bool any;                      // "Any"
  std::uint8_t wildcard_classes; // bit n set: every nXX code ("5XX", "other 4XX or 5XX ...")
  std::string_view text;         // as the registry writes it ("451, 550", "Not given", ...)

  [[nodiscard]] constexpr const std::uint16_t* begin() const noexcept { return codes; }
  [[nodiscard]] constexpr const std::uint16_t* end() const noexcept { return codes + size; }
  // No codes and no wildcard: "Not given", "." or empty.
  [[nodiscard]] constexpr bool unspecified() const noexcept {
    return size == 0 && !any && wildcard_classes == 0;
  }
  [[nodiscard]] constexpr bool contains(reply_code r) const noexcept {
    if (any || (wildcard_classes >> r.first_digit() & 1u) != 0) return true;
    for (std::uint16_t c : *this)
      if (c == r.value()) return true;
    return false;
  }
};

// One row of the IANA registry, with every column.
struct registry_entry {
  registry_kind kind;
  std::uint8_t class_digit;     // class rows: 2, 4 or 5; other rows: 0 (any class, "X")
  std::uint16_t subject;        // subject and enumerated rows
  std::uint16_t detail;         // enumerated rows
  std::string_view code;        // as the registry writes it: "5.XXX.YYY", "X.1.YYY", "X.1.1"
  std::string_view sample_text; // Sample Text; the Summary for class and subject rows
  associated_codes associated;  // empty for class and subject rows
  std::string_view description;
  std::string_view reference;
  std::string_view submitter;
  std::string_view change_controller;
  bool deprecated; // X.6.10, a duplicate of X.6.8
};

// One basic reply code as one document defines it.
struct reply_entry {
  std::uint16_t code;
  std::string_view text;      // the RFC's wording; empty where it gives none
  std::string_view meaning;   // when it is used
  std::string_view reference; // RFC and section
};

} // namespace smtp_status

template <> struct std::hash<smtp_status::enhanced_code> {
  std::size_t operator()(smtp_status::enhanced_code c) const noexcept { return c.key(); }
};
template <> struct std::hash<smtp_status::reply_code> {
  std::size_t operator()(smtp_status::reply_code c) const noexcept { return c.value(); }
};

#endif
