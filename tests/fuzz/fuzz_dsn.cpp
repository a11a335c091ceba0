// Fuzz target: message/delivery-status parsing. Every view lies inside the
// input, groups and fields come in order, counting agrees with iterating,
// unfold() stays in bounds and writes no line break, and every value agrees
// with the reference parser.
#include <smtp_status/dsn.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../reference.hpp"

using namespace smtp_status;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

std::string_view input;

void check_view(std::string_view v) {
  if (v.empty() && v.data() == nullptr) return; // an absent field
  check(v.data() >= input.data() && v.size() <= input.size() &&
        static_cast<std::size_t>(v.data() - input.data()) <= input.size() - v.size());
}

// unfold() into a buffer just big enough, and into a short one with guard
// bytes after it.
std::string unfolded(std::string_view v) {
  check_view(v);
  const std::size_t n = unfolded_size(v);
  check(n <= v.size());
  std::string out(n, '\0');
  check(unfold(v, out.data(), out.size()) == n);
  check(out.find_first_of("\r\n") == std::string::npos);
  check(out.empty() || (out.front() != ' ' && out.back() != ' '));
  char small[8 + 4];
  std::memset(small, '#', sizeof small);
  const std::size_t k = unfold(v, small, 8);
  check(k == (n < 8 ? n : 8) && std::memcmp(small, out.data(), k) == 0);
  check(std::memcmp(small + 8, "####", 4) == 0);
  const auto fixed = smtp_status::unfold<8>(v);
  check(fixed.view() == std::string_view(small, k) && fixed.truncated() == (n > 8));
  return out;
}

std::string field(const reference::dsn_group& g, const char* name) {
  const auto it = g.fields.find(name);
  return it == g.fields.end() ? std::string() : it->second;
}

void same_typed(std::string_view type, std::string_view text,
                const std::pair<std::string, std::string>& want) {
  check(unfolded(type) == want.first && unfolded(text) == want.second);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input = std::string_view(reinterpret_cast<const char*>(data), size);
  const dsn_report r = parse_delivery_status(input);
  const reference::dsn_body want = reference::dsn_groups(input);
  check(r.body.data() == input.data() && r.body.size() == input.size());

  const auto message = [&](const char* name) {
    const auto it = want.message.find(name);
    return it == want.message.end() ? std::string() : it->second;
  };
  same_typed(r.reporting_mta_type, r.reporting_mta, reference::dsn_typed(message("reporting-mta")));
  same_typed(r.dsn_gateway_type, r.dsn_gateway, reference::dsn_typed(message("dsn-gateway")));
  same_typed(r.received_from_mta_type, r.received_from_mta,
             reference::dsn_typed(message("received-from-mta")));
  check(unfolded(r.arrival_date) == message("arrival-date"));
  check(unfolded(r.original_envelope_id) == message("original-envelope-id"));

  std::size_t count = 0, last_end = 0;
  for (const dsn_recipient& x : r.recipients()) {
    check(count < want.recipients.size());
    const reference::dsn_group& g = want.recipients[count];
    check(x.offset == g.offset && x.offset < input.size());
    check(count == 0 || x.offset >= last_end); // groups do not overlap
    check_view(x.raw);
    check(x.raw.data() == input.data() + x.offset && !x.raw.empty());
    last_end = x.offset + x.raw.size();
    same_typed(x.final_recipient_type, x.final_recipient,
               reference::dsn_address(field(g, "final-recipient")));
    same_typed(x.original_recipient_type, x.original_recipient,
               reference::dsn_address(field(g, "original-recipient")));
    same_typed(x.remote_mta_type, x.remote_mta, reference::dsn_typed(field(g, "remote-mta")));
    same_typed(x.diagnostic_type, x.diagnostic_code,
               reference::dsn_typed(field(g, "diagnostic-code")));
    check(unfolded(x.action) == field(g, "action"));
    check(unfolded(x.status) == field(g, "status"));
    const auto status = reference::dsn_status(field(g, "status"));
    check(x.status_code.has_value() == status.has_value());
    if (status)
      check(x.status_code->class_digit() == status->cls &&
            x.status_code->subject() == status->subject && x.status_code->detail() == status->detail);
    check(unfolded(x.last_attempt_date) == field(g, "last-attempt-date"));
    check(unfolded(x.will_retry_until) == field(g, "will-retry-until"));
    check(unfolded(x.final_log_id) == field(g, "final-log-id"));
    std::size_t k = 0;
    for (const dsn_field& f : x.fields()) {
      check(k < g.all.size());
      check(f.name == g.all[k].name && unfolded(f.value) == g.all[k].value);
      check(f.offset == g.all[k].offset && f.offset >= x.offset && f.offset < last_end);
      check_view(f.name);
      ++k;
    }
    check(k == g.all.size());
    ++count;
  }
  check(count == want.recipients.size() && count == r.recipient_count());

  std::size_t k = 0, previous = 0;
  for (const dsn_field& f : r.fields()) {
    check(k < want.fields.size());
    check(k == 0 || f.offset > previous);
    previous = f.offset;
    check(f.name == want.fields[k].name && unfolded(f.value) == want.fields[k].value);
    check(f.offset == want.fields[k].offset);
    check(f.name.data() == input.data() + f.offset);
    ++k;
  }
  check(k == want.fields.size());
  return 0;
}
