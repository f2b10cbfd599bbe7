#include "core/iptv/stream_lifecycle.hpp"

namespace switchyard::core::iptv {

const char* to_string(StreamRunState state) noexcept {
    switch (state) {
        case StreamRunState::Idle:
            return "idle";
        case StreamRunState::Running:
            return "running";
        case StreamRunState::Retrying:
            return "retrying";
        case StreamRunState::Down:
            return "down";
    }
    return "idle";
}

void evolve(StreamLifecycleState& s, const StreamLifecycleEvent& event) {
    if (const auto* e = std::get_if<StreamStarted>(&event)) {
        s.state = StreamRunState::Running;
        s.pid = e->pid;
        ++s.starts;
        s.last_attempt = 0;
    } else if (const auto* e = std::get_if<StreamStopped>(&event)) {
        s.state = StreamRunState::Idle;
        s.pid = e->pid;
    } else if (const auto* e = std::get_if<StreamFailed>(&event)) {
        s.state = e->down ? StreamRunState::Down : StreamRunState::Retrying;
        s.pid = e->pid;
        ++s.failures;
        s.last_attempt = e->attempt;
    } else if (const auto* e = std::get_if<StreamProbed>(&event)) {
        s.probe = *e;
    }
}

std::vector<StreamLifecycleEvent> decide(const StreamLifecycleState& s,
                                         const StreamLifecycleEvent& observed) {
    bool known = false;
    if (const auto* e = std::get_if<StreamStarted>(&observed)) {
        known = s.state == StreamRunState::Running && s.pid == e->pid;
    } else if (const auto* e = std::get_if<StreamStopped>(&observed)) {
        known = s.state != StreamRunState::Running || s.pid != e->pid;
    } else if (const auto* e = std::get_if<StreamFailed>(&observed)) {
        known = s.state != StreamRunState::Running && s.state != StreamRunState::Idle &&
                s.pid == e->pid && s.last_attempt == e->attempt;
    } else if (const auto* e = std::get_if<StreamProbed>(&observed)) {
        known = s.probe && *s.probe == *e;
    }
    if (known) return {};
    return {observed};
}

}  // namespace switchyard::core::iptv
