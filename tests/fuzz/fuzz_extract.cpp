// Fuzz target: codes in free text against the reference tokeniser, and the
// SSE2 path against the scalar one with the text at another alignment.
#include <smtp_status/extract.hpp>
#include <smtp_status/string.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

#include "../reference.hpp"

using namespace smtp_status;
using detail::scan_path;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

template <scan_path P> std::vector<reference::found_code> enhanced_by(std::string_view text) {
  std::vector<reference::found_code> out;
  detail::for_each_enhanced_code<P>(text, [&](const enhanced_match& m) {
    const std::string code = to_string(m.code);
    check(m.length == code.size() && text.substr(m.offset, m.length) == code);
    out.push_back({code, m.offset, ""});
  });
  return out;
}

template <scan_path P> std::vector<reference::found_code> replies_by(std::string_view text) {
  std::vector<reference::found_code> out;
  detail::for_each_reply_code<P>(text, [&](const reply_match& m) {
    std::string enhanced;
    if (m.enhanced) {
      enhanced = to_string(m.enhanced->code);
      check(m.enhanced->offset == m.offset + 4 && m.enhanced->length == enhanced.size());
    }
    out.push_back({to_string(m.code), m.offset, enhanced});
  });
  return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto e = reference::enhanced_codes_in(text);
  const auto r = reference::reply_codes_in(text);
  check(enhanced_by<scan_path::scalar>(text) == e);
  check(enhanced_by<scan_path::sse2>(text) == e);
  check(replies_by<scan_path::scalar>(text) == r);
  check(replies_by<scan_path::sse2>(text) == r);

  const auto first_e = find_enhanced_code(text);
  check(first_e.has_value() == !e.empty() && (!first_e || first_e->offset == e[0].offset));
  const auto first_r = find_reply_code(text);
  check(first_r.has_value() == !r.empty() && (!first_r || first_r->offset == r[0].offset));

  // The same bytes at another distance from a 16-byte boundary, ending
  // their allocation, so the blocks fall elsewhere.
  const std::size_t shift = 1 + size % 15;
  const std::unique_ptr<char[]> moved(new char[shift + size]);
  if (size != 0) std::memcpy(moved.get() + shift, data, size);
  const std::string_view there(moved.get() + shift, size);
  check(enhanced_by<scan_path::sse2>(there) == e);
  check(replies_by<scan_path::sse2>(there) == r);
  return 0;
}
