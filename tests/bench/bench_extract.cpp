// Throughput of finding codes in bounce text (extract.hpp) against what a
// user would write instead: PCRE2 with JIT and std::regex with patterns of
// the same rules (look-around for the boundaries); RE2 and Hyperscan, which
// have no look-around, with a pattern for the code itself and the boundaries
// checked in C++ on each match; and memchr over the same text as the
// ceiling. Every contender first scans the text once and must find exactly
// our matches (offset, code, and for reply codes the enhanced code after
// them); otherwise it is skipped with an error, not timed.
//
// Counters: bytes_per_second and codes (matches in the text scanned).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <smtp_status/extract.hpp>

#include "bounce_corpus.hpp"

#ifdef SMTP_STATUS_BENCH_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
#ifdef SMTP_STATUS_BENCH_RE2
#include <re2/re2.h>
#endif
#ifdef SMTP_STATUS_BENCH_HYPERSCAN
#include <hs.h>
#endif

namespace {

using smtp_status::detail::scan_path;

constexpr std::size_t text_bytes = 32u << 20;
constexpr std::size_t slice_bytes = 1u << 20; // for std::regex
constexpr std::uint32_t text_seed = 20240603;

// The rules of extract.hpp as regular expressions. D is "0" or 1-3 digits
// without a leading zero; the look-aheads reject a longer run or a version
// string; the look-behinds (PCRE2) or a consumed byte (std::regex, which has
// no look-behind) give the left boundary. RE2 and Hyperscan match the codes
// alone (ENHANCED_CODE, reply_code_pattern) and check the boundaries in C++.
#define ENHANCED_CODE R"([245]\.[0-7]\.(?:[1-9][0-9]{0,2}|0))"
#define ENHANCED_CORE ENHANCED_CODE R"((?![A-Za-z0-9_]|\.[0-9]))"
[[maybe_unused]] constexpr const char* pcre2_enhanced = R"((?<![A-Za-z0-9._/]))" ENHANCED_CORE;
[[maybe_unused]] constexpr const char* pcre2_reply =
    R"((?<![^\s;:(\[<"'#=])[2-5][0-5][0-9](?:(?=[ -]()" ENHANCED_CORE
    R"())|(?=\z|[\s)\]>,;:"']|\.(?![0-9])|-(?![0-9]))))";
constexpr const char* regex_enhanced = R"((?:^|[^A-Za-z0-9._/])()" ENHANCED_CORE R"())";
constexpr const char* regex_reply =
    R"((?:^|[\s;:(\[<"'#=])([2-5][0-5][0-9])(?:(?=[ -]()" ENHANCED_CORE
    R"())|(?=$|[\s)\]>,;:"']|\.(?![0-9])|-(?![0-9]))))";
[[maybe_unused]] constexpr const char* enhanced_code_pattern = ENHANCED_CODE;
[[maybe_unused]] constexpr const char* reply_code_pattern = "[2-5][0-5][0-9]";
#undef ENHANCED_CORE
#undef ENHANCED_CODE

const std::string& the_text() {
  static const std::string text = bench::make_bounce_stream(text_bytes, text_seed);
  return text;
}

// One match: where, the code's key (value for reply codes), and a reply
// code's enhanced code key (0: none).
struct hit {
  std::size_t offset;
  std::uint32_t key, enhanced;
  friend bool operator==(const hit& a, const hit& b) {
    return a.offset == b.offset && a.key == b.key && a.enhanced == b.enhanced;
  }
};

// Sinks: a list for the check, a count and checksum in the timed loop.
struct collect {
  std::vector<hit>* out;
  void operator()(std::size_t offset, std::uint32_t key, std::uint32_t enhanced) const {
    out->push_back({offset, key, enhanced});
  }
};
struct tally {
  std::size_t count = 0;
  std::uint64_t sum = 0;
  void operator()(std::size_t offset, std::uint32_t key, std::uint32_t enhanced) {
    ++count;
    sum += offset ^ key ^ std::uint64_t{enhanced} << 32;
  }
};

std::uint32_t enhanced_key(const char* first, const char* last) {
  const auto c = smtp_status::parse_enhanced_code(
      std::string_view(first, static_cast<std::size_t>(last - first)));
  return c ? c->key() : 0xFFFFFFFFu;
}
std::uint32_t reply_value(const char* p) {
  return static_cast<std::uint32_t>(p[0] - '0') * 100u +
         static_cast<std::uint32_t>(p[1] - '0') * 10u + static_cast<std::uint32_t>(p[2] - '0');
}

template <scan_path P, class Sink> void ours_enhanced(std::string_view in, Sink& sink) {
  smtp_status::detail::for_each_enhanced_code<P>(
      in, [&](const smtp_status::enhanced_match& m) { sink(m.offset, m.code.key(), 0); });
}

template <scan_path P, class Sink> void ours_reply(std::string_view in, Sink& sink) {
  smtp_status::detail::for_each_reply_code<P>(in, [&](const smtp_status::reply_match& m) {
    sink(m.offset, m.code.value(), m.enhanced ? m.enhanced->code.key() : 0);
  });
}

template <class Sink>
void std_regex_scan(std::string_view in, const std::regex& re, bool reply, Sink& sink) {
  const char* base = in.data();
  for (std::cregex_iterator it(in.data(), in.data() + in.size(), re), end; it != end; ++it) {
    const std::cmatch& m = *it;
    const char* code = m[1].first;
    if (reply)
      sink(static_cast<std::size_t>(code - base), reply_value(code),
           m[2].matched ? enhanced_key(m[2].first, m[2].second) : 0);
    else
      sink(static_cast<std::size_t>(code - base), enhanced_key(code, m[1].second), 0);
  }
}

#ifdef SMTP_STATUS_BENCH_PCRE2
struct pcre2_jit {
  pcre2_code* code = nullptr;
  pcre2_match_data* match = nullptr;
  bool jit = false;
  explicit pcre2_jit(const char* pattern) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED, 0, &error,
                         &offset, nullptr);
    if (code == nullptr) return;
    jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    match = pcre2_match_data_create_from_pattern(code, nullptr);
  }
  ~pcre2_jit() {
    pcre2_match_data_free(match);
    pcre2_code_free(code);
  }
  pcre2_jit(const pcre2_jit&) = delete;
  pcre2_jit& operator=(const pcre2_jit&) = delete;
  bool ok() const { return code != nullptr && match != nullptr && jit; }
};

