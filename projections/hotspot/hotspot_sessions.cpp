#include "projections/hotspot/hotspot_sessions.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/overloaded.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "events/hotspot/session_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::hotspot {

using namespace core::hotspot;
namespace json = boost::json;

namespace {

std::string session_key(const std::string& id) { return key_of("s", id); }

std::string micros20(core::Timestamp t) {
    return fmt::format("{:020d}", t.time_since_epoch().count());
}

/// `YYYY-MM-DD` of a time (UTC).
std::string day_of(core::Timestamp t) { return core::format_rfc3339(t).substr(0, 10); }

std::string row_text(const SessionRow& r) {
    json::object o;
    o["session"] = events::hotspot::session_json(r.session);
    o["plan_id"] = r.plan_id;
    return json::serialize(o);
}

std::optional<SessionRow> parse_row(std::string_view text) {
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    const auto& o = v.as_object();
    const auto* s = o.if_contains("session");
    const auto* p = o.if_contains("plan_id");
    if (!s || !p || !p->is_string()) return std::nullopt;
    auto session = events::hotspot::parse_session(json::serialize(*s));
    if (!session) return std::nullopt;
    return SessionRow{std::move(*session), std::string(p->as_string())};
}

Usage parse_usage(const std::optional<std::string>& text) {
    Usage u;
    if (!text) return u;
    boost::system::error_code ec;
    auto v = json::parse(*text, ec);
    if (ec || !v.is_object()) return u;
    const auto& o = v.as_object();
    auto num = [&](const char* k) {
        const auto* x = o.if_contains(k);
        return x && x->is_int64() ? x->as_int64() : 0;
    };
    u.input_bytes = num("input_bytes");
    u.output_bytes = num("output_bytes");
    u.online_seconds = num("online_seconds");
    return u;
}

std::string usage_text(const Usage& u) {
    json::object o;
    o["input_bytes"] = u.input_bytes;
    o["output_bytes"] = u.output_bytes;
    o["online_seconds"] = u.online_seconds;
    return json::serialize(o);
}

void set_open(ProjectionWrites& w, const SessionRow& r, bool open) {
    const auto& s = r.session;
    const std::string keys[] = {key_of("an", s.nas_id, s.unique_id),
                                key_of("ap", r.plan_id, s.unique_id),
                                key_of("au", s.username, s.unique_id)};
    for (const auto& k : keys) {
        if (open)
            w.put(k, "");
        else
            w.erase(k);
    }
}

/// Writes a session's new state: the row, its indexes and the day's usage delta.
void store(ProjectionWrites& w, const std::optional<SessionRow>& before, const SessionRow& after,
           core::Timestamp at) {
    const auto& s = after.session;
    w.put(session_key(s.unique_id), row_text(after));
    if (!before) {
        w.put(key_of("n", s.nas_id, s.unique_id), "");
        w.put(key_of("h", s.username, micros20(s.started_at), s.unique_id), "");
    }
    const bool was_open = before && before->session.active;
    if (was_open != s.active) set_open(w, after, s.active);
    const SessionCounters old = before ? before->session.counters : SessionCounters{};
    Usage delta{s.counters.input_bytes - old.input_bytes,
                s.counters.output_bytes - old.output_bytes,
                s.counters.session_seconds - old.session_seconds};
    if (delta == Usage{}) return;
    const auto day = key_of("d", s.username, day_of(at));
    auto u = parse_usage(w.get(day));
    u.input_bytes += delta.input_bytes;
    u.output_bytes += delta.output_bytes;
    u.online_seconds += delta.online_seconds;
    w.put(day, usage_text(u));
}

core::Result<void> apply_session(const SessionEvent& event, const events::RecordedEvent& e,
                                 ProjectionWrites& w) {
    const auto id = std::visit(
        [](const auto& x) {
            if constexpr (requires { x.session; })
                return x.session.unique_id;
            else
                return x.unique_id;
        },
        event);
    std::optional<SessionRow> before;
    if (auto text = w.get(session_key(id))) before = parse_row(*text);
    // The decider's own fold, on a book of this one session.
    SessionBook book;
    if (before) book.sessions[id] = before->session;
    evolve(book, event);
    auto it = book.sessions.find(id);
    if (it == book.sessions.end()) return {};
    SessionRow after{it->second, before ? before->plan_id : std::string()};
    if (!before) after.plan_id = w.get(key_of("p", it->second.username)).value_or("");
    store(w, before, after, e.time);
    return {};
}

core::Result<void> apply_account(const AccountEvent& event, const events::RecordedEvent&,
                                 ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const AccountCreated& c) {
                       w.put(key_of("p", c.account.username), c.account.plan_id);
                   },
                   [&](const AccountPlanChanged& c) { w.put(key_of("p", c.username), c.plan_id); },
                   [](const auto&) {}},
               event);
    return {};
}

