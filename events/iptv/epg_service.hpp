#pragma once
/// The EPG command side: loads a guide source's stream (`iptv_epg-<tenant>-<first 40 hex of the
/// SHA-256 of its name>`), decides an import on it (core/iptv/epg.hpp) and appends all the
/// import's events in one write with the expected revision, deciding again on conflict.

#include <memory>
#include <string>

#include "core/decision_context.hpp"
#include "core/iptv/epg.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::iptv {

/// What an import gives back: its summary (also when nothing changed).
struct EpgDetail {
    core::iptv::EpgImported summary;
};

/// EPG commands of one tenant. @thread safe.
class EpgService {
  public:
    EpgService(EventStore& store, std::string tenant);
    ~EpgService();

    /// Imports a guide. @errors as core::iptv::decide(ImportGuide), plus the store's errors.
    core::Result<CommandOutcome<EpgDetail>> execute(const core::iptv::ImportGuide& c,
                                                    const core::DecisionContext& ctx);

    /// Ties a stream to a guide channel or unties it. @errors as core::iptv::decide(SetEpgMapping),
    /// plus the store's errors.
    core::Result<CommandOutcome<>> execute(const core::iptv::SetEpgMapping& c,
                                           const core::DecisionContext& ctx);

    /// Programme editor: SaveProgramme, DeleteProgramme on the source's stream.
    /// @errors as core::iptv::decide of each, plus the store's errors.
    core::Result<CommandOutcome<>> execute(const core::iptv::SaveProgramme& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::iptv::DeleteProgramme& c,
                                           const core::DecisionContext& ctx);

    /// The stream of a guide source.
    std::string source_stream(const std::string& source) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::iptv
