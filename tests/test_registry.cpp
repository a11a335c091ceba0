#include <smtp_status/parse.hpp>
#include <smtp_status/registry.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

using namespace smtp_status;

namespace {

using row = std::map<std::string, std::string>;

// RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes.
std::vector<row> read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += text[++i];
      else if (c == '"')
        quoted = false;
      else
        field += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(field), field.clear();
    } else if (c == '\n') {
      records.back().push_back(field), field.clear();
      records.emplace_back();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !records.back().empty()) records.back().push_back(field);
  if (records.back().empty()) records.pop_back();
  std::vector<row> rows;
  for (std::size_t r = 1; r < records.size(); ++r) {
    row m;
    for (std::size_t k = 0; k < records[0].size() && k < records[r].size(); ++k)
      m[records[0][k]] = records[r][k];
    rows.push_back(m);
  }
  return rows;
}

std::string fold(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string reference_dir() {
#ifdef SMTP_STATUS_REFERENCE_DIR
  return SMTP_STATUS_REFERENCE_DIR "/reference";
#else
  return "";
#endif
}

bool have_reference() { return std::ifstream(reference_dir() + "/reply-codes.csv").good(); }

enhanced_code with_class(const registry_entry& e, unsigned cls) {
  return *make_enhanced_code(cls, e.subject, e.detail);
}

} // namespace

TEST_CASE("the registry has every IANA row with every column", "[registry][reference]") {
  if (!have_reference()) {
    WARN("reference data not found at '" << reference_dir() << "': comparison skipped");
    return;
  }
  const std::string iana = reference_dir() + "/iana/enhanced-status-codes-";
  const struct {
    registry_kind kind;
    const char* file;
  } parts[] = {{registry_kind::class_code, "classes.csv"},
               {registry_kind::subject, "subjects.csv"},
               {registry_kind::detail, "details.csv"}};
  std::size_t total = 0;
  for (const auto& part : parts) {
    const auto rows = read_csv(iana + part.file);
    REQUIRE(!rows.empty());
    for (const row& r : rows) {
      INFO(part.file << " " << r.at("Code"));
      const registry_entry* found = nullptr;
      for (const registry_entry& e : registry())
        if (e.kind == part.kind && e.code == r.at("Code")) found = &e;
      REQUIRE(found != nullptr);
      const bool detail = part.kind == registry_kind::detail;
      CHECK(found->sample_text == fold(r.at(detail ? "Sample Text" : "Summary")));
      CHECK(found->associated.text == (detail ? fold(r.at("Associated basic status code")) : ""));
      CHECK(found->description == fold(r.at("Description")));
      CHECK(found->reference == fold(r.at("Reference")));
      CHECK(found->submitter == fold(r.at("Submitter")));
      CHECK(found->change_controller == fold(r.at("Change Controller")));
      ++total;
    }
  }
  CHECK(total == registry().size());
}

TEST_CASE("every reply code row of the reference is in the table", "[registry][reference]") {
  if (!have_reference()) {
    WARN("reference data not found at '" << reference_dir() << "': comparison skipped");
    return;
  }
  const auto rows = read_csv(reference_dir() + "/reply-codes.csv");
  REQUIRE(rows.size() == reply_table().size());
  std::set<unsigned> codes;
  for (const row& r : rows) {
    INFO(r.at("code") << " " << r.at("reference"));
    const auto code = parse_reply_code(r.at("code"), parse_mode::lenient);
    REQUIRE(code);
    codes.insert(code->value());
    bool found = false;
    for (const reply_entry& e : lookup(*code))
      found |= e.code == code->value() && e.text == fold(r.at("text")) &&
               e.meaning == fold(r.at("meaning")) && e.reference == fold(r.at("reference"));
    CHECK(found);
  }
  for (unsigned v = 200; v <= 599; ++v)
    CHECK(is_registered(reply_code(v)) == (codes.count(v) == 1));
}

TEST_CASE("the registry date is the XML's <updated>", "[registry][reference]") {
  CHECK(registry_updated == "2024-12-06");
  if (!have_reference()) return;
  std::ifstream in(reference_dir() + "/iana/enhanced-status-codes.xml");
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str().find("<updated>" + std::string(registry_updated) + "</updated>") !=
        std::string::npos);
}

TEST_CASE("registry shape", "[registry]") {
  CHECK_BOTH(registry().size() == 92);
  CHECK_BOTH(reply_table().size() == 72);
  std::size_t deprecated = 0;
  for (const registry_entry& e : registry()) {
    if (e.deprecated) {
      ++deprecated;
      CHECK(e.code == "X.6.10");
    }
    if (e.kind == registry_kind::detail) {
      // the parsed list holds exactly the three-digit numbers of the text
      std::string numbers;
      for (std::uint16_t c : e.associated) numbers += std::to_string(c) + " ";
      std::string expect;
      const std::string t(e.associated.text);
      for (std::size_t i = 0; i + 3 <= t.size(); ++i)
        if (std::isdigit(static_cast<unsigned char>(t[i])) &&
            (i == 0 || !std::isdigit(static_cast<unsigned char>(t[i - 1]))) &&
            std::isdigit(static_cast<unsigned char>(t[i + 1])) &&
            std::isdigit(static_cast<unsigned char>(t[i + 2])))
          expect += t.substr(i, 3) + " ";
      CHECK(numbers == expect);
    }
  }
  CHECK(deprecated == 1);
}

