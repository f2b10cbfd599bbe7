#include "projections/audit_trail.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <boost/json.hpp>

#include "events/json_reader.hpp"

namespace switchyard::projections {

namespace json = boost::json;

namespace {

using core::be32;

std::string time_key(core::Timestamp t) {
    return be64(static_cast<std::uint64_t>(t.time_since_epoch().count()));
}

/// 20 bytes: time (us), partition, offset; sorts by time, then log order.
std::string suffix_of(const events::RecordedEvent& e) {
    return time_key(e.time) + be32(static_cast<std::uint32_t>(e.position.partition)) +
           be64(static_cast<std::uint64_t>(e.position.offset));
}

std::string actor_of(const core::Actor& a) {
    return fmt::format("{}:{}", core::to_string(a.kind), a.id);
}

class AuditTrailProjector final : public Projector {
  public:
    std::string name() const override { return kAuditTrail; }
    core::Result<void> project(const events::RecordedEvent& e, ProjectionWrites& w) override {
        const auto suffix = suffix_of(e);
        json::object row{
            {"time", core::format_rfc3339(e.time)},
            {"actor",
             {{"kind", core::to_string(e.actor.kind)}, {"id", e.actor.id}, {"ip", e.actor.ip}}},
            {"type", e.type},
            {"stream", e.stream},
            {"event_id", e.id},
            {"position", fmt::format("{}:{}", e.position.partition, e.position.offset)},
            {"correlation_id", e.correlation_id},
            {"tenant", e.tenant}};
        w.put("t/" + suffix, json::serialize(row));
        w.put("a/" + actor_of(e.actor) + '\0' + suffix, "");
        w.put("s/" + e.stream + '\0' + suffix, "");
        return {};
    }
};

std::string hex(std::string_view bin) {
    std::string out(bin.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()),
                   bin.size());
    out.pop_back();
    return out;
}

}  // namespace

std::unique_ptr<Projector> make_audit_trail_projector() {
    return std::make_unique<AuditTrailProjector>();
}

core::Result<AuditPage> query_audit(const ReadModelView& view, const AuditQuery& q) {
    std::string after;
    if (!q.cursor.empty()) {
        after.resize(20);
        std::size_t len = 0;
        if (q.cursor.size() != 40 ||
            sodium_hex2bin(reinterpret_cast<unsigned char*>(after.data()), after.size(),
                           q.cursor.data(), q.cursor.size(), nullptr, &len, nullptr) != 0 ||
            len != 20) {
            return core::fail(core::Errc::Invalid, "cursor",
                              "is not a cursor this server gave out");
        }
    }
    const auto limit = std::clamp<std::size_t>(q.limit, 1, 1000);
    std::string prefix = "t/";
    if (!q.actor.empty())
        prefix = "a/" + q.actor + '\0';
    else if (!q.stream.empty())
        prefix = "s/" + q.stream + '\0';
    std::string start = prefix + (q.from ? time_key(*q.from) : std::string());
    if (!after.empty() && prefix + after >= start) start = prefix + after + '\0';
    const std::string end = q.to ? time_key(*q.to) : std::string();
    AuditPage page;
    std::string last;
    bool more = false;
    view.scan(prefix, start, [&](std::string_view key, std::string_view value) {
        auto suffix = key.substr(prefix.size());
        if (!end.empty() && suffix.substr(0, 8) >= end) return false;
        std::string row;
        if (prefix == "t/") {
            row = std::string(value);
        } else if (auto r = view.get("t/" + std::string(suffix))) {
            row = std::move(*r);
        } else {
            return true;
        }
        if (!q.type.empty()) {
            auto t = events::with_json_object(
                row, [](const events::JsonObject& o) { return o.str("type"); });
            if (!t || *t != q.type) return true;
        }
        if (page.rows.size() == limit) {
            more = true;
            return false;
        }
        page.rows.push_back(std::move(row));
        last = std::string(suffix);
        return true;
    });
    if (more) page.next_cursor = hex(last);
    return page;
}

}  // namespace switchyard::projections
