#include "core/voice/extension.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/overloaded.hpp"

namespace switchyard::core::voice {

namespace {

template <class E, std::size_t N>
bool parse_enum(std::string_view text, E& out, const char* const (&names)[N]) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (text == names[i]) {
            out = static_cast<E>(i);
            return true;
        }
    return false;
}

constexpr const char* kConditions[] = {"always", "busy", "no_answer", "unavailable"};
constexpr const char* kTargetKinds[] = {"none",   "extension", "ring_group",
                                        "number", "uri",       "media_server"};
constexpr const char* kStrategies[] = {"parallel", "sequential"};
constexpr const char* kPurposes[] = {"ivr", "queue", "voicemail", "recording"};

bool valid_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

bool digits(std::string_view s, std::size_t min, std::size_t max) noexcept {
    return s.size() >= min && s.size() <= max &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool printable(std::string_view s, std::size_t max) noexcept {
    return s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
               return static_cast<unsigned char>(c) >= ' ' && c != 127;
           });
}

bool valid_uri(std::string_view u) noexcept {
    if (!(u.starts_with("sip:") || u.starts_with("sips:")) || u.size() > 256) return false;
    if (u.substr(u.find(':') + 1).empty()) return false;
    return std::all_of(u.begin(), u.end(), [](char c) { return c > ' ' && c < 127; });
}

std::string number_key(std::int64_t customer_id, const std::string& number) {
    return std::to_string(customer_id) + "/" + number;
}

/// Invalid/NotFound when `kind`/`value` is no target `customer_id` may point at.
Result<void> check_target(const PbxState& s, std::int64_t customer_id, TargetKind kind,
                          const std::string& value, const char* field) {
    switch (kind) {
        case TargetKind::None:
            return fail(Errc::Invalid, field, "needs a target kind");
        case TargetKind::Extension: {
            auto it = s.extensions.find(value);
            if (it == s.extensions.end() || it->second.extension.customer_id != customer_id)
                return fail(Errc::NotFound, field,
                            fmt::format("no extension '{}' of the customer", value));
            return {};
        }
        case TargetKind::RingGroup: {
            auto it = s.ring_groups.find(value);
            if (it == s.ring_groups.end() || it->second.customer_id != customer_id)
                return fail(Errc::NotFound, field,
                            fmt::format("no ring group '{}' of the customer", value));
            return {};
        }
        case TargetKind::Number:
            if (!digits(value, 6, 15) || value.front() == '0')
                return fail(Errc::Invalid, field,
                            fmt::format("'{}' is not an E.164 number (6 to 15 digits)", value));
            return {};
        case TargetKind::Uri:
            if (!valid_uri(value))
                return fail(Errc::Invalid, field,
                            fmt::format("'{}' is not a sip: or sips: URI", value));
            return {};
        case TargetKind::MediaServer: {
            auto it = s.media_servers.find(value);
            if (it == s.media_servers.end() ||
                (it->second.customer_id != 0 && it->second.customer_id != customer_id))
                return fail(Errc::NotFound, field, fmt::format("no media server '{}'", value));
            return {};
        }
    }
    return {};
}

/// Who points at `kind`/`id` (a forward, a ring group's member or fallback); empty for none.
std::string referrer(const PbxState& s, TargetKind kind, const std::string& id) {
    for (const auto& [eid, e] : s.extensions)
        for (const auto& f : e.extension.forwards)
            if (f.kind == kind && f.value == id) return "extension '" + eid + "'";
    for (const auto& [gid, g] : s.ring_groups) {
        if (g.fallback_kind == kind && g.fallback_value == id) return "ring group '" + gid + "'";
        if (kind == TargetKind::Extension)
            for (const auto& m : g.members)
                if (m.extension_id == id) return "ring group '" + gid + "'";
    }
    return {};
}

Result<void> check_number(const PbxState& s, std::int64_t customer_id, const std::string& number,
                          const std::string& self) {
    auto it = s.numbers.find(number_key(customer_id, number));
    if (it != s.numbers.end() && it->second != self)
        return fail(Errc::Conflict, "number",
                    fmt::format("number {} is taken by {}", number, it->second));
    return {};
}

}  // namespace

