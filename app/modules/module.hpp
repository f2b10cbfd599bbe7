#pragma once
/// A module (a service line: identity, iptv, vpn; voice, hotspot, billing next) registers once,
/// here, everything it adds to the product: its read models, its `serve` options, its CLI
/// subcommands, its services, its routes (as data, with roles: api/route_table.hpp), its
/// background workers, its Kafka topic and its schema folder. `switchyard serve`, the test
/// fixture (tests/api/api_fixture.hpp) and the RBAC matrix build from the same module list
/// (`make_modules`). The recipe for a new module is docs/adding-a-module.md.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "events/event_store.hpp"
#include "events/secret_box.hpp"
#include "projections/projection_runner.hpp"
#include "projections/projector.hpp"

namespace CLI {
class App;
}

namespace switchyard::app {

/// Turns one subscriber's service of a line on or off; the billing module's subscriptions act
/// through it (issue 16: unpaid or expired service acts on the network). `service_id` names
/// what the line's module knows: an IPTV line id, a VPN customer id, a hotspot username, a
/// voice customer id. Off ends what runs now through the line's own adapters (IPTV: the line
/// disabled and its connections closed; VPN: the customer's peers disabled, so the WireGuard
/// reconciler removes them from the interface; hotspot: the account disabled, so the enforcer
/// sends a Disconnect-Request; voice: the customer suspended, so new calls are refused); on
/// undoes it. The line's events carry `ctx`'s actor and correlation id.
/// @returns whether anything changed. @errors Invalid or NotFound naming `service_id`; the
///          line's own.
using ServiceSwitch = std::function<core::Result<bool>(const std::string& service_id, bool on,
                                                       const core::DecisionContext& ctx)>;

/// The owner path (core/identity/user.hpp) of one subscriber's service of a line, so billing
/// sells a reseller only what lies in its scope. @errors NotFound naming `service_id`; Invalid
/// naming `service_id` when it is not that line's kind of id.
using ServiceOwner = std::function<core::Result<std::string>(const std::string& service_id)>;

/// What the composition root hands a module when it starts: the open log and read models
/// (caught up with the log's head), the clock, the master keyring, the shared API state.
struct ModuleHost {
    events::EventStore& store;
    projections::ProjectionRunner& runner;
    const core::Clock& clock;
    const events::MasterKeyring& keyring;
    api::ApiContext& api;
    std::string tenant = "op";
    /// The server's data directory (`--data-dir`); empty when there is none (tests, tools).
    std::filesystem::path data_dir;
    /// The service switch of each line, by line (`iptv`, `vpn`, `hotspot`, `voice`): a line's
    /// module adds its own in `start`; billing, started after them, uses them.
    std::map<std::string, ServiceSwitch> service_switches;
    /// The owner of each line's services, by line, added with the switches.
    std::map<std::string, ServiceOwner> service_owners;
};

/// A subcommand of `switchyard` that a module adds: run when `command` was parsed.
struct Subcommand {
    CLI::App* command = nullptr;
    std::function<int()> run;  ///< Returns the process exit code.
};

/// One module's registration. The order of calls: `add_projectors` (before the read models
/// open), `add_serve_options` / `add_subcommands` (before the command line is parsed), then
/// for `serve`: `start`, `add_routes`, `start_workers`, and `stop` at shutdown.
class Module {
  public:
    virtual ~Module() = default;
    /// The module's name: the first part of its event types (`vpn.peer.created`), its Kafka
    /// topic `switchyard.<name>.events`, its schema folder `schemas/events/<name>/`, the tag of its
    /// routes in schemas/openapi.json.
    virtual std::string name() const = 0;
    /// Adds its read models (projections/<name>/).
    virtual void add_projectors(std::vector<std::unique_ptr<projections::Projector>>& out) const;
    /// Adds its options to `switchyard serve` (kept in the module until `start`).
    virtual void add_serve_options(CLI::App& serve);
    /// Adds its own subcommands to `switchyard`.
    virtual void add_subcommands(CLI::App& app, std::vector<Subcommand>& out);
    /// Opens its services on the log (events/<name>/); may append seed data.
    /// @errors what its configuration or the log reports; `serve` then exits 1.
    virtual core::Result<void> start(ModuleHost& host) = 0;
    /// Adds its routes (api/routes/<name>/); called after `start`.
    virtual void add_routes(api::Router& router) = 0;
    /// Starts its background workers (adapters/); called once the routes are in place.
    /// @errors a worker that cannot start; `serve` then exits 1.
    virtual core::Result<void> start_workers(ModuleHost& host);
    /// Stops its workers; called before the log and the read models close.
    virtual void stop();
};

using Modules = std::vector<std::unique_ptr<Module>>;

/// The module list: every module of the product, in start order (identity first: the
/// others' routes are authenticated through it). Adding a module is one line here.
Modules make_modules();

/// The Kafka topic of a module: `switchyard.<name>.events` (events/kafka/kafka_event_store.hpp).
std::string kafka_topic(const Module& module);

/// The read models of the platform (the audit trail) and of every module.
std::vector<std::unique_ptr<projections::Projector>> all_projectors(const Modules& modules);
/// The read models of `make_modules()`.
std::vector<std::unique_ptr<projections::Projector>> all_projectors();
/// The projector named `name` (`xtream_catalogue` or `xtream_catalogue.v1`); null if unknown.
std::unique_ptr<projections::Projector> make_projector(const std::string& name);

/// Starts every module on `host` and builds the router: the platform's routes
/// (api::make_router) and every module's. Workers are not started (see `start_workers`).
/// @errors the first module that fails to start.
core::Result<std::unique_ptr<api::Router>> start_modules(const Modules& modules, ModuleHost& host);
/// Starts every module's workers. @errors the first that fails.
core::Result<void> start_workers(const Modules& modules, ModuleHost& host);
/// Stops every module's workers, in reverse order.
void stop_modules(const Modules& modules);

}  // namespace switchyard::app
