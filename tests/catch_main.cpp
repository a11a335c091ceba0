// The test main for Catch2 v2. With Catch2 v3, tests link Catch2::Catch2WithMain
// instead and this file is not built (see tests/CMakeLists.txt).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