const char* to_string(ForwardCondition c) noexcept { return kConditions[static_cast<int>(c)]; }
bool parse_forward_condition(std::string_view text, ForwardCondition& out) noexcept {
    return parse_enum(text, out, kConditions);
}
const char* to_string(TargetKind k) noexcept { return kTargetKinds[static_cast<int>(k)]; }
bool parse_target_kind(std::string_view text, TargetKind& out) noexcept {
    return parse_enum(text, out, kTargetKinds);
}
const char* to_string(RingStrategy s) noexcept { return kStrategies[static_cast<int>(s)]; }
bool parse_ring_strategy(std::string_view text, RingStrategy& out) noexcept {
    return parse_enum(text, out, kStrategies);
}
const char* to_string(MediaPurpose p) noexcept { return kPurposes[static_cast<int>(p)]; }
bool parse_media_purpose(std::string_view text, MediaPurpose& out) noexcept {
    return parse_enum(text, out, kPurposes);
}

bool valid_extension_username(std::string_view name) noexcept {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    });
}

// ---- evolve ----

void evolve(PbxState& s, const PbxEvent& event) {
    ++s.version;
    std::visit(core::Overloaded{
                   [&](const ExtensionDefined& e) {
                       const auto& x = e.extension;
                       auto& entry = s.extensions[x.extension_id];
                       if (!entry.extension.extension_id.empty()) {
                           s.usernames.erase(entry.extension.username);
                           s.numbers.erase(
                               number_key(entry.extension.customer_id, entry.extension.number));
                           if (entry.extension.username != x.username) entry.credential.reset();
                       }
                       entry.extension = x;
                       s.usernames[x.username] = x.extension_id;
                       s.numbers[number_key(x.customer_id, x.number)] =
                           "extension:" + x.extension_id;
                   },
                   [&](const ExtensionPasswordSet& e) {
                       auto it = s.extensions.find(e.extension_id);
                       if (it != s.extensions.end()) it->second.credential = e.credential;
                   },
                   [&](const ExtensionRemoved& e) {
                       auto it = s.extensions.find(e.extension_id);
                       if (it == s.extensions.end()) return;
                       s.usernames.erase(it->second.extension.username);
                       s.numbers.erase(number_key(it->second.extension.customer_id,
                                                  it->second.extension.number));
                       s.extensions.erase(it);
                   },
                   [&](const RingGroupDefined& e) {
                       const auto& g = e.ring_group;
                       if (auto it = s.ring_groups.find(g.ring_group_id);
                           it != s.ring_groups.end() && !it->second.number.empty())
                           s.numbers.erase(number_key(it->second.customer_id, it->second.number));
                       s.ring_groups[g.ring_group_id] = g;
                       if (!g.number.empty())
                           s.numbers[number_key(g.customer_id, g.number)] =
                               "ring_group:" + g.ring_group_id;
                   },
                   [&](const RingGroupRemoved& e) {
                       auto it = s.ring_groups.find(e.ring_group_id);
                       if (it == s.ring_groups.end()) return;
                       if (!it->second.number.empty())
                           s.numbers.erase(number_key(it->second.customer_id, it->second.number));
                       s.ring_groups.erase(it);
                   },
                   [&](const MediaServerDefined& e) {
                       s.media_servers[e.media_server.media_server_id] = e.media_server;
                   },
                   [&](const MediaServerRemoved& e) { s.media_servers.erase(e.media_server_id); },
               },
               event);
}

// ---- decide ----

