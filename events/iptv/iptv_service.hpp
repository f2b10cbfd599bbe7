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
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// What a catalogue command gives back (in a CommandOutcome): the id of the category, stream or
/// bouquet it addressed (new or existing), and an import's summary.
struct CatalogueDetail {
    std::int64_t id = 0;
    std::optional<core::iptv::PlaylistImported> summary;  ///< ImportPlaylist only.
};

/// What a line command gives back (in a CommandOutcome): the line's id and its password when
/// one was generated (shown once; the log keeps a keyed hash).
struct LineDetail {
    std::int64_t id = 0;
    std::optional<std::string> password;
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
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::CreateCategory& c,
                                                          const core::DecisionContext& ctx);
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::RenameCategory& c,
                                                          const core::DecisionContext& ctx);
    /// Deletes a category; `members` lists its streams (none known without it).
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::DeleteCategory& c,
                                                          const core::DecisionContext& ctx,
                                                          const CategoryMembers& members = {});
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::AddStream& c,
                                                          const core::DecisionContext& ctx);
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::UpdateStream& c,
                                                          const core::DecisionContext& ctx);
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::RemoveStream& c,
                                                          const core::DecisionContext& ctx);
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::CreateBouquet& c,
                                                          const core::DecisionContext& ctx);
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::UpdateBouquet& c,
                                                          const core::DecisionContext& ctx);
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::DeleteBouquet& c,
                                                          const core::DecisionContext& ctx);
    core::Result<CommandOutcome<CatalogueDetail>> execute(const core::iptv::ImportPlaylist& c,
                                                          const core::DecisionContext& ctx);

    /// Line commands; errors as the deciders in core/iptv/line_decider.hpp.
    core::Result<CommandOutcome<LineDetail>> execute(const core::iptv::CreateLine& c,
                                                     const core::DecisionContext& ctx);
    /// UpdateLine, DeleteLine.
    template <OneOf<core::iptv::UpdateLine, core::iptv::DeleteLine> Command>
    core::Result<CommandOutcome<LineDetail>> execute(const Command& c,
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
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
