#pragma once
/// The IPTV command side: loads just the entries a command touches (each category, stream,
/// bouquet and line is a stream of its own; unique names are claim streams), runs the pure
/// deciders on them and appends their events, the claims and the ids they take with expected
/// revisions, deciding again on conflict. A command's cost does not grow with the catalogue,
/// and commands on different entries never contend.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/iptv/catalogue_decider.hpp"
#include "core/iptv/line_decider.hpp"
#include "core/result.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// What a command did: the id it addressed, whether it appended anything, where in the log
/// (for read-your-writes), and what it must show once (a line password, an import summary).
struct CommandOutcome {
    std::int64_t id = 0;
    bool changed = false;
    std::vector<Position> positions;  ///< Last position per partition; empty when unchanged.
    std::optional<std::string> password;
    std::optional<core::iptv::PlaylistImported> summary;
};

/// The streams of a category as the read side knows them (every read model caught up with the
/// log head). Used when a category is deleted: its streams are listed in the event and moved.
using CategoryMembers = std::function<core::Result<std::vector<std::int64_t>>(std::int64_t)>;

/// IPTV commands of one tenant.
/// Within one process, stream changes and category deletions are serialized against each other
/// (a shared lock for the first, an exclusive one for the second), so that `CategoryMembers`
/// sees every stream added before the deletion.
/// @thread safe.
class IptvService {
  public:
    IptvService(EventStore& store, std::string tenant);
    ~IptvService();

    /// Catalogue commands; errors as the deciders in core/iptv/catalogue_decider.hpp, plus the
    /// store's errors.
    core::Result<CommandOutcome> execute(const core::iptv::CreateCategory& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::RenameCategory& c,
                                         const core::DecisionContext& ctx);
    /// Deletes a category; `members` lists its streams (none known without it).
    core::Result<CommandOutcome> execute(const core::iptv::DeleteCategory& c,
                                         const core::DecisionContext& ctx,
                                         const CategoryMembers& members = {});
    core::Result<CommandOutcome> execute(const core::iptv::AddStream& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::UpdateStream& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::RemoveStream& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::CreateBouquet& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::UpdateBouquet& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::DeleteBouquet& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::ImportPlaylist& c,
                                         const core::DecisionContext& ctx);

    /// Line commands; errors as the deciders in core/iptv/line_decider.hpp.
    core::Result<CommandOutcome> execute(const core::iptv::CreateLine& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::UpdateLine& c,
                                         const core::DecisionContext& ctx);
    core::Result<CommandOutcome> execute(const core::iptv::DeleteLine& c,
                                         const core::DecisionContext& ctx);

    /// A stream as it is now, its category followed through deletions that moved it.
    /// @errors NotFound when it does not exist or was removed.
    core::Result<core::iptv::Stream> stream(std::int64_t stream_id);
    /// A bouquet as it is now, without categories and streams deleted since.
    /// @errors NotFound when it does not exist or was deleted.
    core::Result<core::iptv::Bouquet> bouquet(std::int64_t bouquet_id);
    /// The current state of a line. @errors NotFound when it never existed.
    core::Result<core::iptv::LineState> line(std::int64_t line_id);

  private:
    template <class Command>
    core::Result<CommandOutcome> run_line(std::int64_t line_id, const Command& c,
                                          const core::DecisionContext& ctx);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
