#include "projections/audit_trail.hpp"

#include <fmt/format.h>
#include <sodium.h>
#include <boost/json.hpp>

#include "events/id_allocator.hpp"
#include "projections/projector_kit.hpp"

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

/// The payload as the audit trail shows it: credentials' derived values (hashes, sealed
/// secrets) are replaced by `"[redacted]"`, at any depth.
json::value redacted(json::value v) {
    if (auto* o = v.if_object()) {
        for (auto& [key, value] : *o) {
            const std::string_view k = key;
            if (k.find("hash") != std::string_view::npos || k.ends_with("_sealed"))
                value = "[redacted]";
            else
                value = redacted(std::move(value));
        }
    } else if (auto* a = v.if_array()) {
        for (auto& item : *a) item = redacted(std::move(item));
    }
    return v;
}

core::Result<void> apply_audit(const events::RecordedEvent& e, ProjectionWrites& w) {
    // Id blocks are the log's own bookkeeping (events/id_allocator.hpp), not something
    // anyone did to a resource.
    if (events::is_id_block_type(e.type)) return {};
    const auto suffix = suffix_of(e);
    boost::system::error_code ec;
    auto data = json::parse(e.data, ec);
    if (ec) return core::fail(core::Errc::Invalid, "data", "is not JSON");
    const auto after = json::serialize(redacted(std::move(data)));
    // Before: the stream's previous payload (what this event changes), if any; stored as
    // json::serialize wrote it, so it is spliced into the row as it is.
    const auto stream_key = "l/" + e.stream;
    const auto previous = w.get(stream_key);
    const json::object fields{
        {"time", core::format_rfc3339(e.time)},
        {"actor",
         {{"kind", core::to_string(e.actor.kind)}, {"id", e.actor.id}, {"ip", e.actor.ip}}},
        {"type", e.type},
        {"stream", e.stream},
        {"event_id", e.id},
        {"position", fmt::format("{}:{}", e.position.partition, e.position.offset)},
        {"correlation_id", e.correlation_id},
        {"tenant", e.tenant}};
    // The row is `fields` then "before" and "after", as json::serialize writes one object.
    std::string row = json::serialize(fields);
    row.pop_back();  // the closing brace
    row += ",\"before\":";
    row += previous ? std::string_view(*previous) : std::string_view("null");
    row += ",\"after\":";
    row += after;
    row += '}';
    w.put("t/" + suffix, row);
    w.put(stream_key, after);
    w.put("y/" + e.type + '\0' + suffix, "");
    w.put("a/" + actor_of(e.actor) + '\0' + suffix, "");
    w.put("s/" + e.stream + '\0' + suffix, "");
    return {};
}

std::string hex(std::string_view bin) {
    std::string out(bin.size() * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bin.data()),
                   bin.size());
    out.pop_back();
    return out;
}

/// True when a row (as stored by the projector) passes the query's type, stream and actor.
bool row_matches(std::string_view row, const AuditQuery& q) {
    boost::system::error_code ec;
    auto v = json::parse(row, ec);
    if (ec || !v.is_object()) return false;
    const auto& o = v.get_object();
    if (!q.type.empty() && o.at("type").as_string() != q.type) return false;
    if (!q.stream.empty() && o.at("stream").as_string() != q.stream) return false;
    if (q.actor.empty()) return true;
    const auto& a = o.at("actor").as_object();
    return fmt::format("{}:{}", std::string_view(a.at("kind").as_string()),
                       std::string_view(a.at("id").as_string())) == q.actor;
}

}  // namespace

std::unique_ptr<Projector> make_audit_trail_projector() {
    return make_projector(kAuditTrail, apply_audit);
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
    // The most selective index leads; the other filters are checked on the rows.
    std::string prefix = "t/";
    if (!q.stream.empty())
        prefix = "s/" + q.stream + '\0';
    else if (!q.actor.empty())
        prefix = "a/" + q.actor + '\0';
    else if (!q.type.empty())
        prefix = "y/" + q.type + '\0';
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
        if ((!q.type.empty() || !q.actor.empty() || !q.stream.empty()) && !row_matches(row, q))
            return true;
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
