#include "projections/identity/users.hpp"

#include "events/identity/user_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::identity {

namespace json = events::json;
using namespace core::identity;

namespace {

/// Operator staff reach everything; resellers their subtree; customers and carriers only what
/// they own themselves (their own scope).
std::string scope_of(const std::string& role, const std::string& owner_path,
                     const std::string& user_id) {
    if (role == "admin" || role == "support") return "/";
    return owner_path + user_id + "/";
}

core::Result<void> apply_user_event(const UserEvent& event, const events::RecordedEvent&,
                                    ProjectionWrites& w) {
    if (auto* c = std::get_if<UserCreated>(&event)) {
        json::object o{
            {"user_id", c->user_id},       {"username", c->username},
            {"role", to_string(c->role)},  {"parent_id", events::opt_string(c->parent_id)},
            {"owner_path", c->owner_path}, {"created_at", core::format_rfc3339(c->created_at)},
            {"allowlist", json::array()}};
        w.put("u/" + c->user_id, json::serialize(o));
        w.put("o/" + c->owner_path + c->user_id, c->user_id);
        w.put("n/" + username_key(c->username), c->user_id);
    } else if (auto* a = std::get_if<AllowlistSet>(&event)) {
        update_json_object(w, "u/" + a->user_id,
                           [&](json::object& o) { o["allowlist"] = events::strings(a->cidrs); });
    } else if (auto* s = std::get_if<SessionStarted>(&event)) {
        auto user = w.get("u/" + s->user_id);
        if (!user) return {};  // cannot happen: the user stream starts with its creation
        auto row = SY_TRY(events::with_json_object(*user, [](const events::JsonObject& o) {
            return std::pair{o.str("role"), o.str("owner_path")};
        }));
        json::object o{{"session_id", s->session_id},
                       {"user_id", s->user_id},
                       {"role", row.first},
                       {"scope", scope_of(row.first, row.second, s->user_id)},
                       {"started_at", core::format_rfc3339(s->started_at)},
                       {"expires_at", core::format_rfc3339(s->expires_at)},
                       {"restriction", s->restriction}};
        // Only when true: rows of older sessions (and their rebuilds) stay byte-identical.
        if (s->second_factor) o["second_factor"] = true;
        w.put("t/" + s->token_hash, json::serialize(o));
        w.put("s/" + s->session_id, s->token_hash);
    } else if (auto* end = std::get_if<SessionEnded>(&event)) {
        if (auto token_hash = w.get("s/" + end->session_id)) {
            w.erase("t/" + *token_hash);
            w.erase("s/" + end->session_id);
        }
    }
    return {};
}

std::optional<UserRow> decode_user(std::string_view text) {
    return decode_json_row(text, [&](const events::JsonObject& o) {
        return UserRow{o.str("user_id"),       o.str("username"),      o.str("role"),
                       o.opt_str("parent_id"), o.str("owner_path"),    o.str("created_at"),
                       std::string(text),      o.str_list("allowlist")};
    });
}

std::optional<SessionRow> decode_session(std::string_view text) {
    std::optional<SessionRestriction> restriction;
    auto row = decode_json_row(text, [&restriction](const events::JsonObject& o) {
        restriction = parse_session_restriction(o.opt_str("restriction"));
        return SessionRow{o.str("session_id"),
                          o.str("user_id"),
                          o.str("role"),
                          o.str("scope"),
                          core::parse_rfc3339(o.str("started_at")).value_or(core::Timestamp{}),
                          core::parse_rfc3339(o.str("expires_at")).value_or(core::Timestamp{}),
                          restriction.value_or(SessionRestriction::None),
                          o.opt_boolean("second_factor", false)};
    });
    // A restriction this build does not know is not honoured: no session.
    if (!row || !restriction) return std::nullopt;
    return row;
}

}  // namespace

std::unique_ptr<Projector> make_users_projector() {
    return make_projector<UserEvent>(kUsers, events::identity::decode_user_event, apply_user_event);
}

std::optional<UserRow> find_user(const ReadModelView& view, const std::string& user_id) {
    auto v = view.get("u/" + user_id);
    return v ? decode_user(*v) : std::nullopt;
}

std::optional<UserRow> find_user_by_username(const ReadModelView& view,
                                             const std::string& username) {
    auto id = view.get("n/" + username_key(username));
    return id ? find_user(view, *id) : std::nullopt;
}

std::optional<SessionRow> find_session(const ReadModelView& view, const std::string& token_hash) {
    auto v = view.get("t/" + token_hash);
    return v ? decode_session(*v) : std::nullopt;
}

void scan_users(const ReadModelView& view, const std::string& scope, const std::string& after,
                const std::function<bool(const UserRow&, const std::string& key)>& fn) {
    const std::string prefix = "o/" + scope;
    std::string start = after.empty() ? std::string() : after + '\0';
    view.scan(prefix, start, [&](std::string_view key, std::string_view user_id) {
        auto user = find_user(view, std::string(user_id));
        if (!user) return true;
        return fn(*user, std::string(key));
    });
}

}  // namespace switchyard::projections::identity