TEST_CASE("lookup finds every enumerated row under all three classes", "[registry]") {
  for (const registry_entry& e : registry()) {
    if (e.kind != registry_kind::detail) continue;
    for (unsigned cls : {2u, 4u, 5u}) {
      const enhanced_code c = with_class(e, cls);
      INFO(code_chars(c).view());
      CHECK(lookup(c) == &e);
      CHECK(is_registered(c));
      const registry_match m = lookup_fallback(c);
      CHECK(m.entry == &e);
      CHECK(m.level == match_level::exact);
      REQUIRE(m.subject_entry != nullptr);
      CHECK(m.subject_entry->subject == e.subject);
      CHECK(m.class_entry->class_digit == cls);
      // the registry writes "X.1.1": the parsed text of the code matches
      char text[16];
      const auto r = to_chars(text, text + sizeof text, c);
      CHECK(std::string_view(text + 1, static_cast<std::size_t>(r.ptr - text - 1)) ==
            e.code.substr(1));
    }
  }
}

TEST_CASE("exhaustive: lookup and fallback over all 3,000,000 codes", "[registry][exhaustive]") {
  std::set<std::pair<unsigned, unsigned>> registered;
  for (const registry_entry& e : registry())
    if (e.kind == registry_kind::detail) registered.insert({e.subject, e.detail});
  std::size_t found = 0, mismatches = 0;
  for (unsigned cls : {2u, 4u, 5u})
    for (unsigned s = 0; s <= 999; ++s)
      for (unsigned d = 0; d <= 999; ++d) {
        const enhanced_code c = *make_enhanced_code(cls, s, d);
        const registry_entry* e = lookup(c);
        const bool want = registered.count({s, d}) == 1;
        found += e != nullptr;
        const registry_match m = lookup_fallback(c);
        const bool ok = (e != nullptr) == want &&
                        (e == nullptr || (e->subject == s && e->detail == d)) &&
                        m.entry != nullptr && m.class_entry->class_digit == cls &&
                        (want     ? m.level == match_level::exact && m.entry == e
                         : s <= 7 ? m.level == match_level::subject && m.entry->subject == s &&
                                        m.entry->detail == 0 && m.subject_entry->subject == s
                                  : m.level == match_level::class_only && m.entry->subject == 0 &&
                                        m.entry->detail == 0 && m.subject_entry == nullptr);
        mismatches += !ok;
      }
  CHECK(found == 3 * 81);
  CHECK(mismatches == 0);
}

TEST_CASE("fallback levels", "[registry]") {
  constexpr auto code = [](const char* s) { return *parse_enhanced_code(s); };
  CHECK_BOTH(lookup_fallback(code("5.1.1")).level == match_level::exact);
  CHECK_BOTH(lookup_fallback(code("5.1.99"))->code == "X.1.0");
  CHECK_BOTH(lookup_fallback(code("5.1.99")).level == match_level::subject);
  CHECK_BOTH(lookup_fallback(code("5.7.708"))->code == "X.7.0");
  CHECK_BOTH(lookup_fallback(code("5.7.708")).subject_entry->code == "X.7.YYY");
  CHECK_BOTH(lookup_fallback(code("4.99.1"))->code == "X.0.0");
  CHECK_BOTH(lookup_fallback(code("4.99.1")).level == match_level::class_only);
  CHECK_BOTH(lookup_fallback(code("4.99.1")).class_entry->code == "4.XXX.YYY");
  CHECK_BOTH(lookup_fallback(code("4.99.1")).subject_entry == nullptr);
  CHECK_BOTH(to_string_view(match_level::class_only) == "class");
  CHECK_BOTH(lookup_class(status_class::permanent_failure).sample_text == "Permanent Failure");
  CHECK_BOTH(lookup_subject(7)->sample_text == "Security or Policy Status");
  CHECK_BOTH(lookup_subject(8) == nullptr);
  CHECK_BOTH(lookup(code("5.1.1"))->sample_text == "Bad destination mailbox address");
  CHECK_BOTH(!lookup(code("5.1.11")));
  CHECK_BOTH(!is_registered(code("5.7.31")));
  CHECK_BOTH(is_registered(code("5.7.30")));
}

TEST_CASE("reply code lookup keeps every defining context", "[registry]") {
  CHECK_BOTH(lookup(reply_code(454)).size() == 2); // STARTTLS (RFC 3207) and AUTH (RFC 4954)
  CHECK_BOTH(lookup(reply_code(220))->code == 220);
  CHECK_BOTH(lookup(reply_code(550)).size() >= 3);
  CHECK_BOTH(lookup(reply_code(599)).empty());
  CHECK_BOTH(!lookup(reply_code(200)));
  CHECK_BOTH(lookup(reply_code(200)).size() == 0);
  for (const reply_entry& e : lookup(reply_code(454))) CHECK(e.code == 454);
  CHECK(lookup(reply_code(454))[0].reference != lookup(reply_code(454))[1].reference);
}

TEST_CASE("associated codes", "[registry]") {
  constexpr auto code = [](const char* s) { return *parse_enhanced_code(s); };
  CHECK_BOTH(lookup(code("5.0.0"))->associated.any);
  CHECK_BOTH(lookup(code("5.0.0"))->associated.contains(reply_code(599)));
  CHECK_BOTH(lookup(code("5.7.24"))->associated.text == "451/550");
  CHECK_BOTH(lookup(code("5.7.24"))->associated.size == 2);
  CHECK_BOTH(lookup(code("5.7.17"))->associated.contains(reply_code(599)));
  CHECK_BOTH(!lookup(code("5.7.17"))->associated.contains(reply_code(450)));
  CHECK_BOTH(lookup(code("4.7.15"))->associated.contains(reply_code(471)));
  CHECK_BOTH(lookup(code("5.7.28"))->associated.unspecified());
  CHECK_BOTH(lookup(code("5.6.10"))->associated.unspecified());
  CHECK_BOTH(lookup(code("5.5.0"))->associated.size == 14);
  CHECK_BOTH(lookup(code("5.1.0"))->associated.text == "Not given");
}
