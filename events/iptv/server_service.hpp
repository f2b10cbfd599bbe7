#pragma once
/// The command side of streaming servers, server groups and stream assignments: loads the
/// tenant's server aggregate (`iptv_servers-<tenant>`), runs the pure deciders
/// (core/iptv/server_decider.hpp) and appends with the expected revision, deciding again on
/// conflict.

#include <memory>
#include <string>

#include "core/decision_context.hpp"
#include "core/iptv/server_decider.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// What a server command gives back: the server, group or stream id it addressed.
struct ServerDetail {
    std::int64_t id = 0;
};

/// Server commands of one tenant. @thread safe.
class ServerService {
  public:
    ServerService(EventStore& store, std::string tenant);
    ~ServerService();

    /// Runs one command. @errors as the command's decide (core/iptv/server_decider.hpp), plus
    /// the store's errors.
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::RegisterServer& c,
                                                       const core::DecisionContext& ctx);
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::ChangeServer& c,
                                                       const core::DecisionContext& ctx);
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::RemoveServer& c,
                                                       const core::DecisionContext& ctx);
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::SetServerHealth& c,
                                                       const core::DecisionContext& ctx);
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::CreateServerGroup& c,
                                                       const core::DecisionContext& ctx);
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::ChangeServerGroup& c,
                                                       const core::DecisionContext& ctx);
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::RemoveServerGroup& c,
                                                       const core::DecisionContext& ctx);
    core::Result<CommandOutcome<ServerDetail>> execute(const core::iptv::AssignStreamServers& c,
                                                       const core::DecisionContext& ctx);

    /// The tenant's servers, groups and assignments as the log holds them now.
    /// @errors the store's read errors.
    core::Result<std::shared_ptr<const core::iptv::ServerState>> state();

    /// The aggregate's stream: `iptv_servers-<tenant>`.
    std::string stream() const;

  private:
    template <class Command>
    core::Result<CommandOutcome<ServerDetail>> run(const Command& c,
                                                   const core::DecisionContext& ctx);
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
