#pragma once
/// Waiting for a state instead of sleeping a fixed time: poll a condition until it holds or a
/// deadline passes.

#include <chrono>
#include <thread>

namespace switchyard::testing {

/// Polls `condition` every `interval` until it returns true or `timeout` has passed.
/// @returns true when the condition held; false on timeout (after one last poll).
template <class Condition>
bool wait_until(Condition condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds interval = std::chrono::milliseconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return condition();
        std::this_thread::sleep_for(interval);
    }
    return true;
}

}  // namespace switchyard::testing
