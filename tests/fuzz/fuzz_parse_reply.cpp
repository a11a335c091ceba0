// Fuzz target: whole-buffer reply parsing against the reference parser, with
// pipelining (every reply in the input), under two sets of limits.
#include <smtp_status/reply.hpp>

#include <cstdint>
#include <cstdlib>

#include "../reference.hpp"

using namespace smtp_status;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const reply_limits limits : {reply_limits{}, reply_limits{40, 4}}) {
    std::string_view rest = input;
    while (!rest.empty()) {
      const reply_result got = parse_reply(rest, limits);
      const reference::reply_result want =
          reference::reply(rest, limits.max_line, limits.max_lines);
      check(static_cast<bool>(got) == want.error.empty());
      check(got.consumed == want.consumed && got.consumed > 0 && got.consumed <= rest.size());
      if (got) {
        check(got.value.code.value() == want.code && got.value.warnings == want.warnings);
        check(got.value.line_count == want.lines.size() && got.value.raw.size() == got.consumed);
        std::size_t k = 0;
        for (const reply_line& l : got.value.lines()) {
          check(k < want.lines.size() && l.text == want.lines[k].text);
          check(l.has_enhanced == want.lines[k].has_enhanced);
          check(l.last == (k + 1 == want.lines.size()));
          ++k;
        }
        check(k == want.lines.size());
      } else {
        check(got.offset == want.offset && got.offset <= rest.size());
      }
      rest.remove_prefix(got.consumed);
    }
  }
  return 0;
}
