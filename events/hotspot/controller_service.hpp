#pragma once
/// The hotspot controllers of one tenant (stream `hotspot_controllers-<tenant>`): defines,
/// changes and removes controller definitions with their secrets sealed under the master key
/// (events/secret_box.hpp, each bound to its tenant, controller and field, as a NAS's RADIUS
/// secret is), records every operation and sync run on a controller, and opens the secrets for
/// whoever builds the controller's adapter. Decisions: core/hotspot/controller_decider.hpp.

#include <memory>
#include <string>
#include <string_view>

#include "core/decision_context.hpp"
#include "core/hotspot/controller_decider.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/secret_box.hpp"

namespace switchyard::events::hotspot {

/// The sealing context of one secret field (`password`, `client_secret`, `operator_password`,
/// `api_key`) of a controller.
std::string controller_secret_context(const std::string& tenant, const std::string& controller_id,
                                      std::string_view field);

/// Controller commands and reads of one tenant.
/// @thread safe.
class ControllerService {
  public:
    /// @param hotspot the tenant's NAS catalog (a definition's `nas_id` is checked against it).
    /// @param keyring seals and opens the secrets; both must outlive the service.
    ControllerService(EventStore& store, HotspotService& hotspot, const MasterKeyring& keyring);
    ~ControllerService();

    /// Seals the secrets `c.secrets` gives into the definition (on Update, those it does not
    /// give keep their sealed text) and decides. Errors as core/hotspot/controller_decider.hpp.
    core::Result<CommandOutcome<>> execute(core::hotspot::DefineController c,
                                           const core::DecisionContext& ctx);
    /// RemoveController, RecordControllerOperation, RecordControllerSync.
    /// Errors as core/hotspot/controller_decider.hpp; the store's.
    core::Result<CommandOutcome<>> execute(const core::hotspot::RemoveController& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::hotspot::RecordControllerOperation& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::hotspot::RecordControllerSync& c,
                                           const core::DecisionContext& ctx);

    /// Seals again every controller secret sealed under an older master key (master key
    /// rotation): one `hotspot.controller.changed` per controller, command id
    /// `reseal:<key id>:<controller id>`. @returns how many controllers were sealed again.
    /// @errors the store's; Invalid naming `sealed` when a secret cannot be opened.
    core::Result<int> reseal_secrets(const core::DecisionContext& ctx);

    /// The tenant's controllers and the last outcome of each. @errors the store's.
    core::Result<core::hotspot::ControllerState> state();
    /// @errors NotFound naming `controller_id`.
    core::Result<core::hotspot::ControllerDefinition> controller(const std::string& id);
    /// The definition's secrets in clear (absent where none is sealed).
    /// @errors Invalid naming `sealed` when one cannot be opened (retired key, tampered).
    core::Result<core::hotspot::ControllerSecrets> secrets(
        const core::hotspot::ControllerDefinition& c) const;

  private:
    core::Result<CommandOutcome<>> on_controllers(
        const core::DecisionContext& ctx,
        const std::function<core::Result<std::vector<core::hotspot::ControllerEvent>>(
            const core::hotspot::ControllerState&, const core::hotspot::CatalogState&)>& decide);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::hotspot
