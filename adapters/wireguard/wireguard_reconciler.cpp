#include "adapters/wireguard/wireguard_reconciler.hpp"

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "adapters/process/process.hpp"
#include "core/vpn/usage.hpp"
#include "events/uuid.hpp"
#include "projections/vpn/vpn_peers.hpp"
#include "projections/vpn/vpn_usage.hpp"

namespace switchyard::adapters::wireguard {

using core::Errc;
using namespace core::vpn;

core::Result<InterfaceBinding> InterfaceBinding::parse(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        return core::fail(Errc::Invalid, "--wireguard", "expected SERVER_ID=INTERFACE[@NETNS]");
    InterfaceBinding b;
    b.server_id = text.substr(0, eq);
    auto rest = text.substr(eq + 1);
    if (auto at = rest.find('@'); at != std::string::npos) {
        b.netns = rest.substr(at + 1);
        rest = rest.substr(0, at);
    }
    b.interface = rest;
    auto ok = [](const std::string& s) {
        return !s.empty() && s.size() <= 15 && s.front() != '-' &&
               std::all_of(s.begin(), s.end(), [](char c) {
                   return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                          c == '.';
               });
    };
    if (!ok(b.interface))
        return core::fail(Errc::Invalid, "--wireguard",
                          "INTERFACE must be 1 to 15 of A-Z a-z 0-9 _ - .");
    if (!b.netns.empty() && !ok(b.netns))
        return core::fail(Errc::Invalid, "--wireguard",
                          "NETNS must be 1 to 15 of A-Z a-z 0-9 _ - .");
    return b;
}

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        auto end = s.find(sep, start);
        out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

bool number(const std::string& s, std::int64_t& out) {
    if (s == "off") {
        out = 0;
        return true;
    }
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

std::string normalized_ips(const std::string& list) {
    if (list == "(none)") return {};
    auto parts = split(list, ',');
    std::sort(parts.begin(), parts.end());
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

}  // namespace

core::Result<InterfaceState> parse_wg_dump(const std::string& text) {
    InterfaceState s;
    std::istringstream in(text);
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto f = split(line, '\t');
        if (first) {
            if (f.size() != 4 || !number(f[2], s.listen_port))
                return core::fail(Errc::Invalid, "wg",
                                  "the interface line of `wg show dump` is malformed");
            s.private_key = f[0] == "(none)" ? "" : f[0];
            s.public_key = f[1] == "(none)" ? "" : f[1];
            first = false;
            continue;
        }
        InterfacePeer p;
        if (f.size() != 8 || !number(f[4], p.latest_handshake) || !number(f[5], p.rx_bytes) ||
            !number(f[6], p.tx_bytes) || !number(f[7], p.persistent_keepalive))
            return core::fail(Errc::Invalid, "wg", "a peer line of `wg show dump` is malformed");
        p.public_key = f[0];
        p.preshared_key = f[1] == "(none)" ? "" : f[1];
        p.endpoint = f[2];
        p.allowed_ips = normalized_ips(f[3]);
        s.peers.push_back(std::move(p));
    }
    if (first) return core::fail(Errc::Invalid, "wg", "`wg show dump` printed nothing");
    return s;
}

CommandRunner process_runner() {
    return [](const std::vector<std::string>& argv,
              const std::string& input) -> core::Result<std::string> {
        auto r = run_process(argv, input, 10'000, 1 << 20);
        if (r.exit_code != 0 || r.timed_out) {
            auto out = r.output;
            while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
            return core::fail(
                Errc::Unavailable, argv.size() > 4 && argv[0] == "ip" ? argv[4] : argv[0],
                fmt::format("exit {}{}: {}", r.exit_code, r.timed_out ? " (timed out)" : "", out));
        }
        return r.output;
    };
}

struct WireguardReconciler::Impl {
    InterfaceBinding binding;
    events::vpn::VpnService& vpn;
    projections::ProjectionRunner& runner;
    const core::Clock& clock;
    CommandRunner run;
    /// Interface counters at the last record per public key (seeded from `vpn_usage`).
    std::map<std::string, projections::vpn::PeerCounters> counters;

    std::mutex mu;
    std::condition_variable cv;
    bool stopping = false;
    std::thread thread;

    core::Result<std::string> wg(std::vector<std::string> args, const std::string& input = "") {
        std::vector<std::string> argv;
        if (!binding.netns.empty()) argv = {"ip", "netns", "exec", binding.netns};
        argv.push_back("wg");
        argv.insert(argv.end(), args.begin(), args.end());
        return run(argv, input);
    }

    core::DecisionContext context() const {
        core::DecisionContext ctx;
        ctx.now = clock.now();
        ctx.actor = core::Actor{core::ActorKind::System, "wireguard:" + binding.server_id, ""};
        ctx.correlation_id = events::new_uuid_v7(ctx.now);
        return ctx;
    }

    core::Result<const projections::ReadModelView*> view(const char* name) {
        const auto* v = runner.view(name);
        if (!v) return core::fail(Errc::Unavailable, name, "read model is not open");
        return v;
    }

    /// Waits until the read models hold what was just appended (next reads must see it).
    void settle(const std::vector<events::Position>& positions) {
        if (!positions.empty()) runner.wait_for(positions, std::chrono::seconds(10));
    }

    core::Result<PassReport> pass() {
        PassReport report;
        const auto now = clock.now();
        auto network = SY_TRY(vpn.network());
        auto server = network.servers.find(binding.server_id);
        if (server == network.servers.end())
            return core::fail(Errc::NotFound, "server_id",
                              fmt::format("server '{}' does not exist", binding.server_id));
        auto actual = SY_TRY(parse_wg_dump(SY_TRY(wg({"show", binding.interface, "dump"}))));

        // The interface's own key and port.
        if (actual.public_key != server->second.public_key ||
            actual.listen_port != server->second.listen_port) {
            auto key = SY_TRY(vpn.server_private_key(binding.server_id));
            SY_TRY(wg({"set", binding.interface, "private-key", "/dev/stdin", "listen-port",
                       std::to_string(server->second.listen_port)},
                      key + "\n"));
            ++report.updated;
        }

        // Usage since the last record.
        const auto* peers_view = SY_TRY(view(projections::vpn::kVpnPeers));
        const auto* usage_view = SY_TRY(view(projections::vpn::kVpnUsage));
        auto rows = projections::vpn::list_server_peers(*peers_view, binding.server_id);
        std::map<std::string, const projections::vpn::PeerRow*> by_key;
        for (const auto& r : rows) by_key[r.public_key] = &r;
        std::vector<UsageEvent> usage;
        for (const auto& p : actual.peers) {
            auto row = by_key.find(p.public_key);
            if (row == by_key.end()) continue;
            auto last = counters.find(p.public_key);
            if (last == counters.end()) {
                auto seeded =
                    projections::vpn::last_counters(*usage_view, binding.server_id, p.public_key);
                last = counters
                           .emplace(p.public_key, seeded.value_or(projections::vpn::PeerCounters{}))
                           .first;
            }
            PeerUsageRecorded u;
            u.server_id = binding.server_id;
            u.customer_id = row->second->customer_id;
            u.device_id = row->second->device_id;
            u.public_key = p.public_key;
            u.rx_bytes = counter_delta(last->second.rx_counter, p.rx_bytes);
            u.tx_bytes = counter_delta(last->second.tx_counter, p.tx_bytes);
            u.rx_counter = p.rx_bytes;
            u.tx_counter = p.tx_bytes;
            if (p.latest_handshake > 0)
                u.last_handshake = core::from_unix_seconds(p.latest_handshake);
            u.at = now;
            const bool moved =
                u.rx_counter != last->second.rx_counter || u.tx_counter != last->second.tx_counter;
            if (!moved) continue;
            last->second = {p.rx_bytes, p.tx_bytes};
            usage.push_back(std::move(u));
        }
        if (!usage.empty()) {
            auto o = SY_TRY(vpn.record(usage, context()));
            report.usage_records = static_cast<std::int64_t>(usage.size());
            settle(o.positions);
        }

        // Expiry and quota cut the peer, through the command side, with the reason.
        const auto month = usage_month(now);
        for (const auto& r : rows) {
            if (!r.enabled) continue;
            std::optional<DisableReason> reason;
            if (r.expires_at && *r.expires_at <= core::unix_seconds(now)) {
                reason = DisableReason::Expired;
            } else if (r.quota_bytes && projections::vpn::device_usage(*usage_view, r.customer_id,
                                                                       r.device_id, month)
                                                .total() >= *r.quota_bytes) {
                reason = DisableReason::QuotaExceeded;
            }
            if (!reason) continue;
            auto o =
                SY_TRY(vpn.execute(DisablePeer{r.customer_id, r.device_id, *reason}, context()));
            settle(o.positions);
            ++report.disabled;
            spdlog::info("wireguard {}: peer {}/{} disabled: {}", binding.server_id, r.customer_id,
                         r.device_id, to_string(*reason));
        }
        if (report.disabled > 0)
            rows = projections::vpn::list_server_peers(*peers_view, binding.server_id);

        // The difference.
        std::map<std::string, const projections::vpn::PeerRow*> wanted;
        for (const auto& r : rows) {
            const bool expired = r.expires_at && *r.expires_at <= core::unix_seconds(now);
            if (r.enabled && !expired) wanted[r.public_key] = &r;
        }
        std::set<std::string> present;
        for (const auto& p : actual.peers) {
            present.insert(p.public_key);
            if (!wanted.count(p.public_key)) {
                SY_TRY(wg({"set", binding.interface, "peer", p.public_key, "remove"}));
                ++report.removed;
            }
        }
        for (const auto& [key, r] : wanted) {
            auto ips = r->ipv4 + "/32" + (r->ipv6.empty() ? "" : "," + r->ipv6 + "/128");
            auto secrets = SY_TRY(vpn.peer_secrets(r->customer_id, r->device_id));
            auto current = std::find_if(actual.peers.begin(), actual.peers.end(),
                                        [&](const auto& p) { return p.public_key == key; });
            if (current != actual.peers.end() && current->allowed_ips == normalized_ips(ips) &&
                current->preshared_key == secrets.preshared_key)
                continue;
            SY_TRY(wg({"set", binding.interface, "peer", key, "preshared-key", "/dev/stdin",
                       "allowed-ips", ips},
                      secrets.preshared_key + "\n"));
            ++(current == actual.peers.end() ? report.added : report.updated);
        }
        return report;
    }

    void record_outcome(const core::Result<PassReport>& r, std::int64_t attempt) {
        InterfaceReconciled e;
        e.server_id = binding.server_id;
        e.interface_name = binding.interface;
        e.attempt = attempt;
        if (r) {
            if (r->added + r->removed + r->updated == 0 && attempt == 1) return;
            e.peers_added = r->added;
            e.peers_removed = r->removed;
            e.peers_updated = r->updated;
        } else {
            e.ok = false;
            e.error = fmt::format("{}: {}", r.error().field, r.error().message);
        }
        if (auto o = vpn.record({e}, context()); !o)
            spdlog::warn("wireguard {}: cannot record the outcome: {}", binding.server_id,
                         o.error().message);
    }
};

WireguardReconciler::WireguardReconciler(InterfaceBinding binding, events::vpn::VpnService& vpn,
                                         projections::ProjectionRunner& runner,
                                         const core::Clock& clock, CommandRunner run)
    : impl_(new Impl{
          std::move(binding), vpn, runner, clock, std::move(run), {}, {}, {}, false, {}}) {}

WireguardReconciler::~WireguardReconciler() { stop(); }

core::Result<PassReport> WireguardReconciler::pass() {
    auto r = impl_->pass();
    impl_->record_outcome(r, 1);
    return r;
}

void WireguardReconciler::start(std::chrono::milliseconds interval) {
    impl_->thread = std::thread([this, interval] {
        std::int64_t failures = 0;
        for (;;) {
            auto r = impl_->pass();
            impl_->record_outcome(r, failures + 1);
            std::chrono::milliseconds wait = interval;
            if (r) {
                failures = 0;
            } else {
                ++failures;
                spdlog::warn("wireguard {}: pass failed ({} in a row): {}: {}",
                             impl_->binding.server_id, failures, r.error().field,
                             r.error().message);
                wait = std::min<std::chrono::milliseconds>(
                    std::chrono::seconds(60),
                    std::chrono::milliseconds(1000) *
                        (std::int64_t{1} << std::min<std::int64_t>(failures - 1, 6)));
            }
            std::unique_lock lock(impl_->mu);
            if (impl_->cv.wait_for(lock, wait, [&] { return impl_->stopping; })) return;
        }
    });
}

void WireguardReconciler::stop() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->stopping = true;
    }
    impl_->cv.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
}

}  // namespace switchyard::adapters::wireguard