// Matches from each end to the next: the subject is always the whole text,
// so the look-behinds see the bytes before the start offset.
template <class Sink>
void pcre2_scan(std::string_view in, const pcre2_jit& re, bool reply, Sink& sink) {
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(in.data());
  const PCRE2_SIZE* v = pcre2_get_ovector_pointer(re.match);
  for (PCRE2_SIZE start = 0; start < in.size();) {
    if (pcre2_jit_match(re.code, subject, in.size(), start, 0, re.match, nullptr) < 0) break;
    const char* code = in.data() + v[0];
    if (reply)
      sink(v[0], reply_value(code),
           v[2] != PCRE2_UNSET ? enhanced_key(in.data() + v[2], in.data() + v[3]) : 0);
    else
      sink(v[0], enhanced_key(code, in.data() + v[1]), 0);
    start = v[1];
  }
}
#endif

#if defined(SMTP_STATUS_BENCH_RE2) || defined(SMTP_STATUS_BENCH_HYPERSCAN)
// The boundaries of extract.hpp's rules, for the engines without
// look-around: each is checked on a match of the code alone.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { // letter, digit or '_'
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool one_of(char c, std::string_view set) { return set.find(c) != std::string_view::npos; }

// Rule 2: before an enhanced code at `at`.
bool enhanced_left(std::string_view in, std::size_t at) {
  return at == 0 || !(is_word(in[at - 1]) || in[at - 1] == '.' || in[at - 1] == '/');
}
// Rules 3 and 4: after an enhanced code ending at `end` (no digit after it:
// the pattern's D is at most 3 digits, so a longer run is no code).
bool enhanced_right(std::string_view in, std::size_t end) {
  return end == in.size() ||
         !(is_word(in[end]) || (in[end] == '.' && end + 1 < in.size() && is_digit(in[end + 1])));
}
// Rule 6: before three digits at `at` (also rejects a longer run, rule 5).
bool reply_left(std::string_view in, std::size_t at) {
  return at == 0 || is_space(in[at - 1]) || one_of(in[at - 1], ";:([<\"'#=");
}
// Rules 5, 7 and 8 after three digits at `at` that pass reply_left, whose
// enhanced code after one ' ' or '-' (a match that passes enhanced_right)
// ends at `enhanced_end` (0: none).
template <class Sink>
void reply_candidate(std::string_view in, std::size_t at, std::size_t enhanced_end, Sink& sink) {
  const std::size_t end = at + 3;
  if (end < in.size() && !is_space(in[end]) && !one_of(in[end], ")]>,;:\"'")) {
    const bool digit_next = end + 1 < in.size() && is_digit(in[end + 1]);
    const bool ok =
        (in[end] == '.' && !digit_next) || (in[end] == '-' && (!digit_next || enhanced_end != 0));
    if (!ok) return;
  }
  sink(at, reply_value(in.data() + at),
       enhanced_end != 0 ? enhanced_key(in.data() + end + 1, in.data() + enhanced_end) : 0);
}
// Whether an enhanced code may follow the three digits at `at` (rule 8).
bool enhanced_may_follow(std::string_view in, std::size_t at) {
  return at + 4 < in.size() && (in[at + 3] == ' ' || in[at + 3] == '-') && is_digit(in[at + 4]);
}
#endif

