#pragma once
/// Skipping a test that cannot run here (it needs root, a tool, a kernel feature), so that ctest
/// reports it as skipped instead of passed: the test binary then exits with kSkipReturnCode,
/// which tests/CMakeLists.txt declares as every test's SKIP_RETURN_CODE. Under `CI=true` a test
/// that cannot run fails instead: a CI machine is set up to run every test.

#include <string>

namespace switchyard::testing {

/// The exit code of a test binary whose tests passed but one skipped (ctest SKIP_RETURN_CODE).
inline constexpr int kSkipReturnCode = 77;

/// True when the environment says this is a CI run (`CI=true`, as CI services set it).
bool running_in_ci();

/// Marks the running test as skipped for `reason` (printed as `SKIPPED: <reason>`); the caller
/// returns from the test case right after. Under CI it fails the test with the reason instead.
void skip(const std::string& reason);

/// True when a test of this process called skip (outside CI).
bool any_skipped();

}  // namespace switchyard::testing