Result<std::vector<PbxEvent>> decide(const PbxState& s, const DefineExtension& c,
                                     const DecisionContext& ctx) {
    Extension x = c.extension;
    if (!valid_id(x.extension_id))
        return fail(Errc::Invalid, "extension_id", "must be 1 to 32 of [a-z0-9_-]");
    if (x.customer_id <= 0) return fail(Errc::Invalid, "customer_id", "must be a customer id");
    if (!digits(x.number, 2, 8)) return fail(Errc::Invalid, "number", "must be 2 to 8 digits");
    if (!printable(x.name, 64))
        return fail(Errc::Invalid, "name", "must be at most 64 printable characters");
    if (x.username.empty()) x.username = x.number;
    if (!valid_extension_username(x.username))
        return fail(Errc::Invalid, "username", "must be 1 to 64 of [A-Za-z0-9_.-]");
    auto current = s.extensions.find(x.extension_id);
    if (current != s.extensions.end()) {
        if (current->second.extension.customer_id != x.customer_id)
            return fail(Errc::Rejected, "customer_id", "an extension keeps its customer");
        x.created_at = current->second.extension.created_at;
    } else {
        x.created_at = ctx.now;
    }
    SY_TRY(check_number(s, x.customer_id, x.number, "extension:" + x.extension_id));
    if (auto u = s.usernames.find(x.username);
        u != s.usernames.end() && u->second != x.extension_id)
        return fail(Errc::Conflict, "username",
                    fmt::format("username '{}' is taken by extension '{}'", x.username, u->second));
    if (x.forwards.size() > 4) return fail(Errc::Invalid, "forwards", "at most 4 rules");
    std::set<ForwardCondition> seen;
    for (auto& f : x.forwards) {
        if (!seen.insert(f.condition).second)
            return fail(Errc::Invalid, "forwards",
                        fmt::format("two rules for '{}'", to_string(f.condition)));
        SY_TRY(check_target(s, x.customer_id, f.kind, f.value, "forwards"));
        if (f.kind == TargetKind::Extension && f.value == x.extension_id)
            return fail(Errc::Invalid, "forwards", "an extension cannot forward to itself");
        if (f.condition == ForwardCondition::NoAnswer) {
            if (f.after_s == 0) f.after_s = 20;
            if (f.after_s < 5 || f.after_s > 120)
                return fail(Errc::Invalid, "forwards", "after_s must be 5 to 120 seconds");
        } else {
            f.after_s = 0;
        }
    }
    if (current != s.extensions.end() && current->second.extension == x) return {};
    return std::vector<PbxEvent>{ExtensionDefined{std::move(x)}};
}

Result<std::vector<PbxEvent>> decide(const PbxState& s, const SetExtensionPassword& c,
                                     const DecisionContext&) {
    auto it = s.extensions.find(c.extension_id);
    if (it == s.extensions.end())
        return fail(Errc::NotFound, "extension_id", "no extension '" + c.extension_id + "'");
    if (c.credential.username != it->second.extension.username)
        return fail(Errc::Rejected, "username", "the credential was made for another username");
    if (c.credential.realm.empty()) return fail(Errc::Invalid, "realm", "is required");
    if (c.credential.ha1_sealed.empty()) return fail(Errc::Invalid, "ha1_sealed", "is required");
    return std::vector<PbxEvent>{ExtensionPasswordSet{c.extension_id, c.credential}};
}

Result<std::vector<PbxEvent>> decide(const PbxState& s, const RemoveExtension& c,
                                     const DecisionContext&) {
    if (!s.extensions.contains(c.extension_id))
        return fail(Errc::NotFound, "extension_id", "no extension '" + c.extension_id + "'");
    if (auto who = referrer(s, TargetKind::Extension, c.extension_id); !who.empty())
        return fail(Errc::Conflict, "extension_id", who + " points at it");
    return std::vector<PbxEvent>{ExtensionRemoved{c.extension_id}};
}