#ifdef SMTP_STATUS_BENCH_RE2
// The first match [at, end) in in[from, size). Only the whole match is
// asked for, so RE2 needs no submatch engine.
bool re2_find(std::string_view in, const RE2& re, std::size_t from, RE2::Anchor anchor,
              std::size_t& at, std::size_t& end) {
  re2::StringPiece m;
  if (!re.Match(in, from, in.size(), anchor, &m, 1)) return false;
  at = static_cast<std::size_t>(m.data() - in.data());
  end = at + m.size();
  return true;
}

// Each search starts at the end of the last match: no code starts inside a
// rejected one (its bytes are digits and '.', which fail rule 2 or 6).
template <class Sink> void re2_enhanced_scan(std::string_view in, const RE2& re, Sink& sink) {
  for (std::size_t at = 0, end = 0; re2_find(in, re, end, RE2::UNANCHORED, at, end);)
    if (enhanced_left(in, at) && enhanced_right(in, end))
      sink(at, enhanced_key(in.data() + at, in.data() + end), 0);
}

template <class Sink>
void re2_reply_scan(std::string_view in, const RE2& reply, const RE2& enhanced, Sink& sink) {
  for (std::size_t at = 0, end = 0; re2_find(in, reply, end, RE2::UNANCHORED, at, end);) {
    if (!reply_left(in, at)) continue;
    std::size_t code = 0, code_end = 0;
    const bool has_enhanced = enhanced_may_follow(in, at) &&
                              re2_find(in, enhanced, at + 4, RE2::ANCHOR_START, code, code_end) &&
                              enhanced_right(in, code_end);
    reply_candidate(in, at, has_enhanced ? code_end : 0, sink);
  }
}
#endif

#ifdef SMTP_STATUS_BENCH_HYPERSCAN
// A block-mode database of the patterns (ids 0, 1, ...) with the leftmost
// start of each match, and its scratch.
struct hyperscan {
  hs_database_t* db = nullptr;
  hs_scratch_t* scratch = nullptr;
  explicit hyperscan(std::vector<const char*> patterns) {
    const std::vector<unsigned> flags(patterns.size(), HS_FLAG_SOM_LEFTMOST);
    std::vector<unsigned> ids(patterns.size());
    for (unsigned i = 0; i < ids.size(); ++i) ids[i] = i;
    hs_compile_error_t* error = nullptr;
    if (hs_compile_multi(patterns.data(), flags.data(), ids.data(),
                         static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &db,
                         &error) != HS_SUCCESS) {
      hs_free_compile_error(error);
      return;
    }
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) scratch = nullptr;
  }
  ~hyperscan() {
    hs_free_scratch(scratch);
    hs_free_database(db);
  }
  hyperscan(const hyperscan&) = delete;
  hyperscan& operator=(const hyperscan&) = delete;
  bool ok() const { return db != nullptr && scratch != nullptr; }

  // f(id, from, to) for each match, in order of `to`. A failed scan shows as
  // missing matches in the check.
  template <class F> void scan(std::string_view in, F& f) const {
    hs_scan(
        db, in.data(), static_cast<unsigned>(in.size()), 0, scratch,
        [](unsigned id, unsigned long long from, unsigned long long to, unsigned, void* context) {
          (*static_cast<F*>(context))(id, static_cast<std::size_t>(from),
                                      static_cast<std::size_t>(to));
          return 0;
        },
        &f);
  }
};

// Hyperscan reports every end of a match: "5.7.708" at "5.7.7", "5.7.70" and
// "5.7.708". Only the last has no digit after it, so enhanced_right keeps it.
template <class Sink> void hs_enhanced_scan(std::string_view in, const hyperscan& hs, Sink& sink) {
  auto on_match = [&](unsigned, std::size_t from, std::size_t to) {
    if (enhanced_left(in, from) && enhanced_right(in, to))
      sink(from, enhanced_key(in.data() + from, in.data() + to), 0);
  };
  hs.scan(in, on_match);
}

