// The main of every test binary: doctest's, except that a run whose tests passed while one of
// them skipped (tests/support/skip.hpp) exits with kSkipReturnCode, so ctest says "Skipped".
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "tests/support/skip.hpp"

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int result = context.run();
    if (context.shouldExit() || result != 0) return result;
    return switchyard::testing::any_skipped() ? switchyard::testing::kSkipReturnCode : 0;
}
