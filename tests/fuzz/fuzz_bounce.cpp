// Fuzz target: the whole-message scan (MIME walk, decoders, report and free
// text). Invariants: every view of every record lies inside the message or
// the scratch buffer; the count returned is the count of records; the same
// input gives the same records; mbox splitting covers only the input.
#include <smtp_status/bounce.hpp>

#include <cstdint>
#include <cstdlib>
#include <vector>

using namespace smtp_status;

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}

bool inside(std::string_view v, std::string_view whole) {
  return v.empty() || (v.data() >= whole.data() && v.data() + v.size() <= whole.data() + whole.size());
}

struct digest {
  std::size_t count = 0, sum = 0;
  void add(const bounce_recipient& r) {
    ++count;
    sum = sum * 31 + r.recipient.size() + r.diagnostic.size() * 7 +
          (r.status ? r.status->key() : 0) + (r.reply ? r.reply->value() : 0) +
          static_cast<std::size_t>(r.classification.reason) + static_cast<std::size_t>(r.source);
  }
};

digest scan_once(std::string_view message, std::vector<char>& scratch) {
  digest d;
  const std::string_view buffer(scratch.data(), scratch.size());
  const bounce_scan_result res =
      scan_bounce(message, scratch.data(), scratch.size(), [&](const bounce_recipient& r) {
        for (std::string_view v : {r.recipient, r.action, r.diagnostic})
          check(inside(v, message) || inside(v, buffer) ||
                (v.data() == r.action.data() &&
                 (v == "failed" || v == "delayed" || v == "delivered"))); // free text's action
        check(!r.recipient.empty() || r.source != status_source::text); // a DSN group may name none
        check(to_string_view(r.classification.reason) != "invalid");
        check(to_string_view(r.classification.kind) != "invalid");
        d.add(r);
      });
  check(res.recipients == d.count);
  check(!res.delivery_status || res.recipients > 0);
  return d;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<char> scratch(size);
  const digest first = scan_once(input, scratch);
  const digest again = scan_once(input, scratch);
  check(first.count == again.count && first.sum == again.sum);

  std::size_t covered = 0;
  const std::size_t n = for_each_mbox_message(input, [&](std::string_view m, std::size_t) {
    check(inside(m, input));
    covered += m.size();
  });
  check(covered <= size && (n > 0) == (size > 0));
  return 0;
}
