#pragma once
/// A tenant's hotspot controllers (MikroTik RouterOS, TP-Link Omada, Cisco Meraki) as events:
/// their definitions and every operation run on them through the API, one aggregate per tenant,
/// stream `hotspot_controllers-<tenant>`, so that a controller id and a controller's endpoint
/// are unique within the tenant. Decide and evolve are pure (STYLE.md rule 2).
///
/// The connection fields mirror the option structs of adapters/hotspot (MikrotikOptions,
/// OmadaOptions, MerakiOptions). Secrets (the RouterOS API password, the Omada Open API client
/// secret and hotspot operator password, the Meraki API key) are sealed under the master key by
/// the events layer before the decision, as a NAS's RADIUS secret is; the decider sees them in
/// clear only to check them and writes only the sealed text.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/hotspot/catalog.hpp"
#include "core/hotspot/catalog_decider.hpp"  // DefineMode, valid_hotspot_id
#include "core/result.hpp"

namespace switchyard::core::hotspot {

/// The controller's API family. Wire names `mikrotik`, `omada`, `meraki`.
enum class ControllerVendor { Mikrotik, Omada, Meraki };
const char* to_string(ControllerVendor v) noexcept;
bool parse_controller_vendor(std::string_view text, ControllerVendor& out) noexcept;

/// One controller as defined by an operator. Fields of other vendors stay empty.
struct ControllerDefinition {
    std::string controller_id;  ///< `[a-z0-9_-]{1,32}`, by default from the name.
    std::string name;           ///< 1 to 64 characters, e.g. `Lobby MikroTik`.
    ControllerVendor vendor = ControllerVendor::Mikrotik;
    std::string nas_id;            ///< The NAS it stands for; empty = none.
    std::string site;              ///< Free text, at most 128 characters.
    std::string owner_path = "/";  ///< The reseller subtree that owns it (as a NAS's).
    int timeout_ms = 0;            ///< Bound on each exchange, 0 = the adapter's default.

    // ---- MikroTik (RouterOS API) ----
    std::string address;     ///< Router address or host name.
    std::uint16_t port = 0;  ///< API port; 0 = 8728, or 8729 with tls.
    bool tls = false;        ///< Speak the `api-ssl` service.
    bool verify_tls = true;  ///< Check the certificate (RouterOS api-ssl, Omada, Meraki).
    std::string username;    ///< API user.
    std::string password_sealed;
    std::string hotspot_server;  ///< RouterOS hotspot `server`; empty = all.

    // ---- Omada (Open API and External Portal API) and Meraki (Dashboard API) ----
    /// Omada: the Open API address (`https://10.0.0.2:8043`). Meraki: the Dashboard API base;
    /// empty = `https://api.meraki.com/api/v1`.
    std::string base_url;
    std::string portal_base_url;  ///< Omada: the external portal API address; empty = base_url.
    std::string omadac_id;        ///< Omada ID (hex).
    std::string site_id;          ///< Omada Open API `siteId`.
    std::string client_id;        ///< Omada Open API client id.
    std::string client_secret_sealed;
    std::string operator_name;  ///< Omada hotspot operator (MAC authorization); may be empty.
    std::string operator_password_sealed;

    // ---- Meraki ----
    std::string api_key_sealed;
    std::string network_id;  ///< e.g. `N_24329156`.
    int ssid_number = 0;     ///< The splash SSID, 0 to 14.

