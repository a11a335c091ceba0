// smtp_status: lookup in the IANA enhanced status code registry and the
// table of basic reply codes. Everything is constexpr, allocation-free and
// O(1): the indexes below are built by the compiler from the data.
#ifndef SMTP_STATUS_REGISTRY_HPP
#define SMTP_STATUS_REGISTRY_HPP

#include "registry_data.hpp"

namespace smtp_status {

// A read-only range of table rows.
template <class T> class table_view {
public:
  constexpr table_view(const T* first, const T* last) noexcept : first_(first), last_(last) {}
  [[nodiscard]] constexpr const T* begin() const noexcept { return first_; }
  [[nodiscard]] constexpr const T* end() const noexcept { return last_; }
  [[nodiscard]] constexpr std::size_t size() const noexcept {
    return static_cast<std::size_t>(last_ - first_);
  }
  [[nodiscard]] constexpr bool empty() const noexcept { return first_ == last_; }
  constexpr explicit operator bool() const noexcept { return !empty(); }
  // Precondition: i < size().
  [[nodiscard]] constexpr const T& operator[](std::size_t i) const noexcept { return first_[i]; }
  // The first row. Precondition: !empty().
  [[nodiscard]] constexpr const T* operator->() const noexcept { return first_; }
  [[nodiscard]] constexpr const T& operator*() const noexcept { return *first_; }

private:
  const T* first_;
  const T* last_;
};

namespace detail {

constexpr std::size_t registry_size = sizeof registry_rows / sizeof registry_rows[0];
constexpr std::size_t reply_size = sizeof reply_rows / sizeof reply_rows[0];

constexpr std::size_t count_kind(registry_kind k) noexcept {
  std::size_t n = 0;
  for (const auto& e : registry_rows) n += e.kind == k;
  return n;
}
constexpr std::size_t class_rows = count_kind(registry_kind::class_code);
constexpr std::size_t subject_rows = count_kind(registry_kind::subject);
constexpr std::size_t detail_rows = count_kind(registry_kind::detail);
constexpr std::size_t first_subject_row = class_rows;
constexpr std::size_t first_detail_row = class_rows + subject_rows;

constexpr unsigned max_field(bool subject_field) noexcept {
  unsigned m = 0;
  for (const auto& e : registry_rows) {
    const unsigned v = subject_field ? e.subject : e.detail;
    if (v > m) m = v;
  }
  return m;
}
constexpr unsigned max_subject = max_field(true);
constexpr unsigned max_detail = max_field(false);

// Checks of the data, asserted in tests/static_checks.cpp rather than here:
// evaluated in every file that includes this header, they cost a fifth of
// the umbrella header's compile time.

// Strict order: kind, then class, subject, detail. Sorted and unique.
constexpr bool row_less(const registry_entry& a, const registry_entry& b) noexcept {
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.class_digit != b.class_digit) return a.class_digit < b.class_digit;
  if (a.subject != b.subject) return a.subject < b.subject;
  return a.detail < b.detail;
}

constexpr bool registry_sorted_and_unique() noexcept {
  for (std::size_t i = 1; i < registry_size; ++i)
    if (!row_less(registry_rows[i - 1], registry_rows[i])) return false;
  return true;
}

// Every row's fields fit its kind, and every associated basic code is a
// well-formed reply code whose first digit is a class (2, 4 or 5).
constexpr bool registry_fields_consistent() noexcept {
  for (std::size_t i = 0; i < registry_size; ++i) {
    const registry_entry& e = registry_rows[i];
    const bool is_class = e.kind == registry_kind::class_code;
    if (is_class != (e.class_digit != 0)) return false;
    if (is_class && !is_status_class_digit(e.class_digit)) return false;
    if (e.kind != registry_kind::detail && (e.detail != 0 || !e.associated.text.empty()))
      return false;
    if (e.associated.size > associated_codes::capacity) return false;
    for (std::uint16_t c : e.associated)
      if (!reply_code::valid(c) || !is_status_class_digit(c / 100u)) return false;
    if ((e.associated.wildcard_classes & ~(1u << 2 | 1u << 4 | 1u << 5)) != 0) return false;
  }
  return true;
}

// Each enumerated code's subject has a subject row and an X.y.0 row, which
// is what the fallback lookup relies on.
constexpr bool registry_subjects_complete() noexcept {
  for (std::size_t i = first_detail_row; i < registry_size; ++i) {
    const unsigned s = registry_rows[i].subject;
    bool has_subject = false, has_default = false;
    for (const auto& e : registry_rows) {
      has_subject |= e.kind == registry_kind::subject && e.subject == s;
      has_default |= e.kind == registry_kind::detail && e.subject == s && e.detail == 0;
    }
    if (!has_subject || !has_default) return false;
  }
  return true;
}

constexpr bool reply_table_consistent() noexcept {
  for (std::size_t i = 0; i < reply_size; ++i) {
    const reply_entry& r = reply_rows[i];
    if (!reply_code::valid(r.code) || r.meaning.empty() || r.reference.empty()) return false;
    if (i > 0 && reply_rows[i - 1].code > r.code) return false;
    for (std::size_t j = 0; j < i; ++j) // one row per (code, defining document)
      if (reply_rows[j].code == r.code && reply_rows[j].reference == r.reference) return false;
  }
  return true;
}

static_assert(class_rows == 3 && subject_rows == 8 && detail_rows == 81,
              "registry counts changed: review classify.hpp's reasons for new codes");
static_assert(longest_associated_list <= associated_codes::capacity, "raise capacity");

// The row of X.subject.detail, or nullptr; one more subject and detail, all
// nullptr, stand for every larger one, so that lookup clamps instead of
// branching (codes looked up in bulk are a mix of registered and not).
struct detail_index {
  const registry_entry* rows[max_subject + 2][max_detail + 2];
};
constexpr detail_index make_detail_index() noexcept {
  detail_index ix{};
  for (std::size_t i = first_detail_row; i < registry_size; ++i)
    ix.rows[registry_rows[i].subject][registry_rows[i].detail] = &registry_rows[i];
  return ix;
}
inline constexpr detail_index detail_lookup = make_detail_index();

// reply_begin[v - 200]: the first row whose code is >= v.
struct reply_index {
  std::uint8_t begin[reply_code::max_value - reply_code::min_value + 2];
};
constexpr reply_index make_reply_index() noexcept {
  reply_index ix{};
  std::size_t row = 0;
  for (unsigned v = reply_code::min_value; v <= reply_code::max_value + 1; ++v) {
    while (row < reply_size && reply_rows[row].code < v) ++row;
    ix.begin[v - reply_code::min_value] = static_cast<std::uint8_t>(row);
  }
  return ix;
}
inline constexpr reply_index reply_lookup = make_reply_index();
static_assert(reply_size < 0x100, "reply row indexes are stored in a byte");

} // namespace detail

