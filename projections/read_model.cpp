#include "projections/read_model.hpp"

#include "projections/audit_trail.hpp"
#include "projections/identity/api_keys.hpp"
#include "projections/identity/users.hpp"
#include "projections/iptv/line_directory.hpp"
#include "projections/iptv/xtream_catalogue.hpp"
#include "projections/vpn/vpn_peers.hpp"
#include "projections/vpn/vpn_usage.hpp"

namespace switchyard::projections {

std::vector<std::unique_ptr<Projector>> all_projectors() {
    std::vector<std::unique_ptr<Projector>> out;
    out.push_back(iptv::make_xtream_catalogue_projector());
    out.push_back(iptv::make_line_directory_projector());
    out.push_back(make_audit_trail_projector());
    out.push_back(identity::make_api_keys_projector());
    out.push_back(identity::make_users_projector());
    out.push_back(vpn::make_vpn_peers_projector());
    out.push_back(vpn::make_vpn_usage_projector());
    return out;
}

std::unique_ptr<Projector> make_projector(const std::string& name) {
    for (auto& p : all_projectors()) {
        const auto full = p->name();
        if (full == name || full.substr(0, full.rfind(".v")) == name) return std::move(p);
    }
    return nullptr;
}

}  // namespace switchyard::projections
