// Time per code string: parse_enhanced_code, parse_reply_code and lookup
// against what a user would write instead (a hand-written parser,
// std::from_chars, strtoul, sscanf, std::regex; std::unordered_map and
// std::map keyed by the code). Every contender first runs over the whole
// input and must give our result for every string (the code's key, or the
// registry row); otherwise it is skipped with an error, not timed.
//
// The strings are std::string (NUL-terminated, as sscanf and strtoul need),
// made once; only the parse and lookup are timed. Counters:
// items_per_second (strings per second; table.py shows ns per string).
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <smtp_status/parse.hpp>
#include <smtp_status/registry.hpp>

namespace {

using smtp_status::enhanced_code;
using smtp_status::registry_entry;

constexpr std::size_t code_strings = 1000000;
constexpr std::size_t regex_strings = 50000; // the first ones, for std::regex
constexpr std::uint32_t code_seed = 20240604;
constexpr unsigned valid_percent = 80;

// Deterministic everywhere: std::mt19937's sequence is fixed by the standard,
// reduced without the library's distributions.
class dice {
public:
  explicit dice(std::uint32_t seed) : rng_(seed) {}
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_()) % n; }
  template <class T, std::size_t N> const T& pick(const T (&a)[N]) {
    return a[below(static_cast<std::uint32_t>(N))];
  }
  template <class T> void shuffle(std::vector<T>& v) { // Fisher-Yates
    for (std::size_t i = v.size(); i > 1; --i)
      std::swap(v[i - 1], v[below(static_cast<std::uint32_t>(i))]);
  }

private:
  std::mt19937 rng_;
};

constexpr smtp_status::status_class classes[] = {smtp_status::status_class::success,
                                                 smtp_status::status_class::transient_failure,
                                                 smtp_status::status_class::permanent_failure};

std::string text(enhanced_code c) { return std::string(smtp_status::code_chars(c).view()); }

// A sub-code of 1, 2 or 3 digits, half of them of one.
unsigned sub_code(dice& r) {
  const std::uint32_t k = r.below(10);
  return r.below(k < 5 ? 10 : k < 8 ? 100 : 1000);
}

// What is wrong in the invalid fifth: fixed strings and broken valid codes.
std::string invalid_code(dice& r, const std::string& valid) {
  static const char* const fixed[] = {"",      "abc",   "5..1",     "5.1",      "5.1.",
                                      ".1.1",  "5",     "550",      "5.1.1.1",  "5,1,1",
                                      "5-1-1", "X.1.1", "5.1.1234", "5.1000.1", "5.a.1"};
  std::string s = valid;
  switch (r.below(8)) {
  case 0: return r.pick(fixed);
  case 1: s[0] = "0136789x"[r.below(8)]; return s; // class
  case 2: return s.insert(2, "0");                 // "5.01.1"
  case 3: return s.insert(s.rfind('.') + 1, "0");  // "5.1.01"
  case 4: return s.substr(0, s.rfind('.') + 1) + std::to_string(1000 + r.below(9000));
  case 5: return s.insert(s.size() - r.below(2), 1, " x.:;"[r.below(5)]); // junk at the end
  case 6: return " " + s;
  default: return s.substr(0, s.rfind('.')); // "5.1"
  }
}

// Adds s to the data, after checking that it parses exactly when the
// generator meant it to (a generator bug would skew every figure).
void keep(std::vector<std::string>& out, std::string s, bool parses, bool meant) {
  if (parses != meant) {
    std::fprintf(stderr, "\"%s\" is not what the generator meant\n", s.c_str());
    std::abort();
  }
  out.push_back(std::move(s));
}

