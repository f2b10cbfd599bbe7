#include "core/actor.hpp"

namespace switchyard::core {

const char* to_string(ActorKind kind) noexcept {
    switch (kind) {
        case ActorKind::User:
            return "user";
        case ActorKind::ApiKey:
            return "api_key";
        case ActorKind::Line:
            return "line";
        case ActorKind::Nas:
            return "nas";
        case ActorKind::System:
            return "system";
    }
    return "system";
}

bool parse_actor_kind(const std::string& text, ActorKind& out) noexcept {
    for (auto k :
         {ActorKind::User, ActorKind::ApiKey, ActorKind::Line, ActorKind::Nas, ActorKind::System}) {
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

}  // namespace switchyard::core
