#include "core/iptv/line_decider.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/identity/user.hpp"

namespace switchyard::core::iptv {

const char* to_string(LineStatus status) noexcept {
    switch (status) {
        case LineStatus::Active:
            return "active";
        case LineStatus::Disabled:
            return "disabled";
        case LineStatus::Banned:
            return "banned";
    }
    return "active";
}

bool parse_line_status(std::string_view text, LineStatus& out) noexcept {
    for (auto s : {LineStatus::Active, LineStatus::Disabled, LineStatus::Banned}) {
        if (text == to_string(s)) {
            out = s;
            return true;
        }
    }
    return false;
}

namespace {

bool username_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '@';
}

/// Unreserved URL characters (RFC 3986 section 2.3) plus a few sub-delims that are safe inside
/// a path segment and a query value: players put the password in both.
bool password_char(char c) {
    return username_char(c) || c == '~' || c == '!' || c == '*' || c == '$' || c == '(' || c == ')';
}

Result<void> validate_username(const std::string& u) {
    if (u.size() < 3 || u.size() > 64)
        return fail(Errc::Invalid, "username", "must have 3 to 64 characters");
    if (!std::all_of(u.begin(), u.end(), username_char)) {
        return fail(Errc::Invalid, "username", "may contain only A-Z a-z 0-9 . _ - @");
    }
    return {};
}

Result<void> validate_password(const std::string& p) {
    if (p.size() < 8 || p.size() > 64)
        return fail(Errc::Invalid, "password", "must have 8 to 64 characters");
    if (!std::all_of(p.begin(), p.end(), password_char)) {
        return fail(Errc::Invalid, "password",
                    "may contain only A-Z a-z 0-9 and . _ - @ ~ ! * $ ( )");
    }
    return {};
}

Result<void> validate_settings(const LineSettings& s, const CatalogueState& catalogue) {
    if (s.max_connections < 1 || s.max_connections > 1000) {
        return fail(Errc::Invalid, "max_connections", "must be from 1 to 1000");
    }
    if (s.signed_url_ttl_s != 0 && (s.signed_url_ttl_s < 60 || s.signed_url_ttl_s > 2'592'000)) {
        return fail(Errc::Invalid, "signed_url_ttl_s",
                    "must be 0 (no signed URLs) or from 60 to 2592000 seconds");
    }
    if (s.exp_date && (*s.exp_date < 0 || *s.exp_date > 253402300799)) {
        return fail(Errc::Invalid, "exp_date",
                    "must be Unix seconds between 1970 and 9999, or null");
    }
    if (s.allowed_output_formats.empty()) {
        return fail(Errc::Invalid, "allowed_output_formats", "must name at least one format");
    }
    std::set<std::string> formats;
    for (std::size_t i = 0; i < s.allowed_output_formats.size(); ++i) {
        const auto& f = s.allowed_output_formats[i];
        if (f != "m3u8" && f != "ts" && f != "rtmp") {
            return fail(Errc::Invalid, fmt::format("allowed_output_formats[{}]", i),
                        "must be m3u8, ts or rtmp");
        }
        if (!formats.insert(f).second) {
            return fail(Errc::Invalid, fmt::format("allowed_output_formats[{}]", i),
                        "is listed twice");
        }
    }
    std::set<std::int64_t> seen;
    for (std::size_t i = 0; i < s.bouquets.size(); ++i) {
        const auto field = fmt::format("bouquets[{}]", i);
        if (!catalogue.bouquet(s.bouquets[i])) {
            return fail(Errc::NotFound, field,
                        fmt::format("bouquet {} does not exist", s.bouquets[i]));
        }
        if (!seen.insert(s.bouquets[i]).second)
            return fail(Errc::Invalid, field, "is listed twice");
    }
    return {};
}

std::string hash_password(const DecisionContext& ctx, const std::string& password) {
    return ctx.hash_secret ? ctx.hash_secret(password) : std::string();
}

}  // namespace

void evolve(LineRegistryState& state, const LineRegistryEvent& event) {
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, UsernameClaimed>) {
                state.usernames[identity::username_key(e.username)] = {e.line_id, e.command_id};
                state.next_line_id = std::max(state.next_line_id, e.line_id + 1);
            } else {
                auto it = state.usernames.find(identity::username_key(e.username));
                if (it != state.usernames.end() && it->second.line_id == e.line_id)
                    state.usernames.erase(it);
            }
        },
        event);
}