// Patterns: 0 the enhanced code, 1 the reply code. An enhanced code after a
// reply code ends later, so the reply code waits (`pending`) until it comes,
// or until the next reply code or the end shows it does not. Only a reply
// code that passes rule 6 ends the wait: "550-5.5.255" also reports "255".
template <class Sink> void hs_reply_scan(std::string_view in, const hyperscan& hs, Sink& sink) {
  constexpr std::size_t none = std::string_view::npos;
  std::size_t pending = none;
  auto on_match = [&](unsigned id, std::size_t from, std::size_t to) {
    if (id == 0) {
      if (pending != none && from == pending + 4 && enhanced_right(in, to)) {
        reply_candidate(in, pending, to, sink);
        pending = none;
      }
      return;
    }
    if (!reply_left(in, from)) return;
    if (pending != none) reply_candidate(in, pending, 0, sink);
    pending = none;
    if (enhanced_may_follow(in, from))
      pending = from;
    else
      reply_candidate(in, from, 0, sink);
  };
  hs.scan(in, on_match);
  if (pending != none) reply_candidate(in, pending, 0, sink);
}
#endif

// Checks scan against ours on `in`, then times it.
template <class Scan>
void run(benchmark::State& state, std::string_view in, const std::vector<hit>& expect,
         Scan&& scan) {
  std::vector<hit> found;
  collect c{&found};
  scan(in, c);
  if (found != expect) {
    std::size_t i = 0;
    while (i < found.size() && i < expect.size() && found[i] == expect[i]) ++i;
    const std::string why = "found " + std::to_string(found.size()) + " codes, expected " +
                            std::to_string(expect.size()) + "; first difference at match " +
                            std::to_string(i);
    state.SkipWithError(why.c_str());
    return;
  }
  for (auto _ : state) {
    tally t;
    scan(in, t);
    benchmark::DoNotOptimize(t);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(in.size()));
  state.counters["codes"] = static_cast<double>(expect.size());
}

// Our scalar path's matches: what every contender must find.
const std::vector<hit>& expected(bool reply, bool slice) {
  static const auto make = [](bool r, std::string_view in) {
    std::vector<hit> out;
    collect c{&out};
    if (r)
      ours_reply<scan_path::scalar>(in, c);
    else
      ours_enhanced<scan_path::scalar>(in, c);
    return out;
  };
  const std::string_view text = the_text();
  static const std::vector<hit> lists[4] = {make(false, text), make(true, text),
                                            make(false, text.substr(0, slice_bytes)),
                                            make(true, text.substr(0, slice_bytes))};
  return lists[(reply ? 1 : 0) + (slice ? 2 : 0)];
}

template <scan_path P> void BM_extract_enhanced(benchmark::State& state) {
  run(state, the_text(), expected(false, false),
      [](std::string_view in, auto& sink) { ours_enhanced<P>(in, sink); });
}

template <scan_path P> void BM_extract_reply(benchmark::State& state) {
  run(state, the_text(), expected(true, false),
      [](std::string_view in, auto& sink) { ours_reply<P>(in, sink); });
}

void BM_extract_enhanced_std_regex(benchmark::State& state) {
  const std::regex re(regex_enhanced);
  run(state, std::string_view(the_text()).substr(0, slice_bytes), expected(false, true),
      [&](std::string_view in, auto& sink) { std_regex_scan(in, re, false, sink); });
}

void BM_extract_reply_std_regex(benchmark::State& state) {
  const std::regex re(regex_reply);
  run(state, std::string_view(the_text()).substr(0, slice_bytes), expected(true, true),
      [&](std::string_view in, auto& sink) { std_regex_scan(in, re, true, sink); });
}

#ifdef SMTP_STATUS_BENCH_PCRE2
void BM_extract_enhanced_pcre2_jit(benchmark::State& state) {
  const pcre2_jit re(pcre2_enhanced);
  if (!re.ok()) return state.SkipWithError("PCRE2: the pattern did not compile, or no JIT");
  run(state, the_text(), expected(false, false),
      [&](std::string_view in, auto& sink) { pcre2_scan(in, re, false, sink); });
}

void BM_extract_reply_pcre2_jit(benchmark::State& state) {
  const pcre2_jit re(pcre2_reply);
  if (!re.ok()) return state.SkipWithError("PCRE2: the pattern did not compile, or no JIT");
  run(state, the_text(), expected(true, false),
      [&](std::string_view in, auto& sink) { pcre2_scan(in, re, true, sink); });
}
#endif

