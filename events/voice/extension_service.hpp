#pragma once
/// Extensions, ring groups and media server targets (core/voice/extension.hpp) on the log
/// (`voice_pbx-<tenant>`): their commands, their JSON (events and API), the HA1 Kamailio's
/// registrar checks a REGISTER with, and the routing of calls to extensions for the call path.
///
/// Passwords are never stored nor logged: set_password() computes HA1 = lowercase hex
/// MD5(`username:realm:password`) (RFC 2617 §3.2.2.2) for the service's realm, seals it under
/// the master key bound to the tenant and extension (events/secret_box.hpp), and records only
/// the sealed text, as TrunkService does for trunks. Shapes of the events:
/// schemas/events/voice/voice.{extension,ring_group,media_server}.*.v1.json.

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include <boost/json/object.hpp>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/call_path.hpp"
#include "core/voice/extension.hpp"
#include "events/command_handler.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"
#include "events/event_store.hpp"
#include "events/secret_box.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::PbxEvent& event);
/// @errors Invalid for an unknown type/schema or a malformed payload (naming the field).
core::Result<core::voice::PbxEvent> decode_pbx_event(const RecordedEvent& event);

/// An extension as the API shows it: its fields, `password_set` and `realm`; never the HA1.
boost::json::object extension_json(const core::voice::ExtensionEntry& e);
/// A ring group as the API shows it (`fallback` as `{kind, value}` or null).
boost::json::object ring_group_json(const core::voice::RingGroup& g);
/// A media server as the API shows it.
boost::json::object media_server_json(const core::voice::MediaServer& m);

/// The sealing context of an extension's HA1: it opens only for that tenant and extension.
std::string extension_ha1_context(const std::string& tenant, const std::string& extension_id);

/// Extension commands and the extension routing of one tenant.
/// @thread safe: commands and reads from any thread.
class ExtensionService {
  public:
    /// @param keyring seals the HA1s; @param realm the SIP digest realm Kamailio challenges
    ///        REGISTERs with, also the host of the AoRs. Both must outlive the service.
    ExtensionService(EventStore& store, std::string tenant, const MasterKeyring& keyring,
                     std::string realm);
    ~ExtensionService();

    /// @errors as core/voice/extension.hpp decide, and the store's.
    core::Result<CommandOutcome<>> execute(const core::voice::DefineExtension& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::RemoveExtension& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::DefineRingGroup& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::RemoveRingGroup& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::DefineMediaServer& c,
                                           const core::DecisionContext& ctx);
    core::Result<CommandOutcome<>> execute(const core::voice::RemoveMediaServer& c,
                                           const core::DecisionContext& ctx);
    /// Sets an extension's password: records its HA1 for realm(), sealed.
    /// @errors Invalid naming `password` when shorter than 8 or longer than 128 characters or
    ///         with control characters; NotFound naming `extension_id`.
    core::Result<CommandOutcome<>> set_password(const std::string& extension_id,
                                                const std::string& password,
                                                const core::DecisionContext& ctx);

    /// The state as the log has it. @errors the store's.
    core::Result<std::shared_ptr<const core::voice::PbxState>> state() const;
    const std::string& realm() const;

    /// The HA1 of an extension's username in `realm` (Kamailio's registrar and INVITEs from
    /// extensions). @errors NotFound naming `username` (unknown or no password) or `realm`.
    core::Result<std::string> ha1(const std::string& username, const std::string& realm) const;

    /// The routing of a call for the call path (events/voice/call_service.hpp): when
    /// `setup.auth_user` is an extension's username, the dialled number is looked up among its
    /// customer's extensions and ring groups (none: 404 `no_route`); when there is no
    /// `auth_user` but the dialled number is some extension's or ring group's number, a
    /// `challenge` refusal (the phone must authenticate). @returns none when the call is not
    /// an extension's business (the trunks decide).
    std::optional<std::variant<core::voice::RoutePlan, core::voice::CallRefusal>> route(
        const core::voice::CallSetup& setup) const;

    /// A DID plan whose routes name an extension (`uri` = `extension:<id>`) or a ring group
    /// (`ring_group:<id>`) with the customer in `carrier_id`: those routes replaced by the
    /// target's plan, the others kept (on_* indexes shifted).
    core::voice::RoutePlan expand(core::voice::RoutePlan plan) const;

    /// Sets how forwards to E.164 numbers find carrier routes (unset: skipped).
    void set_number_routes(core::voice::NumberRoutes routes);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