void evolve(LineState& state, const LineEvent& event) {
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, LineCreated>) {
                state.exists = true;
                state.owner_path = e.owner_path;
                state.line_id = e.line_id;
                state.username = e.username;
                state.password_hash = e.password_hash;
                state.settings = e.settings;
                state.created_at = e.created_at;
            } else if constexpr (std::is_same_v<T, LineUpdated>) {
                state.settings = e.settings;
            } else if constexpr (std::is_same_v<T, LinePasswordChanged>) {
                state.password_hash = e.password_hash;
            } else {
                state.deleted = true;
            }
        },
        event);
}

Result<LineDecision> decide(const LineRegistryState& registry, const CatalogueState& catalogue,
                            const CreateLine& c, const DecisionContext& ctx) {
    SY_TRY(validate_username(c.username));
    if (c.password) SY_TRY(validate_password(*c.password));
    SY_TRY(validate_settings(c.settings, catalogue));
    if (auto it = registry.usernames.find(identity::username_key(c.username));
        it != registry.usernames.end()) {
        if (!c.command_id.empty() && it->second.command_id == c.command_id) {
            return LineDecision{{}, {}, it->second.line_id, c.password};
        }
        return fail(Errc::Conflict, "username", fmt::format("username '{}' is taken", c.username));
    }
    if (!c.password && ctx.random_secret.size() < kGeneratedPasswordLength) {
        return fail(Errc::Internal, "password", "no randomness in the decision context");
    }
    const auto password =
        c.password.value_or(ctx.random_secret.substr(0, kGeneratedPasswordLength));
    const auto id = registry.next_line_id;
    LineDecision d;
    d.line_id = id;
    d.password = password;
    d.registry_events.push_back(UsernameClaimed{c.username, id, c.command_id});
    d.line_events.push_back(LineCreated{id, c.username, hash_password(ctx, password), c.settings,
                                        ctx.now, c.owner_path});
    return d;
}

Result<LineDecision> decide(const LineState& line, const CatalogueState& catalogue,
                            const UpdateLine& c, const DecisionContext& ctx) {
    if (!line.exists || line.deleted) {
        return fail(Errc::NotFound, "line_id", fmt::format("line {} does not exist", c.line_id));
    }
    const LineSettings s = with_changes(line.settings, c);
    SY_TRY(validate_settings(s, catalogue));
    LineDecision d;
    d.line_id = c.line_id;
    if (s != line.settings) d.line_events.push_back(LineUpdated{c.line_id, s});
    if (c.password) {
        SY_TRY(validate_password(*c.password));
        auto hash = hash_password(ctx, *c.password);
        if (hash != line.password_hash)
            d.line_events.push_back(LinePasswordChanged{c.line_id, hash});
        d.password = c.password;
    }
    return d;
}

Result<LineDecision> decide(const LineState& line, const DeleteLine& c, const DecisionContext&) {
    if (!line.exists)
        return fail(Errc::NotFound, "line_id", fmt::format("line {} does not exist", c.line_id));
    LineDecision d;
    d.line_id = c.line_id;
    if (line.deleted) return d;
    d.line_events.push_back(LineDeleted{c.line_id, line.username});
    d.registry_events.push_back(UsernameReleased{line.username, c.line_id});
    return d;
}

LineSettings with_changes(LineSettings s, const UpdateLine& c) {
    if (c.status) s.status = *c.status;
    if (c.exp_date) s.exp_date = *c.exp_date;
    if (c.max_connections) s.max_connections = *c.max_connections;
    if (c.is_trial) s.is_trial = *c.is_trial;
    if (c.allowed_output_formats) s.allowed_output_formats = *c.allowed_output_formats;
    if (c.bouquets) s.bouquets = *c.bouquets;
    if (c.signed_url_ttl_s) s.signed_url_ttl_s = *c.signed_url_ttl_s;
    return s;
}

bool line_usable(const LineSettings& settings, Timestamp now) {
    if (settings.status != LineStatus::Active) return false;
    return !settings.exp_date || unix_seconds(now) < *settings.exp_date;
}

Result<void> check_output_allowed(const LineSettings& settings, std::string_view format) {
    const auto& formats = settings.allowed_output_formats;
    if (std::find(formats.begin(), formats.end(), format) != formats.end()) return {};
    return fail(Errc::Forbidden, "output",
                fmt::format("this line may not use the {} output", format));
}

}  // namespace switchyard::core::iptv
