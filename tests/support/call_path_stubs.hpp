#pragma once
/// Test-only stand-ins for the three call-path interfaces (core/voice/call_path.hpp), until the
/// real trunk directory, router and admission are wired in: one trunk by source IP (and one
/// digest user), a fixed plan of carrier gateways, and an admission with a channel counter and
/// a prepaid amount. Thread-safe (Kamailio asks from several workers).

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/voice/call_path.hpp"

namespace switchyard::testing {

/// Identifies one trunk: INVITEs from `source_ip` (or with digest user `digest_user` once
/// verified) belong to customer `customer_id`; a dialled number starting with `tech_prefix` has
/// it stripped. Dialled numbers starting `999` are refused `403 Balance exhausted`.
struct StubTrunks : core::voice::TrunkDirectory {
    std::string source_ip = "127.0.0.1";
    std::int64_t customer_id = 7;
    std::string tech_prefix;
    std::string digest_user, digest_realm, digest_ha1;
    bool require_digest = false;

    core::Result<std::variant<core::voice::TrunkMatch, core::voice::CallRefusal>> identify(
        const core::voice::CallSetup& s) const override {
        using R = std::variant<core::voice::TrunkMatch, core::voice::CallRefusal>;
        if (require_digest && s.auth_user.empty())
            return R{core::voice::CallRefusal{407, "Proxy Authentication Required", "challenge"}};
        if (s.source_ip != source_ip && (s.auth_user.empty() || s.auth_user != digest_user))
            return R{core::voice::CallRefusal{403, "Unknown Trunk", "unknown_trunk"}};
        core::voice::TrunkMatch t;
        t.customer_id = customer_id;
        t.trunk_id = "trunk-1";
        t.tech_prefix = tech_prefix;
        t.destination =
            s.ruri_user.substr(s.ruri_user.starts_with(tech_prefix) ? tech_prefix.size() : 0);
        t.caller = s.from_user;
        t.sell_rating_plan = "PLAN";
        t.currency = "EUR";
        return R{t};
    }
    core::Result<std::string> ha1(const std::string& user,
                                  const std::string& realm) const override {
        if (user != digest_user || realm != digest_realm || digest_user.empty())
            return core::fail(core::Errc::NotFound, "username", "no such digest user");
        return digest_ha1;
    }
};

/// One carrier gateway of the fixed plan.
struct StubGateway {
    std::string carrier_id;
    std::string host_port;  ///< `127.0.0.1:15071`
};

/// Routes every destination over `gateways` in order (`sip:<number>@host:port`).
struct StubRouter : core::voice::CallRouter {
    std::vector<StubGateway> gateways;
    std::int64_t max_attempts = 3;
    core::Result<core::voice::RoutePlan> plan(const core::voice::TrunkMatch& t,
                                              core::Timestamp) const override {
        core::voice::RoutePlan p;
        p.strategy = "priority";
        p.max_attempts = max_attempts;
        int rank = 0;
        for (const auto& g : gateways) {
            core::voice::RouteOption o;
            o.carrier_id = g.carrier_id;
            o.gateway_id = g.carrier_id + "-gw";
            o.uri = "sip:" + t.destination + "@" + g.host_port;
            o.dst_uri = "sip:" + g.host_port;
            o.extra_headers = "X-Sy-Carrier: " + g.carrier_id + "\r\n";
            o.matched_prefix = t.destination.substr(0, 2);
            o.buy_per_minute = 10'000;
            o.sell_per_minute = 20'000;
            o.why = "priority " + std::to_string(++rank);
            p.routes.push_back(o);
        }
        return p;
    }
};

/// Grants `max_duration_s` to at most `channels` concurrent calls; `refuse_all` refuses every
/// call with 402 Balance exhausted. Records moves, releases and restores.
struct StubAdmission : core::voice::CallAdmission {
    std::int64_t channels = 100;
    std::int64_t max_duration_s = 60;
    bool refuse_all = false;
    mutable std::mutex mu;
    std::map<std::string, std::string> active;  ///< call id -> carrier
    std::vector<std::string> released, moves, restored;

    core::Result<std::variant<core::voice::Admission, core::voice::CallRefusal>> admit(
        const core::voice::CallSetup& s, const core::voice::TrunkMatch&,
        const core::voice::RoutePlan& plan) override {
        using R = std::variant<core::voice::Admission, core::voice::CallRefusal>;
        std::lock_guard lock(mu);
        if (refuse_all)
            return R{core::voice::CallRefusal{402, "Balance exhausted", "balance_exhausted"}};
        if (!active.count(s.call_id)) {
            if (static_cast<std::int64_t>(active.size()) >= channels)
                return R{core::voice::CallRefusal{503, "Channel limit", "channel_limit"}};
            active[s.call_id] = plan.routes.front().carrier_id;
        }
        return R{core::voice::Admission{max_duration_s, 0, 20'000}};
    }
    void moved(const std::string& call_id, const std::string& carrier) override {
        std::lock_guard lock(mu);
        moves.push_back(call_id + "->" + carrier);
        if (active.count(call_id)) active[call_id] = carrier;
    }
    void release(const std::string& call_id) override {
        std::lock_guard lock(mu);
        if (active.erase(call_id)) released.push_back(call_id);
    }
    void restore(const core::voice::CallRouted& r, const std::string& carrier) override {
        std::lock_guard lock(mu);
        active[r.setup.call_id] = carrier;
        restored.push_back(r.setup.call_id);
    }
    std::size_t open() const {
        std::lock_guard lock(mu);
        return active.size();
    }
};

}  // namespace switchyard::testing
