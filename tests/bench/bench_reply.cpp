// Throughput of SMTP reply parsing: smtp_status::parse_reply and reply_reader
// against what a user would write instead (a hand-written line splitter,
// std::regex, PCRE2 with JIT, RE2). Every contender first reads the stream once
// and must find the same replies (count and sum of codes) as the generator
// wrote; otherwise it is skipped with an error, not timed.
//
// Counters: bytes_per_second, items_per_second (replies per second) and
// time_per_reply (seconds).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <smtp_status/reply.hpp>

#include "corpus.hpp"

#ifdef SMTP_STATUS_BENCH_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif
#ifdef SMTP_STATUS_BENCH_RE2
#include <re2/re2.h>
#endif

namespace {

constexpr std::size_t corpus_replies = 1000000;
constexpr std::size_t slice_replies = 20000; // for the slow contenders
constexpr std::uint32_t corpus_seed = 20240603;
constexpr std::size_t chunk_size = 64 * 1024;
constexpr const char* line_pattern = R"(^(\d{3})([ -])(.*)$)";

struct corpus {
  std::string stream;
  bench::corpus_stats stats;
  std::string_view slice; // the first slice_replies replies of the stream
  bench::corpus_stats slice_stats;
};

const corpus& the_corpus() {
  static const corpus c = [] {
    corpus k;
    k.stream = bench::make_reply_stream(corpus_replies, corpus_seed, &k.stats);
    const std::string head = bench::make_reply_stream(slice_replies, corpus_seed, &k.slice_stats);
    if (k.stream.compare(0, head.size(), head) != 0) {
      std::fputs("corpus: the short stream is not a prefix of the long one\n", stderr);
      std::abort();
    }
    k.slice = std::string_view(k.stream).substr(0, head.size());
    return k;
  }();
  return c;
}

// What a contender found: it must match the generator's corpus_stats.
struct tally {
  std::size_t replies = 0;
  std::uint64_t code_sum = 0;
  bool ok = true;
};

tally by_parse_reply(std::string_view in) {
  tally t;
  while (!in.empty()) {
    const smtp_status::reply_result r = smtp_status::parse_reply(in);
    if (!r) {
      t.ok = false;
      break;
    }
    ++t.replies;
    t.code_sum += r.value.code.value();
    in.remove_prefix(r.consumed);
  }
  return t;
}

tally by_reply_reader(std::string_view in, char* buffer, std::size_t size) {
  tally t;
  smtp_status::reply_reader reader(buffer, size);
  for (std::size_t at = 0; at < in.size(); at += chunk_size) {
    std::string_view chunk = in.substr(at, chunk_size);
    while (!chunk.empty()) {
      const smtp_status::read_result r = reader.feed(chunk);
      chunk.remove_prefix(r.consumed);
      if (r.status == smtp_status::read_status::reply) {
        ++t.replies;
        t.code_sum += reader.result().value.code.value();
      } else if (r.status == smtp_status::read_status::error) {
        t.ok = false;
      }
    }
  }
  if (reader.buffered() != 0) t.ok = false;
  return t;
}

// The lines of `in` without their line ends, to f(line); false stops.
template <class F> void for_each_line(std::string_view in, F&& f) {
  std::size_t pos = 0;
  while (pos < in.size()) {
    std::size_t lf = in.find('\n', pos);
    if (lf == std::string_view::npos) lf = in.size();
    std::string_view line = in.substr(pos, lf - pos);
    pos = lf + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!f(line)) return;
  }
}

unsigned three_digits(const char* p) {
  return static_cast<unsigned>(p[0] - '0') * 100u + static_cast<unsigned>(p[1] - '0') * 10u +
         static_cast<unsigned>(p[2] - '0');
}

// The minimal hand-written reader: three digits and the separator per line,
// a reply ends at "NNN " (or a bare "NNN"). No other validation.
tally by_handwritten_lines(std::string_view in) {
  tally t;
  for_each_line(in, [&](std::string_view line) {
    if (line.size() < 3) {
      t.ok = false;
      return false;
    }
    if (line.size() == 3 || line[3] == ' ') {
      ++t.replies;
      t.code_sum += three_digits(line.data());
    }
    return true;
  });
  return t;
}

tally by_std_regex(std::string_view in, const std::regex& re) {
  tally t;
  std::cmatch m;
  for_each_line(in, [&](std::string_view line) {
    if (!std::regex_match(line.data(), line.data() + line.size(), m, re)) {
      t.ok = false;
      return false;
    }
    if (*m[2].first == ' ') {
      ++t.replies;
      t.code_sum += three_digits(m[1].first);
    }
    return true;
  });
  return t;
}

#ifdef SMTP_STATUS_BENCH_PCRE2
struct pcre2_jit {
  pcre2_code* code = nullptr;
  pcre2_match_data* match = nullptr;
  bool jit = false;
  pcre2_jit() {
    int error = 0;
    PCRE2_SIZE offset = 0;
    code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(line_pattern), PCRE2_ZERO_TERMINATED, 0,
                         &error, &offset, nullptr);
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
};

tally by_pcre2_jit(std::string_view in, const pcre2_jit& re) {
  tally t;
  for_each_line(in, [&](std::string_view line) {
    const int rc = pcre2_jit_match(re.code, reinterpret_cast<PCRE2_SPTR>(line.data()), line.size(),
                                   0, 0, re.match, nullptr);
    if (rc < 0) {
      t.ok = false;
      return false;
    }
    const PCRE2_SIZE* v = pcre2_get_ovector_pointer(re.match);
    if (line[v[4]] == ' ') {
      ++t.replies;
      t.code_sum += three_digits(line.data() + v[2]);
    }
    return true;
  });
  return t;
}
#endif