std::vector<std::string> make_codes() {
  dice r(code_seed);
  std::vector<const registry_entry*> registered;
  for (const registry_entry& e : smtp_status::registry())
    if (e.kind == smtp_status::registry_kind::detail) registered.push_back(&e);
  std::vector<std::string> out;
  out.reserve(code_strings);
  for (std::size_t i = 0; i < code_strings; ++i) {
    const std::uint32_t k = r.below(100);
    const smtp_status::status_class cls = r.pick(classes);
    enhanced_code c;
    if (k < 50 || k >= valid_percent) { // registered; broken below for the invalid ones
      const registry_entry& e = *registered[r.below(static_cast<std::uint32_t>(registered.size()))];
      c = enhanced_code(cls, e.subject, e.detail);
    } else {
      do {
        const unsigned subject = sub_code(r);
        c = enhanced_code(cls, subject, sub_code(r));
      } while (smtp_status::is_registered(c));
    }
    std::string s = text(c);
    if (k >= valid_percent) s = invalid_code(r, s);
    const bool parses = smtp_status::parse_enhanced_code(s).has_value();
    keep(out, std::move(s), parses, k < valid_percent);
  }
  r.shuffle(out);
  return out;
}

std::vector<std::string> make_replies() {
  dice r(code_seed + 1);
  static const char* const invalid[] = {"600",  "199",  "5500", "55",  "",    "abc",  "560", "55a",
                                        " 550", "550 ", "+550", "-50", "5 0", "0550", "099", "5.5"};
  std::vector<std::string> out;
  out.reserve(code_strings);
  for (std::size_t i = 0; i < code_strings; ++i) {
    const std::uint32_t k = r.below(100);
    const auto table = smtp_status::reply_table();
    std::string s;
    if (k < 50) {
      s = std::to_string(table[r.below(static_cast<std::uint32_t>(table.size()))].code);
    } else if (k < valid_percent) {
      const std::uint32_t first = 2 + r.below(4), second = r.below(6);
      s = std::to_string(first * 100 + second * 10 + r.below(10));
    } else {
      s = r.pick(invalid);
    }
    const bool parses = smtp_status::parse_reply_code(s).has_value();
    keep(out, std::move(s), parses, k < valid_percent);
  }
  r.shuffle(out);
  return out;
}

const std::vector<std::string>& the_codes() {
  static const std::vector<std::string> v = make_codes();
  return v;
}
const std::vector<std::string>& the_replies() {
  static const std::vector<std::string> v = make_replies();
  return v;
}

// The valid codes of the_codes(), parsed, and their strings.
struct parsed_codes {
  std::vector<enhanced_code> codes;
  std::vector<std::string> strings;
};
const parsed_codes& the_parsed() {
  static const parsed_codes p = [] {
    parsed_codes k;
    for (const std::string& s : the_codes())
      if (const auto c = smtp_status::parse_enhanced_code(s)) {
        k.codes.push_back(*c);
        k.strings.push_back(s);
      }
    return k;
  }();
  return p;
}

// ---- results: a code's key (0: not a code), a registry row's address (0: none)

// Every contender is inlined into the timed loop, whatever the compiler's
// size limits would decide for each, so that none pays a call the others do not.
#if defined(__GNUC__) || defined(__clang__)
#define SMTP_STATUS_BENCH_INLINE [[gnu::always_inline]] inline
#else
#define SMTP_STATUS_BENCH_INLINE inline
#endif

