#include "app/modules/module.hpp"

#include "projections/audit_trail.hpp"

namespace switchyard::app {

void Module::add_projectors(std::vector<std::unique_ptr<projections::Projector>>&) const {}
void Module::add_serve_options(CLI::App&) {}
void Module::add_subcommands(CLI::App&, std::vector<Subcommand>&) {}
core::Result<void> Module::start_workers(ModuleHost&) { return {}; }
void Module::stop() {}

std::string kafka_topic(const Module& module) { return "switchyard." + module.name() + ".events"; }

std::vector<std::unique_ptr<projections::Projector>> all_projectors(const Modules& modules) {
    std::vector<std::unique_ptr<projections::Projector>> out;
    out.push_back(projections::make_audit_trail_projector());
    for (const auto& m : modules) m->add_projectors(out);
    return out;
}

std::vector<std::unique_ptr<projections::Projector>> all_projectors() {
    return all_projectors(make_modules());
}

std::unique_ptr<projections::Projector> make_projector(const std::string& name) {
    for (auto& p : all_projectors()) {
        const auto full = p->name();
        if (full == name || full.substr(0, full.rfind(".v")) == name) return std::move(p);
    }
    return nullptr;
}

core::Result<std::unique_ptr<api::Router>> start_modules(const Modules& modules, ModuleHost& host) {
    auto router = api::make_router(host.api);
    for (const auto& m : modules) {
        SY_TRY(m->start(host));
        m->add_routes(*router);
    }
    return router;
}

core::Result<void> start_workers(const Modules& modules, ModuleHost& host) {
    for (const auto& m : modules) SY_TRY(m->start_workers(host));
    return {};
}

void stop_modules(const Modules& modules) {
    for (auto it = modules.rbegin(); it != modules.rend(); ++it) (*it)->stop();
}

}  // namespace switchyard::app
