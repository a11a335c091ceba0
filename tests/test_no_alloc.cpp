// No heap allocation on any library path: global operator new is replaced
// to count, and every parse, lookup, classify, extract, DSN, bounce-scan and
// build path runs over the test corpora (tests/data/bounces and the fuzz
// seed corpora, whole and cut at many points) with the count held at zero.
// Inputs are read and results kept in memory set aside before counting.
#include <smtp_status/smtp_status.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "catch.hpp"

namespace {
bool counting = false;
std::size_t allocations = 0;

void* allocate(std::size_t n) {
  if (counting) ++allocations;
  void* p = std::malloc(n != 0 ? n : 1);
  if (p == nullptr) std::abort(); // no exceptions in some builds
  return p;
}
} // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {
using namespace smtp_status;

std::vector<std::string> read_corpora() {
  std::vector<std::string> out;
  const std::filesystem::path root = SMTP_STATUS_TEST_DIR;
  for (const auto& dir : {root / "data" / "bounces", root / "fuzz" / "corpus"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
      if (e.is_regular_file()) {
        std::ifstream in(e.path(), std::ios::binary);
        out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
  return out;
}

// Every path of the library over one input; the sum keeps the results alive.
std::size_t every_path(std::string_view in, char* scratch, std::size_t scratch_size) {
  std::size_t sum = 0;
  for (const parse_mode m : {parse_mode::strict, parse_mode::lenient}) {
    const auto e = parse_enhanced_code(in, m);
    const auto r = parse_reply_code(in, m);
    sum += parse_enhanced_code_detailed(in, m).offset + parse_reply_code_detailed(in, m).offset;
    if (e) sum += lookup(*e) != nullptr ? 1u : 0u;
    if (e) sum += static_cast<std::size_t>(lookup_fallback(*e).level);
    if (r) sum += lookup(*r).size();
    if (e && r) sum += static_cast<std::size_t>(classify(*r, *e, in).reason);
  }
  sum += static_cast<std::size_t>(reason_from_text(in));
  sum += static_cast<std::size_t>(classify(enhanced_code(status_class::permanent_failure, 1, 1), in).kind);
  for_each_enhanced_code(in, [&](const enhanced_match& m) { sum += m.offset; });
  for_each_reply_code(in, [&](const reply_match& m) { sum += m.offset; });
  for (std::string_view rest = in; !rest.empty();) {
    const reply_result r = parse_reply(rest, lenient_reply_limits);
    for (const reply_line& l : r.value.lines()) sum += l.text.size();
    if (r.consumed == 0) break;
    rest.remove_prefix(r.consumed);
  }
  reply_reader reader(scratch, scratch_size);
  for (std::string_view rest = in; !rest.empty();) {
    const read_result r = reader.feed(rest.substr(0, 7));
    sum += r.consumed + reader.result().value.line_count;
    rest.remove_prefix(r.consumed);
  }
  const dsn_report report = parse_delivery_status(in);
  for (const dsn_recipient& g : report.recipients()) sum += g.final_recipient.size() + g.status.size();
  for (const dsn_field& f : dsn_fields(in)) sum += f.value.size();
  scan_bounce(in, scratch, scratch_size, [&](const bounce_recipient& r) {
    sum += r.recipient.size() + static_cast<std::size_t>(r.classification.reason);
  });
  for_each_mbox_message(in, [&](std::string_view message, std::size_t index) {
    sum += message.size() + index;
  });
  char out[4096];
  const std::string_view text = in.substr(0, 600);
  sum += format_reply(out, out + sizeof out, reply_code(550), enhanced_code(status_class::permanent_failure, 1, 1), text).size;
  sum += reply_size(reply_status{reply_code(250), false, {}}, text).size;
  return sum;
}
} // namespace

TEST_CASE("no library path allocates, on any input of the corpora", "[alloc]") {
  const std::vector<std::string> corpora = read_corpora();
  REQUIRE(corpora.size() > 100);
  std::vector<char> scratch(1 << 20);
  std::size_t inputs = 0, sum = 0;
  allocations = 0;
  counting = true;
  for (const std::string& file : corpora) {
    const std::string_view whole(file);
    for (std::size_t cut = 0; cut <= whole.size(); cut += 1 + whole.size() / 16, ++inputs)
      sum += every_path(whole.substr(0, cut), scratch.data(), scratch.size());
    sum += every_path(whole, scratch.data(), scratch.size());
    ++inputs;
  }
  counting = false;
  CHECK(allocations == 0);
  CHECK(inputs > 1000);
  CHECK(sum != 0);
}

TEST_CASE("the counter sees an allocation", "[alloc]") {
  allocations = 0;
  counting = true;
  auto* p = new std::string(100, 'x'); // a control: the replacement is in effect
  counting = false;
  CHECK(allocations >= 1);
  delete p;
}
