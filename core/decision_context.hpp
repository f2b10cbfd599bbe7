#pragma once
/// Everything a decider may need from the outside world, decided once before `decide` runs,
/// so that deciders stay pure and a retry after a conflict decides with the same inputs.

#include <cstdint>
#include <functional>
#include <string>

#include "core/actor.hpp"
#include "core/time.hpp"

namespace switchyard::core {

/// Inputs of one command's decision.
struct DecisionContext {
    Timestamp now{};             ///< The command's time; becomes the `time` of its events.
    Actor actor;                 ///< Who issued the command.
    std::string correlation_id;  ///< Request id (HTTP `X-Request-Id` or generated).
    std::string
        random_secret;  ///< Fresh random text (>= 24 URL-safe characters) for generated secrets.
    /// Keyed hash of a secret (e.g. a line password), deterministic for a given server key.
    /// Deciders store only its output. Unset in contexts that never see secrets.
    std::function<std::string(const std::string&)> hash_secret;
};

}  // namespace switchyard::core
