#include "events/append_planner.hpp"

#include <unordered_set>

#include <fmt/format.h>

namespace switchyard::events {

using core::Errc;

namespace {

bool valid_type(std::string_view t) {
    int dots = 0;
    if (t.empty() || t.size() > 120 || t.front() == '.' || t.back() == '.') return false;
    for (char c : t) {
        if (c == '.') {
            ++dots;
        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return dots == 2 && t.find("..") == std::string_view::npos;
}

}  // namespace

core::Result<void> validate_append(const std::vector<StreamWrite>& writes) {
    if (writes.empty()) return core::fail(Errc::Invalid, "writes", "an append needs one write");
    std::unordered_set<std::string_view> streams, ids;
    for (const auto& w : writes) {
        SY_TRY(validate_stream_name(w.stream));
        if (!streams.insert(w.stream).second) {
            return core::fail(Errc::Invalid, "stream",
                              fmt::format("stream {} is named twice in one append", w.stream));
        }
        for (const auto& e : w.events) {
            if (e.id.empty() || e.id.size() > 64) {
                return core::fail(Errc::Invalid, "id", "an event id has 1 to 64 bytes");
            }
            if (!ids.insert(e.id).second) {
                return core::fail(Errc::Invalid, "id",
                                  fmt::format("event id {} appears twice in one append", e.id));
            }
            if (!valid_type(e.type)) {
                return core::fail(
                    Errc::Invalid, "type",
                    fmt::format("event type '{}' is not <module>.<aggregate>.<verb>", e.type));
            }
            if (e.data.empty() || e.data.front() != '{') {
                return core::fail(Errc::Invalid, "data", "event data is a JSON object");
            }
        }
    }
    return {};
}

core::Result<AppendPlan> plan_append(const std::vector<StreamWrite>& writes,
                                     const AppendLookups& lookups) {
    SY_TRY(validate_append(writes));
    return plan_validated_append(writes, lookups);
}

core::Result<AppendPlan> plan_validated_append(const std::vector<StreamWrite>& writes,
                                               const AppendLookups& lookups) {
    // Dedupe by event id: all stored -> the original answer; some stored -> conflict.
    std::size_t total = 0, found = 0;
    AppendPlan plan;
    for (const auto& w : writes) {
        WriteResult wr{w.stream, -1, {}};
        for (const auto& e : w.events) {
            ++total;
            auto stored = SY_TRY(lookups.find_event(e.id));
            if (stored) {
                ++found;
                if (stored->stream != w.stream) {
                    return core::fail(Errc::Conflict, "id",
                                      fmt::format("event {} is stored in stream {}, not {}", e.id,
                                                  stored->stream, w.stream));
                }
                wr.positions.push_back(stored->position);
                wr.last_revision = std::max(wr.last_revision, stored->revision);
            }
        }
        plan.result.writes.push_back(std::move(wr));
    }
    if (total > 0 && found == total) {
        plan.result.deduplicated = true;
        return plan;
    }
    if (found > 0) {
        return core::fail(
            Errc::Conflict, "id",
            fmt::format("{} of {} events of this append are stored already", found, total));
    }

    // Expected revisions.
    std::vector<std::int64_t> current(writes.size());
    for (std::size_t i = 0; i < writes.size(); ++i) {
        const auto& w = writes[i];
        current[i] = SY_TRY(lookups.current_revision(w.stream));
        const auto& ex = w.expected;
        bool ok = ex.kind == ExpectedRevision::Kind::Any ||
                  (ex.kind == ExpectedRevision::Kind::NoStream && current[i] < 0) ||
                  (ex.kind == ExpectedRevision::Kind::Exact && current[i] == ex.revision);
        if (!ok) {
            auto expected = ex.kind == ExpectedRevision::Kind::NoStream
                                ? std::string("no stream")
                                : fmt::format("revision {}", ex.revision);
            auto actual =
                current[i] < 0 ? std::string("no stream") : fmt::format("revision {}", current[i]);
            return core::fail(
                Errc::Conflict, "expected_revision",
                fmt::format("stream {}: expected {}, found {}", w.stream, expected, actual));
        }
    }

    // Assign revisions and positions.
    plan.result = AppendResult{};
    for (std::size_t i = 0; i < writes.size(); ++i) {
        const auto& w = writes[i];
        WriteResult wr{w.stream, current[i], {}};
        wr.positions.reserve(w.events.size());
        for (std::size_t j = 0; j < w.events.size(); ++j) {
            PlannedEvent p{i, j, ++wr.last_revision, lookups.assign_position(w.stream)};
            wr.positions.push_back(p.position);
            plan.records.push_back(std::move(p));
        }
        plan.result.writes.push_back(std::move(wr));
    }
    return plan;
}

RecordedEvent take_record(std::vector<StreamWrite>& writes, const PlannedEvent& planned) {
    auto& w = writes[planned.write];
    RecordedEvent r;
    static_cast<NewEvent&>(r) = std::move(w.events[planned.event]);
    r.stream = w.stream;
    r.revision = planned.revision;
    r.position = planned.position;
    return r;
}

}  // namespace switchyard::events