// All 92 registry rows: classes, subjects, then enumerated codes.
[[nodiscard]] constexpr table_view<registry_entry> registry() noexcept {
  return {detail::registry_rows, detail::registry_rows + detail::registry_size};
}
// Every reply code row, sorted by code.
[[nodiscard]] constexpr table_view<reply_entry> reply_table() noexcept {
  return {detail::reply_rows, detail::reply_rows + detail::reply_size};
}

// The registry row of exactly this code (X.1.1 for 5.1.1), or nullptr.
[[nodiscard]] constexpr const registry_entry* lookup(enhanced_code c) noexcept {
  const unsigned s = c.subject() <= detail::max_subject ? c.subject() : detail::max_subject + 1;
  const unsigned d = c.detail() <= detail::max_detail ? c.detail() : detail::max_detail + 1;
  return detail::detail_lookup.rows[s][d];
}

[[nodiscard]] constexpr bool is_registered(enhanced_code c) noexcept {
  return lookup(c) != nullptr;
}

// The class row ("5.XXX.YYY").
[[nodiscard]] constexpr const registry_entry& lookup_class(status_class c) noexcept {
  return detail::registry_rows[c == status_class::success             ? 0
                               : c == status_class::transient_failure ? 1
                                                                      : 2];
}

// The subject row ("X.1.YYY"), or nullptr for an unregistered subject.
[[nodiscard]] constexpr const registry_entry* lookup_subject(unsigned subject) noexcept {
  return subject < detail::subject_rows
             ? &detail::registry_rows[detail::first_subject_row + subject]
             : nullptr;
}
static_assert(detail::registry_rows[detail::first_subject_row + detail::subject_rows - 1].subject ==
                  detail::subject_rows - 1,
              "lookup_subject assumes subjects 0..n-1");