std::uint64_t key(unsigned cls, unsigned subject, unsigned detail) {
  return enhanced_code(static_cast<smtp_status::status_class>(cls), subject, detail).key();
}
std::uint64_t row(const registry_entry* e) { return reinterpret_cast<std::uintptr_t>(e); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
unsigned digit(char c) { return static_cast<unsigned>(c - '0'); }

SMTP_STATUS_BENCH_INLINE std::uint64_t by_smtp_status(const std::string& s) {
  const auto c = smtp_status::parse_enhanced_code(s);
  return c ? c->key() : 0;
}

// The form that says what is wrong and where.
SMTP_STATUS_BENCH_INLINE std::uint64_t by_smtp_status_detailed(const std::string& s) {
  const auto r = smtp_status::parse_enhanced_code_detailed(s);
  return r ? r.value.key() : 0;
}

// What a user writes in a few minutes: the grammar, branch by branch.
SMTP_STATUS_BENCH_INLINE std::uint64_t by_handwritten(const std::string& s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  if (p == end || (*p != '2' && *p != '4' && *p != '5')) return 0;
  const unsigned cls = digit(*p++);
  unsigned v[2] = {0, 0};
  for (unsigned& n : v) {
    if (p == end || *p++ != '.' || p == end || !is_digit(*p)) return 0;
    if (*p == '0' && p + 1 != end && is_digit(p[1])) return 0;
    for (int digits = 0; p != end && is_digit(*p); ++digits) {
      if (digits == 3) return 0;
      n = n * 10 + digit(*p++);
    }
  }
  return p == end ? key(cls, v[0], v[1]) : 0;
}

// The checks the number readers below leave to the caller: [first, last) is
// 1 to `most` digits (no space or sign), without a leading zero.
bool field(const char* first, const char* last, long most) {
  const long n = last - first;
  return n >= 1 && n <= most && is_digit(*first) && (*first != '0' || n == 1);
}
bool is_class(unsigned long c) { return c == 2 || c == 4 || c == 5; }

SMTP_STATUS_BENCH_INLINE std::uint64_t by_from_chars(const std::string& s) {
  const char* p = s.data();
  const char* const end = p + s.size();
  unsigned v[3];
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && (p == end || *p++ != '.')) return 0;
    const std::from_chars_result r = std::from_chars(p, end, v[i]);
    if (r.ec != std::errc() || !field(p, r.ptr, i == 0 ? 1 : 3)) return 0;
    p = r.ptr;
  }
  return p == end && is_class(v[0]) ? key(v[0], v[1], v[2]) : 0;
}

SMTP_STATUS_BENCH_INLINE std::uint64_t by_strtoul(const std::string& s) {
  const char* p = s.c_str();
  unsigned long v[3];
  for (int i = 0; i < 3; ++i) {
    if (i > 0 && *p++ != '.') return 0;
    char* q = nullptr;
    v[i] = std::strtoul(p, &q, 10);
    if (!field(p, q, i == 0 ? 1 : 3)) return 0;
    p = q;
  }
  return p == s.data() + s.size() && is_class(v[0])
             ? key(static_cast<unsigned>(v[0]), static_cast<unsigned>(v[1]),
                   static_cast<unsigned>(v[2]))
             : 0;
}

SMTP_STATUS_BENCH_INLINE std::uint64_t by_sscanf(const std::string& s) {
  const char* p = s.c_str();
  unsigned v[3];
  int n[5] = {-1, -1, -1, -1, -1}; // field ends and starts
  if (std::sscanf(p, "%u%n.%n%u%n.%n%u%n", &v[0], &n[0], &n[1], &v[1], &n[2], &n[3], &v[2],
                  &n[4]) != 3 ||
      static_cast<std::size_t>(n[4]) != s.size())
    return 0;
  if (!field(p, p + n[0], 1) || !field(p + n[1], p + n[2], 3) || !field(p + n[3], p + n[4], 3))
    return 0;
  return is_class(v[0]) ? key(v[0], v[1], v[2]) : 0;
}

constexpr const char* code_pattern = R"(^([245])\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$)";

unsigned number(const std::ssub_match& m) {
  unsigned v = 0;
  for (auto c = m.first; c != m.second; ++c) v = v * 10 + digit(*c);
  return v;
}

SMTP_STATUS_BENCH_INLINE std::uint64_t by_std_regex(const std::string& s, const std::regex& re) {
  std::smatch m;
  return std::regex_match(s, m, re) ? key(number(m[1]), number(m[2]), number(m[3])) : 0;
}

// ---- reply codes: the value (0: not a reply code)

SMTP_STATUS_BENCH_INLINE std::uint64_t reply_by_smtp_status(const std::string& s) {
  const auto c = smtp_status::parse_reply_code(s);
  return c ? c->value() : 0;
}

SMTP_STATUS_BENCH_INLINE std::uint64_t reply_by_handwritten(const std::string& s) {
  if (s.size() != 3 || s[0] < '2' || s[0] > '5' || s[1] < '0' || s[1] > '5' || !is_digit(s[2]))
    return 0;
  return digit(s[0]) * 100 + digit(s[1]) * 10 + digit(s[2]);
}

