#include <smtp_status/ostream.hpp>
#include <smtp_status/smtp_status.hpp>
#include <smtp_status/std_format.hpp>

#include <sstream>

#if SMTP_STATUS_TEST_FMT
#include <smtp_status/fmt.hpp>
#endif

#include "catch.hpp"

using namespace smtp_status;
using namespace smtp_status::literals;

TEST_CASE("operator<<", "[format]") {
  std::ostringstream os;
  os << "5.1.1"_esc << ' ' << 550_reply << ' ' << "4.7.708"_esc_any;
  CHECK(os.str() == "5.1.1 550 4.7.708");
}

#if SMTP_STATUS_TEST_FMT
TEST_CASE("fmt::formatter", "[format]") {
  CHECK(fmt::format("{} {}", 550_reply, "5.1.1"_esc) == "550 5.1.1");
  CHECK(fmt::format("[{:>7}] [{:<5}]", "5.7.1"_esc, 421_reply) == "[  5.7.1] [421  ]");
  CHECK(fmt::format("{:^9}", "2.0.0"_esc) == "  2.0.0  ");
}
#endif

#if SMTP_STATUS_HAS_STD_FORMAT
TEST_CASE("std::formatter", "[format]") {
  CHECK(std::format("{} {}", 550_reply, "5.1.1"_esc) == "550 5.1.1");
  CHECK(std::format("[{:>7}]", "5.7.1"_esc) == "[  5.7.1]");
}
#endif
