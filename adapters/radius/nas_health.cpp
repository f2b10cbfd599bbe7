#include "adapters/radius/nas_health.hpp"

namespace switchyard::adapters::radius {

NasHealth::NasHealth(std::chrono::seconds window) : window_(window) {}

void NasHealth::heard(const std::string& nas_id, core::Timestamp at, std::string_view source) {
    std::lock_guard lock(mu_);
    auto& n = nas_[nas_id];
    n.nas_id = nas_id;
    if (!n.last_heard_at || *n.last_heard_at <= at) {
        n.last_heard_at = at;
        n.last_heard_from = std::string(source);
    }
}

void NasHealth::failed(const std::string& nas_id, core::Timestamp at, std::string_view what) {
    std::lock_guard lock(mu_);
    auto& n = nas_[nas_id];
    n.nas_id = nas_id;
    if (!n.last_failure_at || *n.last_failure_at <= at) {
        n.last_failure_at = at;
        n.last_failure = std::string(what);
    }
}

NasReachability NasHealth::at(const std::string& nas_id, core::Timestamp now) const {
    const auto it = nas_.find(nas_id);
    if (it == nas_.end()) return NasReachability{.nas_id = nas_id};
    auto r = it->second;
    const bool failed_since =
        r.last_failure_at && (!r.last_heard_at || *r.last_failure_at > *r.last_heard_at);
    if (failed_since)
        r.state = "unreachable";
    else if (r.last_heard_at && now - *r.last_heard_at <= window_)
        r.state = "reachable";
    else if (r.last_heard_at)
        r.state = "silent";
    else
        r.state = "unknown";
    return r;
}

std::vector<NasReachability> NasHealth::report(const std::vector<std::string>& nas_ids,
                                               core::Timestamp now) const {
    std::lock_guard lock(mu_);
    std::vector<NasReachability> out;
    out.reserve(nas_ids.size());
    for (const auto& id : nas_ids) out.push_back(at(id, now));
    return out;
}

std::vector<NasReachability> NasHealth::report(core::Timestamp now) const {
    std::lock_guard lock(mu_);
    std::vector<NasReachability> out;
    for (const auto& [id, n] : nas_) out.push_back(at(id, now));
    return out;
}

}  // namespace switchyard::adapters::radius
