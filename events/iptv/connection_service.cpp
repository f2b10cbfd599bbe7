#include "events/iptv/connection_service.hpp"

#include <map>
#include <mutex>

#include "events/command_handler.hpp"
#include "events/iptv/connection_codec.hpp"

namespace switchyard::events::iptv {

using namespace core::iptv;

struct ConnectionService::Impl {
    Impl(EventStore& s, std::string t, std::chrono::seconds ttl)
        : store(s), tenant(std::move(t)), timeout(ttl), loader(s, decode_connection_event) {}
    EventStore& store;
    std::string tenant;
    std::chrono::seconds timeout;
    AggregateLoader<LineConnections, ConnectionEvent> loader;
    std::mutex mu;
    /// Lines that may hold open leases, each with how often a lease was opened on it (a sweep
    /// forgets a line left without leases only when no lease was opened meanwhile).
    std::map<std::int64_t, std::uint64_t> lines;
    std::int64_t server_id = 0;
    std::function<std::string(const std::string&)> country_of;
    /// Bytes sent per lease since its last renewal or close (count_bytes).
    std::map<std::string, std::int64_t> pending_bytes;

    /// The bytes counted for `lease_id` since its previous event, taken out of the count.
    std::int64_t take_bytes(const std::string& lease_id) {
        std::lock_guard lock(mu);
        auto it = pending_bytes.find(lease_id);
        if (it == pending_bytes.end()) return 0;
        const auto n = it->second;
        pending_bytes.erase(it);
        return n;
    }
    /// Puts bytes back when the event that carried them was not written.
    void restore_bytes(const std::string& lease_id, std::int64_t n) {
        if (n == 0) return;
        std::lock_guard lock(mu);
        pending_bytes[lease_id] += n;
    }

    void note(std::int64_t line_id) {
        std::lock_guard lock(mu);
        ++lines[line_id];
    }

    /// Decides on the line's leases with `decide_fn(state)` and appends with the revision read.
    template <class Decide>
    core::Result<AppendResult> run(std::int64_t line_id, const core::DecisionContext& ctx,
                                   Decide decide_fn) {
        const auto stream = connections_stream(tenant, line_id);
        return execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(loader.snapshot(stream));
            std::vector<ConnectionEvent> events = SY_TRY(decide_fn(*state));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                             to_new_events(events, encode, ctx, tenant)}};
        });
    }
};

ConnectionService::ConnectionService(EventStore& store, std::string tenant,
                                     std::chrono::seconds timeout)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), timeout)) {}
ConnectionService::~ConnectionService() = default;

std::chrono::seconds ConnectionService::timeout() const { return impl_->timeout; }

void ConnectionService::set_lease_origin(
    std::int64_t server_id, std::function<std::string(const std::string&)> country_of) {
    std::lock_guard lock(impl_->mu);
    impl_->server_id = server_id;
    impl_->country_of = std::move(country_of);
}

void ConnectionService::count_bytes(const std::string& lease_id, std::int64_t n) {
    if (n <= 0) return;
    std::lock_guard lock(impl_->mu);
    impl_->pending_bytes[lease_id] += n;
}

core::Result<ConnectionOpened> ConnectionService::open(const OpenConnection& connection,
                                                       std::int64_t max_connections,
                                                       const core::DecisionContext& ctx) {
    OpenConnection c = connection;
    {
        std::lock_guard lock(impl_->mu);
        if (c.server_id == 0) c.server_id = impl_->server_id;
        if (c.country.empty() && impl_->country_of) c.country = impl_->country_of(c.remote_ip);
    }
    SY_TRY(impl_->run(c.line_id, ctx, [&](const LineConnections& s) {
        return decide(s, max_connections, c, ctx.now, impl_->timeout);
    }));
    impl_->note(c.line_id);
    auto state = SY_TRY(leases(c.line_id));
    auto it = state.leases.find(c.lease_id);
    if (it == state.leases.end())
        return core::fail(core::Errc::Internal, "lease_id", "the lease vanished after opening");
    return it->second.opened;
}

core::Result<void> ConnectionService::renew(std::int64_t line_id, const std::string& lease_id,
                                            const core::DecisionContext& ctx) {
    const auto bytes = impl_->take_bytes(lease_id);
    auto done = impl_->run(line_id, ctx, [&](const LineConnections& s) {
        return decide_renewal(s, lease_id, ctx.now, impl_->timeout, bytes);
    });
    if (!done) {
        impl_->restore_bytes(lease_id, bytes);
        return tl::unexpected(done.error());
    }
    return {};
}

core::Result<void> ConnectionService::close(std::int64_t line_id, const std::string& lease_id,
                                            const std::string& reason,
                                            const core::DecisionContext& ctx) {
    const auto bytes = impl_->take_bytes(lease_id);
    auto done = impl_->run(line_id, ctx, [&](const LineConnections& s) {
        return core::Result<std::vector<ConnectionEvent>>(decide_close(s, lease_id, reason, bytes));
    });
    if (!done) {
        impl_->restore_bytes(lease_id, bytes);
        return tl::unexpected(done.error());
    }
    return {};
}

core::Result<int> ConnectionService::sweep(const core::DecisionContext& ctx) {
    std::map<std::int64_t, std::uint64_t> lines;
    {
        std::lock_guard lock(impl_->mu);
        lines = impl_->lines;
    }
    int closed = 0;
    std::map<std::string, std::int64_t> taken;  // once per lease, however often a run retries
    for (const auto& [line_id, opened] : lines) {
        int n = 0;
        SY_TRY(impl_->run(line_id, ctx, [&](const LineConnections& s) {
            auto events = decide_sweep(s, ctx.now);
            for (auto& e : events) {
                auto& c = std::get<ConnectionClosed>(e);
                auto [it, fresh] = taken.try_emplace(c.lease_id, 0);
                if (fresh) it->second = impl_->take_bytes(c.lease_id);
                c.bytes = it->second;
            }
            n = static_cast<int>(events.size());
            return core::Result<std::vector<ConnectionEvent>>(std::move(events));
        }));
        closed += n;
        // A line left without leases is not visited again until one opens there (so that the
        // sweep costs what the open leases cost, not every line that ever had one).
        if (SY_TRY(leases(line_id)).leases.empty()) {
            std::lock_guard lock(impl_->mu);
            if (auto it = impl_->lines.find(line_id);
                it != impl_->lines.end() && it->second == opened)
                impl_->lines.erase(it);
        }
    }
    return closed;
}

core::Result<void> ConnectionService::discover_lines() {
    const auto streams = SY_TRY(streams_with_event(impl_->store, ConnectionOpened::kType));
    const auto prefix = connections_stream(impl_->tenant, 0);
    const auto stem = prefix.substr(0, prefix.size() - 1);
    for (const auto& s : streams) {
        if (s.rfind(stem, 0) != 0) continue;
        try {
            impl_->note(std::stoll(s.substr(stem.size())));
        } catch (const std::exception&) {
        }
    }
    return {};
}

core::Result<LineConnections> ConnectionService::leases(std::int64_t line_id) {
    auto [state, revision] =
        SY_TRY(impl_->loader.snapshot(connections_stream(impl_->tenant, line_id)));
    (void)revision;
    return *state;
}

}  // namespace switchyard::events::iptv
