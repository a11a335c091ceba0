// Catch2 v2 (single header) or v3 (split headers), whichever the build found.
#ifndef SMTP_STATUS_TESTS_CATCH_HPP
#define SMTP_STATUS_TESTS_CATCH_HPP

#if defined(SMTP_STATUS_CATCH2_V3) ||                                                              \
    (!defined(SMTP_STATUS_CATCH2_V2) && defined(__has_include) &&                                  \
     __has_include(<catch2/catch_test_macros.hpp>))
#include <catch2/catch_test_macros.hpp>
#else
#include <catch2/catch.hpp>
#endif

// Check at compile time and again at run time (the run-time path is what
// coverage and sanitizers see).
#define CHECK_BOTH(...)                                                                            \
  do {                                                                                             \
    STATIC_REQUIRE(__VA_ARGS__);                                                                   \
    REQUIRE(__VA_ARGS__);                                                                          \
  } while (false)

#endif
