#pragma once
/// The IPTV command side: loads the catalogue, registry and line aggregates, runs the pure
/// deciders and appends their events with expected revisions (retrying on conflict).

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

/// IPTV commands of one tenant.
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
    core::Result<CommandOutcome> execute(const core::iptv::DeleteCategory& c,
                                         const core::DecisionContext& ctx);
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

    /// The current catalogue state (for the command side's own reads, e.g. tests).
    core::Result<core::iptv::CatalogueState> catalogue();
    /// The current state of a line. @errors NotFound when it never existed.
    core::Result<core::iptv::LineState> line(std::int64_t line_id);

  private:
    template <class Command>
    core::Result<CommandOutcome> run_catalogue(const Command& c, const core::DecisionContext& ctx);
    template <class Command>
    core::Result<CommandOutcome> run_line(std::int64_t line_id, const Command& c,
                                          const core::DecisionContext& ctx);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