    friend bool operator==(const ControllerDefinition&, const ControllerDefinition&) = default;
};

/// The port a MikroTik definition connects to: `port`, else 8729 with tls, else 8728.
std::uint16_t api_port(const ControllerDefinition& c) noexcept;

/// A controller's secrets in clear, as an API request gives them (absent = not given).
struct ControllerSecrets {
    std::optional<std::string> password;           ///< MikroTik API password.
    std::optional<std::string> client_secret;      ///< Omada Open API client secret.
    std::optional<std::string> operator_password;  ///< Omada hotspot operator password.
    std::optional<std::string> api_key;            ///< Meraki Dashboard API key.
};

/// The outcome of one operation: ok, or the error code (core Errc wire name), the field and the
/// controller's own words.
struct OperationOutcome {
    bool ok = true;
    std::string error_code;  ///< e.g. `unavailable`; empty when ok.
    std::string field;       ///< The error's field; may be empty.
    std::string message;     ///< The controller's words (a RouterOS `!trap` message, ...).
    friend bool operator==(const OperationOutcome&, const OperationOutcome&) = default;
};

/// One user sync could not add, change or remove.
struct SyncFailure {
    std::string user;
    std::string error_code;
    std::string message;
    friend bool operator==(const SyncFailure&, const SyncFailure&) = default;
};

// ---- events ----

/// A controller was defined (all fields, secrets sealed).
struct ControllerDefined {
    static constexpr std::string_view kType = "hotspot.controller.defined";
    ControllerDefinition controller;
    std::string command_id;
};
/// A controller's definition was replaced (all fields, secrets sealed).
struct ControllerChanged {
    static constexpr std::string_view kType = "hotspot.controller.changed";
    ControllerDefinition controller;
    std::string command_id;
};
/// A controller was removed; its id may be defined again.
struct ControllerRemoved {
    static constexpr std::string_view kType = "hotspot.controller.removed";
    std::string controller_id;
    std::string command_id;
};
/// One operation was run on a controller through the API, with its outcome.
struct ControllerOperationRun {
    static constexpr std::string_view kType = "hotspot.controller.operation";
    std::string controller_id;
    /// `test_connection`, `create_user`, `remove_user`, `list_users`, `authorize_mac`,
    /// `list_active`, `end_session`.
    std::string operation;
    std::string target;  ///< The user name, MAC or session id it was about; may be empty.
    OperationOutcome outcome;
    std::int64_t duration_ms = 0;
    std::string broadcast_id;  ///< The broadcast it was part of; empty when alone.
};
/// A controller's users were synced to the desired list (or the listing failed: outcome).
struct ControllerSynced {
    static constexpr std::string_view kType = "hotspot.controller.synced";
    std::string controller_id;
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::string> changed;
    std::vector<SyncFailure> failed;
    std::int64_t unchanged = 0;
    std::int64_t desired = 0;  ///< How many users were desired.
    OperationOutcome outcome;  ///< Not ok when the listing failed (nothing was done).
    std::int64_t duration_ms = 0;
};

using ControllerEvent = std::variant<ControllerDefined, ControllerChanged, ControllerRemoved,
                                     ControllerOperationRun, ControllerSynced>;

/// The last operation or sync on a controller.
struct LastOperation {
    std::string operation;  ///< As ControllerOperationRun, or `sync`.
    std::string target;
    OperationOutcome outcome;
};

/// The controllers as their events leave them.
struct ControllerState {
    std::map<std::string, ControllerDefinition> controllers;  ///< By controller_id.
    std::map<std::string, LastOperation> last;                ///< By controller_id.
    std::set<std::string> command_ids;
};

/// The stream of a tenant's controllers.
inline std::string controller_stream(const std::string& tenant) {
    return "hotspot_controllers-" + tenant;
}

// ---- commands ----

/// Creates or replaces a controller. On Update, `controller` is the whole new definition (the
/// sealed secrets of the old one kept unless `secrets` gives new ones; the events layer seals).
struct DefineController {
    ControllerDefinition controller;
    ControllerSecrets secrets;  ///< In clear; checked here, never written.
    DefineMode mode = DefineMode::Create;
    std::string command_id;
};
struct RemoveController {
    std::string controller_id;
    std::string command_id;
};
/// Records an operation's outcome (ControllerOperationRun).
struct RecordControllerOperation {
    ControllerOperationRun run;
};
/// Records a sync's outcome (ControllerSynced).
struct RecordControllerSync {
    ControllerSynced sync;
};

/// Folds one event. Total: an event about an unknown controller only records its command id.
void evolve(ControllerState& state, const ControllerEvent& event);

/// @errors Invalid naming `controller_id` (not `[a-z0-9_-]{1,32}`), `name` (1 to 64
///         characters), `site`, `owner_path`, `timeout_ms` (0 to 120000), `nas_id` (no such
///         NAS in `catalog`, or one of another reseller); for MikroTik `address` (missing or not
///         an IP address or host name), `port` (0 to 65535), `username` (missing), `password`
///         (missing on Create, or with control characters); for Omada `base_url`,
///         `portal_base_url` (not an http or https URL), `omadac_id` (not hex), `site_id`,
///         `client_id`, `client_secret` (missing), `operator_password` (operator_name without
///         it); for Meraki `api_key`, `network_id` (missing), `ssid_number` (0 to 14),
///         `base_url`; Conflict naming `controller_id` when Create finds the id taken, or naming
///         the endpoint field (`address`, `site_id`, `network_id`) when another controller already
///         drives the same router, Omada site or Meraki network; NotFound naming
///         `controller_id` when Update finds none. A command id seen before decides nothing.
Result<std::vector<ControllerEvent>> decide(const ControllerState& s, const CatalogState& catalog,
                                            const DefineController& c, const DecisionContext& ctx);
/// @errors NotFound naming `controller_id`.
Result<std::vector<ControllerEvent>> decide(const ControllerState& s, const RemoveController& c,
                                            const DecisionContext& ctx);
/// @errors NotFound naming `controller_id`; Invalid naming `operation` (not one of the list of
///         ControllerOperationRun) or `duration_ms` (negative).
Result<std::vector<ControllerEvent>> decide(const ControllerState& s,
                                            const RecordControllerOperation& c,
                                            const DecisionContext& ctx);
/// @errors NotFound naming `controller_id`; Invalid naming `duration_ms` (negative).
Result<std::vector<ControllerEvent>> decide(const ControllerState& s, const RecordControllerSync& c,
                                            const DecisionContext& ctx);

/// True for the operation names of ControllerOperationRun.
bool valid_controller_operation(std::string_view name) noexcept;

}  // namespace switchyard::core::hotspot
