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

core::Result<ConnectionOpened> ConnectionService::open(const OpenConnection& c,
                                                       std::int64_t max_connections,
                                                       const core::DecisionContext& ctx) {
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
    SY_TRY(impl_->run(line_id, ctx, [&](const LineConnections& s) {
        return decide_renewal(s, lease_id, ctx.now, impl_->timeout);
    }));
    return {};
}

core::Result<void> ConnectionService::close(std::int64_t line_id, const std::string& lease_id,
                                            const std::string& reason,
                                            const core::DecisionContext& ctx) {
    SY_TRY(impl_->run(line_id, ctx, [&](const LineConnections& s) {
        return core::Result<std::vector<ConnectionEvent>>(decide_close(s, lease_id, reason));
    }));
    return {};
}

core::Result<int> ConnectionService::sweep(const core::DecisionContext& ctx) {
    std::map<std::int64_t, std::uint64_t> lines;
    {
        std::lock_guard lock(impl_->mu);
        lines = impl_->lines;
    }
    int closed = 0;
    for (const auto& [line_id, opened] : lines) {
        int n = 0;
        SY_TRY(impl_->run(line_id, ctx, [&](const LineConnections& s) {
            auto events = decide_sweep(s, ctx.now);
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
