#pragma once
/// The `hotspot_sessions` read model (issue 13 item 5): RADIUS accounting sessions from the
/// session events (core/hotspot/session.hpp) with the account's plan (from the account events):
/// active sessions by NAS, plan and user, each user's session history, and usage per user per
/// day (UTC days of the events' time; a day gets the bytes and seconds its events added).
///
/// Keys: `s/<unique_id>` -> the session (events/hotspot/session_codec.hpp session_json plus
/// `plan_id`); `n/<nas_id>/<unique_id>`, `h/<username>/<started_at micros, 20 digits>/
/// <unique_id>` (history), `an/<nas_id>/<unique_id>`, `ap/<plan_id>/<unique_id>`,
/// `au/<username>/<unique_id>` (open sessions) -> empty; `d/<username>/<YYYY-MM-DD>` ->
/// `{"input_bytes","output_bytes","online_seconds"}`; `p/<username>` -> plan_id.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/hotspot/model.hpp"
#include "core/hotspot/vendor_profile.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::hotspot {

inline constexpr const char* kHotspotSessions = "hotspot_sessions.v1";

std::unique_ptr<Projector> make_hotspot_sessions_projector();

/// A session as the read model keeps it.
struct SessionRow {
    core::hotspot::Session session;
    std::string plan_id;  ///< The account's plan when the session started; may be empty.
};

/// What a session list keeps; empty members match everything.
struct SessionFilter {
    std::string nas_id;
    std::string username;
    std::optional<bool> active;
    /// Only sessions on these NAS (a reseller's own); empty = any NAS.
    std::vector<std::string> nas_ids;
};

/// A page of sessions and the cursor of the next page (empty when this is the last).
struct SessionPage {
    std::vector<SessionRow> sessions;
    std::string next;
};

/// The session with this Acct-Unique-Session-Id, or nullopt.
std::optional<SessionRow> find_session(const ReadModelView& view, const std::string& unique_id);

/// Up to `limit` sessions after the cursor `after` (a previous page's `next`) that `filter`
/// keeps: a user's in the order they started, else by NAS and Acct-Unique-Session-Id; with
/// `active` = true only open sessions (read from the open-session indexes).
SessionPage list_sessions(const ReadModelView& view, const SessionFilter& filter,
                          const std::string& after, std::size_t limit);

/// One day of a user's usage.
struct DailyUsage {
    std::string day;  ///< `YYYY-MM-DD` (UTC).
    core::hotspot::Usage usage;
    friend bool operator==(const DailyUsage&, const DailyUsage&) = default;
};

/// A user's usage per day, oldest first, for days in [`from`, `to`] (`YYYY-MM-DD`; empty =
/// unbounded).
std::vector<DailyUsage> usage_by_day(const ReadModelView& view, const std::string& username,
                                     const std::string& from = {}, const std::string& to = {});

/// How many sessions are open on a NAS, on a plan, or of a user.
std::int64_t active_on_nas(const ReadModelView& view, const std::string& nas_id);
std::int64_t active_on_plan(const ReadModelView& view, const std::string& plan_id);
std::int64_t active_of_user(const ReadModelView& view, const std::string& username);

}  // namespace switchyard::projections::hotspot