// Three digits read by a number reader: 200-599, second digit 0-5.
std::uint64_t reply_value(const std::string& s, long digits, unsigned long v) {
  const bool ok = field(s.data(), s.data() + digits, 3) && digits == 3 && s.size() == 3 &&
                  v >= 200 && v <= 599 && v / 10 % 10 <= 5;
  return ok ? v : 0;
}

SMTP_STATUS_BENCH_INLINE std::uint64_t reply_by_strtol(const std::string& s) {
  char* q = nullptr;
  const long v = std::strtol(s.c_str(), &q, 10);
  return v < 0 ? 0 : reply_value(s, q - s.c_str(), static_cast<unsigned long>(v));
}

SMTP_STATUS_BENCH_INLINE std::uint64_t reply_by_sscanf(const std::string& s) {
  unsigned v = 0;
  int n = -1;
  if (std::sscanf(s.c_str(), "%u%n", &v, &n) != 1) return 0;
  return reply_value(s, n, v);
}

// ---- lookup: the registry row of an enhanced code

// Keys of every registered code, in all three classes, to its row.
template <class Map, class Key> Map registry_map(Key (*make_key)(enhanced_code)) {
  Map m;
  for (const registry_entry& e : smtp_status::registry())
    if (e.kind == smtp_status::registry_kind::detail)
      for (smtp_status::status_class cls : classes)
        m.emplace(make_key(enhanced_code(cls, e.subject, e.detail)), &e);
  return m;
}
std::uint32_t key_of(enhanced_code c) { return c.key(); }

template <class Map, class Key> std::uint64_t find(const Map& m, const Key& k) {
  const auto it = m.find(k);
  return it == m.end() ? 0 : row(it->second);
}

SMTP_STATUS_BENCH_INLINE std::uint64_t lookup_by_smtp_status(enhanced_code c) {
  return row(smtp_status::lookup(c));
}

SMTP_STATUS_BENCH_INLINE std::uint64_t parse_lookup_by_smtp_status(const std::string& s) {
  const auto c = smtp_status::parse_enhanced_code(s);
  return c ? row(smtp_status::lookup(*c)) : 0;
}

// ---- the harness

// A function as a type of its own, so that run() is instantiated, and the
// function inlined, once per contender (a function pointer would not be).
template <auto F> struct call {
  template <class T> SMTP_STATUS_BENCH_INLINE std::uint64_t operator()(const T& x) const {
    return F(x);
  }
};

std::string describe(const std::string& s) { return '"' + s + '"'; }
std::string describe(enhanced_code c) { return text(c); }

// Checks `f` against `ours` on the first n inputs, then times it on them.
template <class In, class F, class G>
void run(benchmark::State& state, const std::vector<In>& in, std::size_t n, G&& ours, F&& f) {
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t want = ours(in[i]), got = f(in[i]);
    if (got != want) {
      const std::string why =
          describe(in[i]) + ": got " + std::to_string(got) + ", expected " + std::to_string(want);
      state.SkipWithError(why.c_str());
      return;
    }
  }
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += f(in[i]);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(n));
}

template <class F> void parse(benchmark::State& state, F&& f, std::size_t n = code_strings) {
  run(state, the_codes(), n, call<by_smtp_status>(), f);
}
void BM_code_smtp_status(benchmark::State& state) { parse(state, call<by_smtp_status>()); }
void BM_code_smtp_status_detailed(benchmark::State& state) {
  parse(state, call<by_smtp_status_detailed>());
}
void BM_code_handwritten(benchmark::State& state) { parse(state, call<by_handwritten>()); }
void BM_code_from_chars(benchmark::State& state) { parse(state, call<by_from_chars>()); }
void BM_code_strtoul(benchmark::State& state) { parse(state, call<by_strtoul>()); }
void BM_code_sscanf(benchmark::State& state) { parse(state, call<by_sscanf>()); }
void BM_code_std_regex(benchmark::State& state) {
  const std::regex re(code_pattern);
  parse(
      state, [&](const std::string& s) { return by_std_regex(s, re); }, regex_strings);
}

