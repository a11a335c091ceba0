// Throughput of finding codes in bounce text (extract.hpp) against what a
// user would write instead: PCRE2 with JIT and std::regex with patterns of
// the same rules (look-around for the boundaries), and memchr over the same
// text as the ceiling. Every contender first scans the text once and must
// find exactly our matches (offset, code, and for reply codes the enhanced
// code after them); otherwise it is skipped with an error, not timed.
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

namespace {

using smtp_status::detail::scan_path;

constexpr std::size_t text_bytes = 32u << 20;
constexpr std::size_t slice_bytes = 1u << 20; // for std::regex
constexpr std::uint32_t text_seed = 20240603;

// The rules of extract.hpp as regular expressions. D is "0" or 1-3 digits
// without a leading zero; the look-aheads reject a longer run or a version
// string; the look-behinds (PCRE2) or a consumed byte (std::regex, which has
// no look-behind) give the left boundary.
#define ENHANCED_CORE R"([245]\.[0-7]\.(?:[1-9][0-9]{0,2}|0)(?![A-Za-z0-9_]|\.[0-9]))"
constexpr const char* pcre2_enhanced = R"((?<![A-Za-z0-9._/]))" ENHANCED_CORE;
constexpr const char* pcre2_reply =
    R"((?<![^\s;:(\[<"'#=])[2-5][0-5][0-9](?:(?=[ -]()" ENHANCED_CORE
    R"())|(?=\z|[\s)\]>,;:"']|\.(?![0-9])|-(?![0-9]))))";
constexpr const char* regex_enhanced = R"((?:^|[^A-Za-z0-9._/])()" ENHANCED_CORE R"())";
constexpr const char* regex_reply =
    R"((?:^|[\s;:(\[<"'#=])([2-5][0-5][0-9])(?:(?=[ -]()" ENHANCED_CORE
    R"())|(?=$|[\s)\]>,;:"']|\.(?![0-9])|-(?![0-9]))))";
#undef ENHANCED_CORE

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
  return true;
}();

} // namespace

BENCHMARK_TEMPLATE(BM_extract_enhanced, scan_path::sse2)->Name("BM_extract_enhanced_sse2");
BENCHMARK_TEMPLATE(BM_extract_enhanced, scan_path::scalar)->Name("BM_extract_enhanced_scalar");
#ifdef SMTP_STATUS_BENCH_PCRE2
BENCHMARK(BM_extract_enhanced_pcre2_jit);
#endif
BENCHMARK(BM_extract_enhanced_std_regex)->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_extract_reply, scan_path::sse2)->Name("BM_extract_reply_sse2");
BENCHMARK_TEMPLATE(BM_extract_reply, scan_path::scalar)->Name("BM_extract_reply_scalar");
#ifdef SMTP_STATUS_BENCH_PCRE2
BENCHMARK(BM_extract_reply_pcre2_jit);
#endif
BENCHMARK(BM_extract_reply_std_regex)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_extract_memchr);
