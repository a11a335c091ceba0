// Fuzz target: the reply builder. From the input: a reply code, an optional
// enhanced code (of the reply's class, mostly), a line limit and 1-4 lines of
// text. The result must be the error an independent check predicts (and then
// nothing is written), or a reply that obeys the wire rules: every line within
// the limit and ending in CRLF, no CR, LF or NUL elsewhere, the same code and
// enhanced code on every line, SP after the code on the last line only, the
// text's non-space bytes all there in order, words that fit never split, and
// parse_reply reading the same codes back.
#include <smtp_status/build.hpp>
#include <smtp_status/reply.hpp>

#include "../reference.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

using namespace smtp_status;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

constexpr std::size_t buffer_size = 64 * 1024;
constexpr char untouched = '#';
char buffer[buffer_size];
char small_buffer[buffer_size];

bool forbidden(char c) { return c == '\r' || c == '\n' || c == '\0'; }

std::string non_space(std::string_view s) {
  std::string out;
  for (const char c : s)
    if (c != ' ') out += c;
  return out;
}

struct input {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t pos = 0;
  unsigned byte() { return pos < size ? data[pos++] : 0u; }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool initialised = [] {
    std::fill(std::begin(buffer), std::end(buffer), untouched);
    std::fill(std::begin(small_buffer), std::end(small_buffer), untouched);
    return true;
  }();
  (void)initialised;

  // ---- the reply, from the first 11 bytes ----
  input in{data, size};
  unsigned code_bits = in.byte();
  code_bits |= in.byte() << 8;
  const unsigned flags =
      in.byte(); // 1 enhanced, 2 another class, 4 which, 8 small limit, 0x30 lines
  unsigned subject = in.byte();
  unsigned detail = in.byte();
  const unsigned high = in.byte();
  subject = (subject | (high & 3u) << 8) % 1000u;
  detail = (detail | (high & 0xCu) << 6) % 1000u;
  unsigned limit_bits = in.byte();
  limit_bits |= in.byte() << 8;
  unsigned split[3] = {};
  for (unsigned& b : split) b = in.byte();

  const reply_code code(200u + code_bits % 400u);
  const bool has_enhanced = (flags & 1u) != 0;
  unsigned cls = code.first_digit() == 3 ? 2u : code.first_digit();
  if ((flags & 2u) != 0) cls = (flags & 4u) != 0 ? 4u : 5u; // perhaps another class
  const reply_status status{code, has_enhanced,
                            enhanced_code(static_cast<status_class>(cls), subject, detail)};
  const std::size_t max_line = (flags & 8u) != 0 ? limit_bits % 21u : 16u + limit_bits % 585u;

  // ---- the lines: the rest of the input, cut at up to three places ----
  const std::string_view rest(reinterpret_cast<const char*>(data) + in.pos, size - in.pos);
  const std::size_t count = 1u + ((flags >> 4) & 3u);
  std::size_t cuts[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i + 1 < count; ++i) cuts[i] = rest.size() * split[i] / 256u;
  std::sort(cuts, cuts + (count - 1));
  std::string_view lines[4];
  for (std::size_t i = 0, from = 0; i < count; ++i) {
    const std::size_t to = i + 1 < count ? cuts[i] : rest.size();
    lines[i] = rest.substr(from, to - from);
    from = to;
  }

  // ---- what an independent check expects ----
  const std::string code_text(code_chars(code).view());
  const std::string enhanced_text =
      has_enhanced ? std::string(code_chars(status.enhanced).view()) : "";
  const std::size_t prefix = 4 + (has_enhanced ? enhanced_text.size() + 1 : 0);
  build_error expected = build_error::none;
  std::size_t bad_line = 0;
  std::size_t bad_offset = 0;
  if (has_enhanced && cls != code.first_digit()) {
    expected = build_error::class_mismatch;
  } else if (max_line < prefix + 3) {
    expected = build_error::line_limit_too_small;
  } else {
    for (std::size_t i = 0; i < count && expected == build_error::none; ++i)
      for (std::size_t j = 0; j < lines[i].size(); ++j)
        if (forbidden(lines[i][j])) {
          expected = build_error::forbidden_character;
          bad_line = i;
          bad_offset = j;
          break;
        }
  }