Result<std::vector<PbxEvent>> decide(const PbxState& s, const DefineRingGroup& c,
                                     const DecisionContext&) {
    const auto& g = c.ring_group;
    if (!valid_id(g.ring_group_id))
        return fail(Errc::Invalid, "ring_group_id", "must be 1 to 32 of [a-z0-9_-]");
    if (g.customer_id <= 0) return fail(Errc::Invalid, "customer_id", "must be a customer id");
    if (!g.number.empty() && !digits(g.number, 2, 8))
        return fail(Errc::Invalid, "number", "must be 2 to 8 digits");
    if (!printable(g.name, 64))
        return fail(Errc::Invalid, "name", "must be at most 64 printable characters");
    if (g.ring_s < 5 || g.ring_s > 120)
        return fail(Errc::Invalid, "ring_s", "must be 5 to 120 seconds");
    auto current = s.ring_groups.find(g.ring_group_id);
    if (current != s.ring_groups.end() && current->second.customer_id != g.customer_id)
        return fail(Errc::Rejected, "customer_id", "a ring group keeps its customer");
    if (!g.number.empty())
        SY_TRY(check_number(s, g.customer_id, g.number, "ring_group:" + g.ring_group_id));
    if (g.members.empty() || g.members.size() > 16)
        return fail(Errc::Invalid, "members", "must list 1 to 16 extensions");
    std::set<std::string> seen;
    for (const auto& m : g.members) {
        if (!seen.insert(m.extension_id).second)
            return fail(Errc::Invalid, "members", "lists '" + m.extension_id + "' twice");
        if (m.ring_s < 5 || m.ring_s > 120)
            return fail(Errc::Invalid, "members", "ring_s must be 5 to 120 seconds");
        SY_TRY(check_target(s, g.customer_id, TargetKind::Extension, m.extension_id, "members"));
    }
    if (g.fallback_kind != TargetKind::None) {
        SY_TRY(check_target(s, g.customer_id, g.fallback_kind, g.fallback_value, "fallback"));
        if (g.fallback_kind == TargetKind::RingGroup && g.fallback_value == g.ring_group_id)
            return fail(Errc::Invalid, "fallback", "a ring group cannot fall back to itself");
    } else if (!g.fallback_value.empty()) {
        return fail(Errc::Invalid, "fallback", "a value needs a kind");
    }
    if (current != s.ring_groups.end() && current->second == g) return {};
    return std::vector<PbxEvent>{RingGroupDefined{g}};
}

Result<std::vector<PbxEvent>> decide(const PbxState& s, const RemoveRingGroup& c,
                                     const DecisionContext&) {
    if (!s.ring_groups.contains(c.ring_group_id))
        return fail(Errc::NotFound, "ring_group_id", "no ring group '" + c.ring_group_id + "'");
    if (auto who = referrer(s, TargetKind::RingGroup, c.ring_group_id); !who.empty())
        return fail(Errc::Conflict, "ring_group_id", who + " points at it");
    return std::vector<PbxEvent>{RingGroupRemoved{c.ring_group_id}};
}

Result<std::vector<PbxEvent>> decide(const PbxState& s, const DefineMediaServer& c,
                                     const DecisionContext&) {
    const auto& m = c.media_server;
    if (!valid_id(m.media_server_id))
        return fail(Errc::Invalid, "media_server_id", "must be 1 to 32 of [a-z0-9_-]");
    if (m.customer_id < 0) return fail(Errc::Invalid, "customer_id", "must be 0 or a customer id");
    if (m.name.empty() || !printable(m.name, 64))
        return fail(Errc::Invalid, "name", "must be 1 to 64 printable characters");
    if (!valid_uri(m.uri)) return fail(Errc::Invalid, "uri", "must be a sip: or sips: URI");
    auto current = s.media_servers.find(m.media_server_id);
    if (current != s.media_servers.end() && current->second == m) return {};
    return std::vector<PbxEvent>{MediaServerDefined{m}};
}

Result<std::vector<PbxEvent>> decide(const PbxState& s, const RemoveMediaServer& c,
                                     const DecisionContext&) {
    if (!s.media_servers.contains(c.media_server_id))
        return fail(Errc::NotFound, "media_server_id",
                    "no media server '" + c.media_server_id + "'");
    if (auto who = referrer(s, TargetKind::MediaServer, c.media_server_id); !who.empty())
        return fail(Errc::Conflict, "media_server_id", who + " points at it");
    return std::vector<PbxEvent>{MediaServerRemoved{c.media_server_id}};
}

