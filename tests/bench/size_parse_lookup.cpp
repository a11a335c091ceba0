// The program whose size tests/bench/costs.py reports: what a server author
// writes with the library, parse a code and print its registry text.
// Built without the library (SIZE_BASELINE) it is the same program's empty
// shell, so the difference is what the library adds.
#include <cstdio>

#ifndef SIZE_BASELINE
#include <smtp_status/parse.hpp>
#include <smtp_status/registry.hpp>
#endif

int main(int argc, char** argv) {
  if (argc < 2) return 2;
#ifdef SIZE_BASELINE
  return std::puts(argv[1]) < 0;
#else
  const auto code = smtp_status::parse_enhanced_code(argv[1]);
  const smtp_status::registry_entry* e = code ? smtp_status::lookup(*code) : nullptr;
  if (e == nullptr) return 1;
  std::printf("%.*s\n", static_cast<int>(e->sample_text.size()), e->sample_text.data());
  return 0;
#endif
}
