// Fuzz target: enhanced and reply code parsing, strict and lenient, checked
// against the reference parsers, plus lookup and classify invariants on what
// parses.
#include <smtp_status/smtp_status.hpp>

#include <cstdint>
#include <cstdlib>

#include "../reference.hpp"

using namespace smtp_status;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void check_enhanced(std::string_view s, parse_mode mode) {
  const bool lenient = mode == parse_mode::lenient;
  const parse_result<enhanced_code> r = parse_enhanced_code_detailed(s, mode);
  const auto ref = lenient ? reference::enhanced_lenient(s) : reference::enhanced(s, false);
  check(static_cast<bool>(r) == ref.has_value());
  check(r.offset <= s.size());
  // the optional form has a strict path of its own (no branch per character)
  check(parse_enhanced_code(s, mode) == (r ? std::optional<enhanced_code>(r.value) : std::nullopt));
  if (!r) {
    check(r.error != parse_error::none);
    return;
  }
  const enhanced_code c = r.value;
  check(c.class_digit() == ref->cls && c.subject() == ref->subject && c.detail() == ref->detail);
  // round trip, and the lookups hold their invariants for any code
  check(parse_enhanced_code(code_chars(c).view()) == c);
  const registry_match m = lookup_fallback(c);
  check(m.entry != nullptr && m.class_entry != nullptr);
  check((m.level == match_level::exact) == is_registered(c));
  check(to_string_view(classify(c).reason) != "invalid");
}

void check_reply(std::string_view s, parse_mode mode) {
  const parse_result<reply_code> r = parse_reply_code_detailed(s, mode);
  const auto ref = reference::reply(s, mode == parse_mode::lenient);
  check(static_cast<bool>(r) == ref.has_value());
  check(r.offset <= s.size());
  check(parse_reply_code(s, mode) == (r ? std::optional<reply_code>(r.value) : std::nullopt));
  if (r) {
    check(r.value.value() == *ref);
    check(to_string_view(classify(r.value).kind) != "invalid");
    for (const reply_entry& e : lookup(r.value)) check(e.code == *ref);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  for (parse_mode mode : {parse_mode::strict, parse_mode::lenient}) {
    check_enhanced(s, mode);
    check_reply(s, mode);
    // prefix parse: the stop pointer stays inside the input
    enhanced_code c;
    const from_chars_result r = from_chars(s.data(), s.data() + s.size(), c, mode);
    check(r.ptr >= s.data() && r.ptr <= s.data() + s.size());
    if (r && !s.empty() && size > 1) {
      reply_code rc;
      const from_chars_result r2 = from_chars(s.data() + 1, s.data() + s.size(), rc, mode);
      check(r2.ptr >= s.data() + 1 && r2.ptr <= s.data() + s.size());
    }
  }
  if (size >= 2) { // the pair check on two codes taken from the input
    constexpr unsigned classes[] = {2, 4, 5};
    const auto rc = make_reply_code(200u + data[0] % 400u);
    const auto ec = make_enhanced_code(classes[data[1] % 3u], data[1] % 10u, static_cast<unsigned>(size % 40u));
    check(rc && ec);
    check(consistent(*rc, *ec) == (rc->first_digit() == ec->class_digit()));
  }
  return 0;
}