// ---- routing ----

std::string aor_of(const Extension& e, const std::string& domain) {
    return "sip:" + e.username + "@" + domain;
}

std::optional<std::pair<TargetKind, std::string>> find_number(const PbxState& s,
                                                              std::int64_t customer_id,
                                                              const std::string& number) {
    auto it = s.numbers.find(number_key(customer_id, number));
    if (it == s.numbers.end()) return std::nullopt;
    const auto colon = it->second.find(':');
    const auto kind = it->second.substr(0, colon);
    return std::make_pair(kind == "extension" ? TargetKind::Extension : TargetKind::RingGroup,
                          it->second.substr(colon + 1));
}

namespace {

/// Builds a plan by appending targets; each append returns the 1-based index of the first
/// route it added, 0 when it added none.
struct PlanBuilder {
    const PbxState& s;
    std::int64_t customer_id;
    const PbxPlanOptions& o;
    RoutePlan plan;

    void skip(const std::string& id, const std::string& reason, const std::string& detail) {
        plan.skipped.push_back(SkippedRoute{"", id, reason, detail});
    }

    bool full() const { return plan.routes.size() >= o.max_routes; }

    std::int64_t push(RouteOption r) {
        plan.routes.push_back(std::move(r));
        return static_cast<std::int64_t>(plan.routes.size());
    }

    RouteOption location_route(const Extension& e, std::int64_t ring_ms, std::string why) {
        RouteOption r;
        r.gateway_id = e.extension_id;
        r.uri = aor_of(e, o.domain);
        r.location = true;
        r.ring = {r.uri};
        r.fr_inv_timer_ms = ring_ms;
        r.why = std::move(why);
        return r;
    }

    std::int64_t append(TargetKind kind, const std::string& value, int hops) {
        if (hops > o.max_hops) {
            skip(value, "forward_loop", fmt::format("more than {} forwards", o.max_hops));
            return 0;
        }
        if (full()) {
            skip(value, "max_routes", fmt::format("more than {} routes", o.max_routes));
            return 0;
        }
        switch (kind) {
            case TargetKind::Extension:
                return extension(value, hops);
            case TargetKind::RingGroup:
                return ring_group(value, hops);
            case TargetKind::Uri: {
                RouteOption r;
                r.uri = value;
                r.why = "forward to " + value;
                return push(std::move(r));
            }
            case TargetKind::MediaServer: {
                auto it = s.media_servers.find(value);
                if (it == s.media_servers.end()) {
                    skip(value, "unknown_target", "no media server '" + value + "'");
                    return 0;
                }
                RouteOption r;
                r.gateway_id = value;
                r.uri = it->second.uri;
                r.why = fmt::format("media server {} ({})", value, to_string(it->second.purpose));
                return push(std::move(r));
            }
            case TargetKind::Number: {
                auto routes = o.number_routes ? o.number_routes(customer_id, value)
                                              : std::vector<RouteOption>{};
                if (routes.empty()) {
                    skip(value, "no_route", "no carrier route to " + value);
                    return 0;
                }
                std::int64_t first = 0;
                for (auto& r : routes) {
                    if (full()) break;
                    const auto at = push(std::move(r));
                    if (!first) first = at;
                }
                // each carrier route but the last goes on with the next one
                for (auto i = first; i < static_cast<std::int64_t>(plan.routes.size()); ++i) {
                    auto& r = plan.routes[static_cast<std::size_t>(i - 1)];
                    r.on_no_answer = r.on_unavailable = i + 1;
                }
                return first;
            }
            case TargetKind::None:
                return 0;
        }
        return 0;
    }