  const build_result measured = reply_size(status, lines, count, max_line);
  const build_result r = format_reply(buffer, buffer + buffer_size, status, lines, count, max_line);
  check(measured.error == expected);
  if (expected != build_error::none) {
    check(r.error == expected && r.size == 0);
    check(r.line == bad_line && r.offset == bad_offset);
    check(buffer[0] == untouched);
    std::string out = "x";
    check(format_reply_to(std::back_inserter(out), status, lines, count, max_line).error ==
          expected);
    check(out == "x");
    return 0;
  }
  if (measured.size > buffer_size) { // room 1 and a long input
    check(r.error == build_error::buffer_too_small && r.size == measured.size);
    check(buffer[0] == untouched);
    return 0;
  }
  check(r && r.size == measured.size && r.line == 0 && r.offset == 0);

  // ---- the wire rules ----
  const std::string_view wire(buffer, r.size);
  const std::size_t room = max_line - prefix - 2;
  std::string out_bytes;
  std::vector<std::string_view> out_words;
  std::size_t physical = 0;
  for (std::string_view w = wire; !w.empty();) {
    const std::size_t end = w.find("\r\n");
    check(end != std::string_view::npos && end + 2 <= max_line);
    const std::string_view line = w.substr(0, end);
    w.remove_prefix(end + 2);
    ++physical;
    check(line.size() >= prefix && line.substr(0, 3) == code_text);
    check(line[3] == (w.empty() ? ' ' : '-'));
    if (has_enhanced)
      check(line.substr(4, enhanced_text.size()) == enhanced_text && line[prefix - 1] == ' ');
    const std::string_view text = line.substr(prefix);
    check(std::none_of(text.begin(), text.end(), forbidden));
    out_bytes += non_space(text);
    for (const std::string_view word : reference::words(text)) out_words.push_back(word);
  }
  check(physical >= count);

  // ---- the reply parser reads back the same codes ----
  const reply_result back = parse_reply(wire, reply_limits{max_line, physical});
  check(back && back.consumed == wire.size() && back.value.line_count == physical);
  check(back.value.code == code);
  if (has_enhanced) check(back.value.has_enhanced && back.value.enhanced == status.enhanced);

  std::string in_bytes;
  std::vector<std::string_view> in_words;
  bool all_fit = true;
  for (std::size_t i = 0; i < count; ++i) {
    in_bytes += non_space(lines[i]);
    for (const std::string_view word : reference::words(lines[i])) {
      in_words.push_back(word);
      all_fit = all_fit && word.size() <= room;
    }
  }
  check(in_bytes == out_bytes);
  if (all_fit) check(in_words == out_words);

  // ---- the other forms agree ----
  std::string appended;
  const build_result r2 =
      format_reply_to(std::back_inserter(appended), status, lines, count, max_line);
  check(r2 && r2.size == r.size && appended == wire);
  if (count == 1) {
    const build_result r3 = has_enhanced ? format_reply(small_buffer, small_buffer + buffer_size,
                                                        code, status.enhanced, lines[0], max_line)
                                         : format_reply(small_buffer, small_buffer + buffer_size,
                                                        code, lines[0], max_line);
    check(r3 && std::string_view(small_buffer, r3.size) == wire);
    std::fill(small_buffer, small_buffer + r3.size, untouched);
  }
  // one byte short: nothing written, and the size needed
  const build_result short_r =
      format_reply(small_buffer, small_buffer + r.size - 1, status, lines, count, max_line);
  check(short_r.error == build_error::buffer_too_small && short_r.size == r.size);
  check(small_buffer[0] == untouched);

  std::fill(buffer, buffer + r.size, untouched);
  return 0;
}
