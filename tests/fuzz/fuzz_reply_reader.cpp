// Fuzz target: the streaming reader, fed in chunks whose sizes come from the
// input, must give what the whole-buffer parser gives, reply after reply, and
// never hold more than its buffer.
#include <smtp_status/reply.hpp>

#include <cstdint>
#include <cstdlib>

using namespace smtp_status;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

bool same(const reply_result& a, const reply_result& b) {
  if (a.error != b.error) return false;
  if (!a) return a.offset == b.offset;
  if (a.value.code != b.value.code || a.value.warnings != b.value.warnings ||
      a.value.raw != b.value.raw || a.value.has_enhanced != b.value.has_enhanced)
    return false;
  return !a.value.has_enhanced || a.value.enhanced == b.value.enhanced;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const unsigned seed = data[0]; // chunk sizes: 1..16, cycling through the low bits
  const reply_limits limits = (data[1] & 1) != 0 ? reply_limits{} : reply_limits{24, 3};
  const std::string_view input(reinterpret_cast<const char*>(data) + 2, size - 2);
  char buf[4096]; // >= 512 * 3 and 24 * 3: the limits, not the buffer, decide
  reply_reader reader(buf, sizeof buf, limits);
  std::string_view whole = input;
  std::size_t pos = 0, step = 0;
  while (pos < input.size()) {
    const std::size_t n = 1 + ((seed >> (step % 5)) + step) % 16;
    ++step;
    std::string_view chunk = input.substr(pos, n);
    pos += chunk.size();
    while (!chunk.empty()) {
      const read_result r = reader.feed(chunk);
      check(r.consumed <= chunk.size());
      check(reader.buffered() <= sizeof buf);
      chunk.remove_prefix(r.consumed);
      if (r.status == read_status::need_more) {
        check(chunk.empty());
        continue;
      }
      const reply_result want = parse_reply(whole, limits);
      check(same(reader.result(), want));
      whole.remove_prefix(want.consumed);
    }
  }
  // what is left is the start of a reply the stream still waits for
  check(whole.empty() || parse_reply(whole, limits).error == reply_error::incomplete);
  return 0;
}
