#pragma once
/// Who caused an event: the `actor` field of the envelope (DESIGN.md, Events).

#include <string>

namespace switchyard::core {

/// The kind of actor that issued a command.
enum class ActorKind { User, ApiKey, Line, Nas, System };

/// Lower-case wire name: `user`, `api_key`, `line`, `nas`, `system`.
const char* to_string(ActorKind kind) noexcept;

/// Parses a wire name; returns false when unknown.
bool parse_actor_kind(const std::string& text, ActorKind& out) noexcept;

/// The actor of an event: kind, stable id (key id, username, NAS id) and client IP (may be empty).
struct Actor {
    ActorKind kind = ActorKind::System;
    std::string id;
    std::string ip;
};

}  // namespace switchyard::core