template <class F> void parse_reply(benchmark::State& state, F&& f) {
  run(state, the_replies(), code_strings, call<reply_by_smtp_status>(), f);
}
void BM_code_reply_smtp_status(benchmark::State& state) {
  parse_reply(state, call<reply_by_smtp_status>());
}
void BM_code_reply_handwritten(benchmark::State& state) {
  parse_reply(state, call<reply_by_handwritten>());
}
void BM_code_reply_strtol(benchmark::State& state) { parse_reply(state, call<reply_by_strtol>()); }
void BM_code_reply_sscanf(benchmark::State& state) { parse_reply(state, call<reply_by_sscanf>()); }

// Lookup of a parsed code; the string maps get the code's own string, which
// is what a user who keys by string holds.
void BM_lookup_smtp_status(benchmark::State& state) {
  const parsed_codes& p = the_parsed();
  run(state, p.codes, p.codes.size(), call<lookup_by_smtp_status>(), call<lookup_by_smtp_status>());
}
void BM_lookup_unordered_map_u32(benchmark::State& state) {
  const parsed_codes& p = the_parsed();
  const auto m = registry_map<std::unordered_map<std::uint32_t, const registry_entry*>>(key_of);
  run(state, p.codes, p.codes.size(), call<lookup_by_smtp_status>(),
      [&](enhanced_code c) { return find(m, c.key()); });
}
template <class Map> void lookup_string(benchmark::State& state) {
  const parsed_codes& p = the_parsed();
  const auto m = registry_map<Map>(text);
  run(state, p.strings, p.strings.size(), call<parse_lookup_by_smtp_status>(),
      [&](const std::string& s) { return find(m, s); });
}
void BM_lookup_unordered_map_string(benchmark::State& state) {
  lookup_string<std::unordered_map<std::string, const registry_entry*>>(state);
}
void BM_lookup_map_string(benchmark::State& state) {
  lookup_string<std::map<std::string, const registry_entry*>>(state);
}

// Parse + lookup on the whole mix: a string map does both in one find.
template <class Map> void parse_lookup_string(benchmark::State& state) {
  const auto m = registry_map<Map>(text);
  run(state, the_codes(), code_strings, call<parse_lookup_by_smtp_status>(),
      [&](const std::string& s) { return find(m, s); });
}
void BM_lookup_parse_smtp_status(benchmark::State& state) {
  run(state, the_codes(), code_strings, call<parse_lookup_by_smtp_status>(),
      call<parse_lookup_by_smtp_status>());
}
void BM_lookup_parse_unordered_map_string(benchmark::State& state) {
  parse_lookup_string<std::unordered_map<std::string, const registry_entry*>>(state);
}
void BM_lookup_parse_map_string(benchmark::State& state) {
  parse_lookup_string<std::map<std::string, const registry_entry*>>(state);
}

// Constants only: the strings are made on first use, not at start-up.
[[maybe_unused]] const bool context_added = [] {
  benchmark::AddCustomContext("code_strings", std::to_string(code_strings));
  benchmark::AddCustomContext("code_regex_strings", std::to_string(regex_strings));
  benchmark::AddCustomContext("code_valid_percent", std::to_string(valid_percent));
  benchmark::AddCustomContext("code_seed", std::to_string(code_seed));
  return true;
}();

} // namespace

BENCHMARK(BM_code_smtp_status);
BENCHMARK(BM_code_smtp_status_detailed);
BENCHMARK(BM_code_handwritten);
BENCHMARK(BM_code_from_chars);
BENCHMARK(BM_code_strtoul);
BENCHMARK(BM_code_sscanf);
BENCHMARK(BM_code_std_regex);
BENCHMARK(BM_code_reply_smtp_status);
BENCHMARK(BM_code_reply_handwritten);
BENCHMARK(BM_code_reply_strtol);
BENCHMARK(BM_code_reply_sscanf);
BENCHMARK(BM_lookup_smtp_status);
BENCHMARK(BM_lookup_unordered_map_u32);
BENCHMARK(BM_lookup_unordered_map_string);
BENCHMARK(BM_lookup_map_string);
BENCHMARK(BM_lookup_parse_smtp_status);
BENCHMARK(BM_lookup_parse_unordered_map_string);
BENCHMARK(BM_lookup_parse_map_string);
