#include "tests/support/skip.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <string_view>

namespace switchyard::testing {

namespace {
std::atomic<bool> skipped{false};
}  // namespace

bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci != nullptr && std::string_view(ci) == "true";
}

void skip(const std::string& reason) {
    if (running_in_ci()) {
        FAIL_CHECK("cannot run under CI=true: ", reason);
        return;
    }
    MESSAGE("SKIPPED: ", reason);
    skipped = true;
}

bool any_skipped() { return skipped; }

}  // namespace switchyard::testing