static_assert(detail::registry_rows[0].class_digit == 2 &&
                  detail::registry_rows[1].class_digit == 4 &&
                  detail::registry_rows[2].class_digit == 5,
              "lookup_class assumes rows 2, 4, 5 first");

// How much of a code the registry knows.
enum class match_level : std::uint8_t {
  none,       // no enhanced code at all
  class_only, // only the class: X.0.0 stands in (unregistered subject)
  subject,    // the subject: X.y.0 stands in (unregistered detail)
  exact,      // the code itself is registered
};

// "none", "class", "subject", "exact" (the `match` field of explain --json).
[[nodiscard]] constexpr std::string_view to_string_view(match_level m) noexcept {
  switch (m) {
  case match_level::none: return "none";
  case match_level::class_only: return "class";
  case match_level::subject: return "subject";
  case match_level::exact: return "exact";
  }
  return "invalid";
}

struct registry_match {
  const registry_entry* entry; // X.y.z, else X.y.0, else X.0.0
  match_level level;
  const registry_entry* subject_entry; // X.y.YYY, or nullptr for an unregistered subject
  const registry_entry* class_entry;   // 5.XXX.YYY

  constexpr explicit operator bool() const noexcept { return entry != nullptr; }
  [[nodiscard]] constexpr const registry_entry* operator->() const noexcept { return entry; }
};

// The most specific registry row for any well-formed code: the code itself,
// else X.y.0 ("Other address status" for 5.1.99), else X.0.0; plus the
// subject and class rows. Microsoft's 5.7.708 matches X.7.0 at subject level.
[[nodiscard]] constexpr registry_match lookup_fallback(enhanced_code c) noexcept {
  const registry_entry* subject_row = lookup_subject(c.subject());
  const registry_entry* cls = &lookup_class(c.code_class());
  if (const registry_entry* e = lookup(c)) return {e, match_level::exact, subject_row, cls};
  if (subject_row != nullptr) // every registered subject has X.y.0 (asserted above)
    if (const registry_entry* e = lookup(enhanced_code(c.code_class(), c.subject(), 0)))
      return {e, match_level::subject, subject_row, cls};
  return {&detail::registry_rows[detail::first_detail_row], match_level::class_only, nullptr, cls};
}
static_assert(detail::registry_rows[detail::first_detail_row].subject == 0 &&
                  detail::registry_rows[detail::first_detail_row].detail == 0,
              "the first enumerated row is X.0.0");

// Every row of this reply code (454 has one for STARTTLS and one for AUTH);
// empty for a code no document defines.
[[nodiscard]] constexpr table_view<reply_entry> lookup(reply_code r) noexcept {
  const std::size_t i = r.value() - reply_code::min_value;
  return {detail::reply_rows + detail::reply_lookup.begin[i],
          detail::reply_rows + detail::reply_lookup.begin[i + 1]};
}

[[nodiscard]] constexpr bool is_registered(reply_code r) noexcept { return !lookup(r).empty(); }

} // namespace smtp_status

#endif