    std::int64_t extension(const std::string& id, int hops) {
        auto it = s.extensions.find(id);
        if (it == s.extensions.end() || it->second.extension.customer_id != customer_id) {
            skip(id, "unknown_target", "no extension '" + id + "'");
            return 0;
        }
        const auto& e = it->second.extension;
        const ForwardRule* rules[4] = {};
        for (const auto& f : e.forwards) rules[static_cast<int>(f.condition)] = &f;
        if (const auto* always = rules[static_cast<int>(ForwardCondition::Always)])
            return append(always->kind, always->value, hops + 1);
        const auto* no_answer = rules[static_cast<int>(ForwardCondition::NoAnswer)];
        const auto at = push(location_route(e, no_answer ? no_answer->after_s * 1000 : 0,
                                            fmt::format("extension {} ({})", e.number, id)));
        const auto follow = [&](ForwardCondition c) -> std::int64_t {
            const auto* f = rules[static_cast<int>(c)];
            return f ? append(f->kind, f->value, hops + 1) : 0;
        };
        const auto busy = follow(ForwardCondition::Busy);
        const auto unanswered = follow(ForwardCondition::NoAnswer);
        const auto unavailable = follow(ForwardCondition::Unavailable);
        auto& r = plan.routes[static_cast<std::size_t>(at - 1)];
        r.on_busy = busy;
        r.on_no_answer = unanswered;
        r.on_unavailable = unavailable;
        return at;
    }

    std::int64_t ring_group(const std::string& id, int hops) {
        auto it = s.ring_groups.find(id);
        if (it == s.ring_groups.end() || it->second.customer_id != customer_id) {
            skip(id, "unknown_target", "no ring group '" + id + "'");
            return 0;
        }
        const auto& g = it->second;
        std::vector<const Extension*> members;
        std::vector<std::int64_t> ring_ms;
        for (const auto& m : g.members) {
            auto e = s.extensions.find(m.extension_id);
            if (e == s.extensions.end()) {
                skip(m.extension_id, "unknown_target", "no extension '" + m.extension_id + "'");
                continue;
            }
            members.push_back(&e->second.extension);
            ring_ms.push_back(m.ring_s * 1000);
        }
        std::vector<std::int64_t> mine;
        std::int64_t first = 0;
        if (!members.empty() && g.strategy == RingStrategy::Parallel) {
            auto r = location_route(*members.front(), g.ring_s * 1000,
                                    fmt::format("ring group {} ({}) parallel", g.number, id));
            r.gateway_id = id;
            r.ring.clear();
            for (const auto* m : members) r.ring.push_back(aor_of(*m, o.domain));
            first = push(std::move(r));
            mine.push_back(first);
        } else {
            for (std::size_t i = 0; i < members.size() && !full(); ++i) {
                const auto at = push(location_route(
                    *members[i], ring_ms[i],
                    fmt::format("ring group {} ({}) member {}", g.number, id, i + 1)));
                if (!first) first = at;
                mine.push_back(at);
            }
            // each member goes on with the next one
            for (std::size_t i = 0; i + 1 < mine.size(); ++i) {
                auto& r = plan.routes[static_cast<std::size_t>(mine[i] - 1)];
                r.on_busy = r.on_no_answer = r.on_unavailable = mine[i + 1];
            }
        }
        const auto fallback = g.fallback_kind == TargetKind::None
                                  ? 0
                                  : append(g.fallback_kind, g.fallback_value, hops + 1);
        if (!mine.empty()) {
            auto& last = plan.routes[static_cast<std::size_t>(mine.back() - 1)];
            last.on_busy = last.on_no_answer = last.on_unavailable = fallback;
        }
        return first ? first : fallback;
    }
};

}  // namespace

std::optional<RoutePlan> plan_for(const PbxState& s, std::int64_t customer_id, TargetKind kind,
                                  const std::string& value, const PbxPlanOptions& options) {
    PlanBuilder b{s, customer_id, options, {}};
    b.plan.route_group_id = "pbx:" + std::to_string(customer_id);
    b.plan.strategy = "extension";
    b.append(kind, value, 0);
    if (b.plan.routes.empty()) return std::nullopt;
    b.plan.max_attempts = static_cast<std::int64_t>(b.plan.routes.size());
    return std::move(b.plan);
}

}  // namespace switchyard::core::voice
