// Fuzz target: the whole-message scan (MIME walk, decoders, report and free
// text). Invariants: every view of every record lies inside the message or
// the scratch buffer; the count returned is the count of records; the same
// input gives the same records; the same message with CRLF line ends gives the
// same records; mbox splitting agrees with the line-by-line reference.
#include <smtp_status/bounce.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "../reference.hpp"

using namespace smtp_status;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

bool inside(std::string_view v, std::string_view whole) {
  return v.empty() || (v.data() >= whole.data() && v.data() + v.size() <= whole.data() + whole.size());
}

// What a record says, with CRs dropped from its texts.
using summary = std::tuple<std::string, std::string, unsigned, unsigned, std::string, status_source,
                           bounce_kind, bounce_reason>;

std::string without_cr(std::string_view v) {
  std::string out;
  for (const char c : v)
    if (c != '\r') out += c;
  return out;
}

std::vector<summary> scan_once(std::string_view message, std::vector<char>& scratch,
                               bounce_scan_result& res) {
  std::vector<summary> records;
  const std::string_view buffer(scratch.data(), scratch.size());
  res = scan_bounce(message, scratch.data(), scratch.size(), [&](const bounce_recipient& r) {
    for (std::string_view v : {r.recipient, r.action, r.diagnostic})
      check(inside(v, message) || inside(v, buffer) ||
            (v.data() == r.action.data() &&
             (v == "failed" || v == "delayed" || v == "delivered"))); // free text's action
    check(!r.recipient.empty() || r.source != status_source::text);   // a DSN group may name none
    check(to_string_view(r.classification.reason) != "invalid");
    check(to_string_view(r.classification.kind) != "invalid");
    records.emplace_back(without_cr(r.recipient), without_cr(r.action),
                         r.status ? r.status->key() : 0u, r.reply ? r.reply->value() : 0u,
                         without_cr(r.diagnostic), r.source, r.classification.kind,
                         r.classification.reason);
  });
  check(res.recipients == records.size());
  check(!res.delivery_status || res.recipients > 0);
  return records;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<char> scratch(2 * size);
  bounce_scan_result first_res, again_res;
  const auto first = scan_once(input, scratch, first_res);
  check(scan_once(input, scratch, again_res) == first);

  // Line ends do not change what a message says.
  if (input.find('\r') == std::string_view::npos) {
    std::string crlf;
    for (const char c : input)
      crlf += c == '\n' ? std::string_view("\r\n") : std::string_view(&c, 1);
    bounce_scan_result crlf_res;
    check(scan_once(crlf, scratch, crlf_res) == first);
    check(crlf_res.delivery_status == first_res.delivery_status);
  }

  // mbox splitting against the line-by-line reference
  const std::vector<std::string_view> want = reference::mbox_messages(input);
  std::size_t n = 0;
  const std::size_t count = for_each_mbox_message(input, [&](std::string_view m, std::size_t i) {
    check(i == n && n < want.size() && m.data() == want[n].data() && m.size() == want[n].size());
    ++n;
  });
  check(count == n && n == want.size());
  return 0;
}