#ifdef SMTP_STATUS_BENCH_RE2
tally by_re2(std::string_view in, const RE2& re) {
  tally t;
  re2::StringPiece groups[3];
  for_each_line(in, [&](std::string_view line) {
    if (!re.Match(line, 0, line.size(), RE2::UNANCHORED, groups, 3)) {
      t.ok = false;
      return false;
    }
    if (groups[2][0] == ' ') {
      ++t.replies;
      t.code_sum += three_digits(groups[1].data());
    }
    return true;
  });
  return t;
}
#endif

// Checks `read` once on `in`, then times it.
template <class Read>
void run(benchmark::State& state, std::string_view in, const bench::corpus_stats& expect,
         Read&& read) {
  const tally check = read(in);
  if (!check.ok || check.replies != expect.replies || check.code_sum != expect.code_sum) {
    const std::string why = "found " + std::to_string(check.replies) + " replies, code sum " +
                            std::to_string(check.code_sum) + (check.ok ? "" : ", with errors") +
                            "; expected " + std::to_string(expect.replies) + ", " +
                            std::to_string(expect.code_sum);
    state.SkipWithError(why.c_str());
    return;
  }
  for (auto _ : state) {
    tally t = read(in);
    benchmark::DoNotOptimize(t);
  }
  const auto iterations = static_cast<std::int64_t>(state.iterations());
  state.SetBytesProcessed(iterations * static_cast<std::int64_t>(in.size()));
  state.SetItemsProcessed(iterations * static_cast<std::int64_t>(expect.replies));
  // A rate of `replies` per second, inverted: seconds per reply (the console
  // prints it with an SI prefix: "70.1ns"; the JSON holds seconds).
  state.counters["time_per_reply"] = benchmark::Counter(
      static_cast<double>(expect.replies),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_parse_reply_whole(benchmark::State& state) {
  const corpus& c = the_corpus();
  run(state, c.stream, c.stats, by_parse_reply);
}

void BM_reply_reader_64k(benchmark::State& state) {
  const corpus& c = the_corpus();
  std::vector<char> buffer(chunk_size);
  run(state, c.stream, c.stats,
      [&](std::string_view in) { return by_reply_reader(in, buffer.data(), buffer.size()); });
}

void BM_handwritten_lines(benchmark::State& state) {
  const corpus& c = the_corpus();
  run(state, c.stream, c.stats, by_handwritten_lines);
}

void BM_std_regex(benchmark::State& state) {
  const corpus& c = the_corpus();
  const std::regex re(line_pattern);
  run(state, c.slice, c.slice_stats, [&](std::string_view in) { return by_std_regex(in, re); });
}

#ifdef SMTP_STATUS_BENCH_PCRE2
void BM_pcre2_jit(benchmark::State& state) {
  const corpus& c = the_corpus();
  const pcre2_jit re;
  if (re.code == nullptr || re.match == nullptr || !re.jit) {
    state.SkipWithError("PCRE2: the pattern did not compile, or JIT is not available");
    return;
  }
  run(state, c.stream, c.stats, [&](std::string_view in) { return by_pcre2_jit(in, re); });
}
#endif

#ifdef SMTP_STATUS_BENCH_RE2
// The same pattern as PCRE2's; Latin-1: the lines are bytes, as for PCRE2
// without its UTF flag.
void BM_re2(benchmark::State& state) {
  const corpus& c = the_corpus();
  const RE2 re(line_pattern, RE2::Latin1);
  if (!re.ok()) return state.SkipWithError("RE2: the pattern did not compile");
  run(state, c.stream, c.stats, [&](std::string_view in) { return by_re2(in, re); });
}
#endif

} // namespace

BENCHMARK(BM_parse_reply_whole)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_reply_reader_64k)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_handwritten_lines)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_std_regex)->Unit(benchmark::kMillisecond);
#ifdef SMTP_STATUS_BENCH_PCRE2
BENCHMARK(BM_pcre2_jit)->Unit(benchmark::kMillisecond);
#endif
#ifdef SMTP_STATUS_BENCH_RE2
BENCHMARK(BM_re2)->Unit(benchmark::kMillisecond);
#endif

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const corpus& c = the_corpus();
  benchmark::AddCustomContext("corpus_seed", std::to_string(corpus_seed));
  benchmark::AddCustomContext("corpus_replies", std::to_string(c.stats.replies));
  benchmark::AddCustomContext("corpus_lines", std::to_string(c.stats.lines));
  benchmark::AddCustomContext("corpus_bytes", std::to_string(c.stream.size()));
  benchmark::AddCustomContext("slice_replies", std::to_string(c.slice_stats.replies));
  benchmark::AddCustomContext("slice_bytes", std::to_string(c.slice.size()));
#ifdef SMTP_STATUS_BENCH_PCRE2
  benchmark::AddCustomContext("pcre2", "yes (JIT)");
#else
  benchmark::AddCustomContext("pcre2", "no (libpcre2-8 not found at configure time)");
#endif
#ifdef SMTP_STATUS_BENCH_RE2
  benchmark::AddCustomContext("re2", "yes");
#else
  benchmark::AddCustomContext("re2", "no (re2 not found at configure time)");
#endif
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
