#pragma once
/// Reading the error of a result that must have failed: `error_of(r)` checks `has_value()` first,
/// so a test never calls `.error()` on a success (which is undefined behaviour).

#include <doctest/doctest.h>

namespace switchyard::testing {

/// The error of `result`; a success fails the test at once (REQUIRE).
template <class Result>
auto error_of(const Result& result) {
    REQUIRE_MESSAGE(!result.has_value(), "expected a refusal, got a success");
    return result.error();
}

}  // namespace switchyard::testing