#ifdef SMTP_STATUS_BENCH_RE2
// Latin-1: the text is bytes, as for PCRE2 without its UTF flag.
void BM_extract_enhanced_re2(benchmark::State& state) {
  const RE2 re(enhanced_code_pattern, RE2::Latin1);
  if (!re.ok()) return state.SkipWithError("RE2: the pattern did not compile");
  run(state, the_text(), expected(false, false),
      [&](std::string_view in, auto& sink) { re2_enhanced_scan(in, re, sink); });
}

void BM_extract_reply_re2(benchmark::State& state) {
  const RE2 reply(reply_code_pattern, RE2::Latin1), enhanced(enhanced_code_pattern, RE2::Latin1);
  if (!reply.ok() || !enhanced.ok()) return state.SkipWithError("RE2: a pattern did not compile");
  run(state, the_text(), expected(true, false),
      [&](std::string_view in, auto& sink) { re2_reply_scan(in, reply, enhanced, sink); });
}
#endif

#ifdef SMTP_STATUS_BENCH_HYPERSCAN
void BM_extract_enhanced_hyperscan(benchmark::State& state) {
  const hyperscan hs({enhanced_code_pattern});
  if (!hs.ok()) return state.SkipWithError("Hyperscan: the pattern did not compile");
  run(state, the_text(), expected(false, false),
      [&](std::string_view in, auto& sink) { hs_enhanced_scan(in, hs, sink); });
}

void BM_extract_reply_hyperscan(benchmark::State& state) {
  const hyperscan hs({enhanced_code_pattern, reply_code_pattern});
  if (!hs.ok()) return state.SkipWithError("Hyperscan: the patterns did not compile");
  run(state, the_text(), expected(true, false),
      [&](std::string_view in, auto& sink) { hs_reply_scan(in, hs, sink); });
}
#endif

// The ceiling: one memchr over the whole text for a byte it does not hold.
void BM_extract_memchr(benchmark::State& state) {
  const std::string& text = the_text();
  if (std::memchr(text.data(), '\x01', text.size()) != nullptr)
    return state.SkipWithError("the text holds the byte searched for");
  for (auto _ : state) {
    const void* p = std::memchr(text.data(), '\x01', text.size());
    benchmark::DoNotOptimize(p);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(text.size()));
}

// Constants only: the text is made on first use, not at start-up.
[[maybe_unused]] const bool context_added = [] {
  benchmark::AddCustomContext("extract_bytes", std::to_string(text_bytes));
  benchmark::AddCustomContext("extract_slice_bytes", std::to_string(slice_bytes));
  benchmark::AddCustomContext("extract_sse2", SMTP_STATUS_HAS_SSE2 ? "yes" : "no (scalar twice)");
#ifdef SMTP_STATUS_BENCH_HYPERSCAN
  benchmark::AddCustomContext("hyperscan", hs_version());
#else
  benchmark::AddCustomContext("hyperscan", "no (libhs not found at configure time)");
#endif
  return true;
}();

} // namespace

BENCHMARK_TEMPLATE(BM_extract_enhanced, scan_path::sse2)->Name("BM_extract_enhanced_sse2");
BENCHMARK_TEMPLATE(BM_extract_enhanced, scan_path::scalar)->Name("BM_extract_enhanced_scalar");
#ifdef SMTP_STATUS_BENCH_PCRE2
BENCHMARK(BM_extract_enhanced_pcre2_jit);
#endif
#ifdef SMTP_STATUS_BENCH_RE2
BENCHMARK(BM_extract_enhanced_re2);
#endif
#ifdef SMTP_STATUS_BENCH_HYPERSCAN
BENCHMARK(BM_extract_enhanced_hyperscan);
#endif
BENCHMARK(BM_extract_enhanced_std_regex)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_extract_reply, scan_path::sse2)->Name("BM_extract_reply_sse2");
BENCHMARK_TEMPLATE(BM_extract_reply, scan_path::scalar)->Name("BM_extract_reply_scalar");
#ifdef SMTP_STATUS_BENCH_PCRE2
BENCHMARK(BM_extract_reply_pcre2_jit);
#endif
#ifdef SMTP_STATUS_BENCH_RE2
BENCHMARK(BM_extract_reply_re2);
#endif
#ifdef SMTP_STATUS_BENCH_HYPERSCAN
BENCHMARK(BM_extract_reply_hyperscan);
#endif
BENCHMARK(BM_extract_reply_std_regex)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_extract_memchr);