template <class Fn>
void scan_after(const ReadModelView& view, const std::string& prefix, const std::string& after,
                Fn&& fn) {
    std::string start = after.empty() ? std::string() : prefix + after;
    view.scan(prefix, start, [&](std::string_view key, std::string_view value) {
        if (!after.empty() && key == start) return true;  // the cursor itself
        return fn(key.substr(prefix.size()), value);
    });
}

std::int64_t count_prefix(const ReadModelView& view, const std::string& prefix) {
    std::int64_t n = 0;
    view.scan(prefix, "", [&](std::string_view, std::string_view) {
        ++n;
        return true;
    });
    return n;
}

/// The types the sessions model applies: sessions, and accounts for the plan of each user.
bool is_session_model_type(std::string_view type) {
    return type.starts_with("hotspot.session.") || type == AccountCreated::kType ||
           type == AccountPlanChanged::kType;
}

}  // namespace

std::unique_ptr<Projector> make_hotspot_sessions_projector() {
    return make_projector(
        kHotspotSessions,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (e.type.starts_with("hotspot.session.")) {
                return apply_session(SY_TRY(events::hotspot::decode_session_event(e)), e, w);
            }
            if (e.type == AccountCreated::kType || e.type == AccountPlanChanged::kType) {
                return apply_account(SY_TRY(events::hotspot::decode_account_event(e)), e, w);
            }
            return {};
        },
        &is_session_model_type);
}

std::optional<SessionRow> find_session(const ReadModelView& view, const std::string& unique_id) {
    auto text = view.get(session_key(unique_id));
    if (!text) return std::nullopt;
    return parse_row(*text);
}

SessionPage list_sessions(const ReadModelView& view, const SessionFilter& filter,
                          const std::string& after, std::size_t limit) {
    SessionPage page;
    std::string prefix;
    const bool only_active = filter.active.value_or(false);
    if (!filter.username.empty())
        prefix = (only_active ? "au/" : "h/") + filter.username + "/";
    else if (!filter.nas_id.empty())
        prefix = (only_active ? "an/" : "n/") + filter.nas_id + "/";
    else
        prefix = only_active ? "an/" : "n/";
    std::string last;
    scan_after(view, prefix, after, [&](std::string_view rest, std::string_view) {
        const auto id = std::string(rest.substr(rest.rfind('/') + 1));
        auto row = find_session(view, id);
        if (!row) return true;
        const auto& s = row->session;
        if (!filter.nas_id.empty() && s.nas_id != filter.nas_id) return true;
        if (!filter.username.empty() && s.username != filter.username) return true;
        if (filter.active && s.active != *filter.active) return true;
        if (!filter.nas_ids.empty() && std::find(filter.nas_ids.begin(), filter.nas_ids.end(),
                                                 s.nas_id) == filter.nas_ids.end())
            return true;
        if (page.sessions.size() == limit) {
            page.next = last;
            return false;
        }
        page.sessions.push_back(std::move(*row));
        last = std::string(rest);
        return true;
    });
    return page;
}

std::vector<DailyUsage> usage_by_day(const ReadModelView& view, const std::string& username,
                                     const std::string& from, const std::string& to) {
    std::vector<DailyUsage> out;
    const auto prefix = key_of("d", username) + "/";
    view.scan(prefix, from.empty() ? std::string() : prefix + from,
              [&](std::string_view key, std::string_view value) {
                  const auto day = std::string(key.substr(prefix.size()));
                  if (!to.empty() && day > to) return false;
                  out.push_back({day, parse_usage(std::string(value))});
                  return true;
              });
    return out;
}

std::int64_t active_on_nas(const ReadModelView& view, const std::string& nas_id) {
    return count_prefix(view, key_of("an", nas_id) + "/");
}
std::int64_t active_on_plan(const ReadModelView& view, const std::string& plan_id) {
    return count_prefix(view, key_of("ap", plan_id) + "/");
}
std::int64_t active_of_user(const ReadModelView& view, const std::string& username) {
    return count_prefix(view, key_of("au", username) + "/");
}

}  // namespace switchyard::projections::hotspot
