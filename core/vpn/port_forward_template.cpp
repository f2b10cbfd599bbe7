#include "core/vpn/port_forward_template.hpp"

#include <fmt/format.h>

#include "core/vpn/network_decider.hpp"

namespace switchyard::core::vpn {

std::optional<Error> validate_template(const PortForwardTemplate& t) {
    if (!valid_offer_id(t.template_id))
        return Error{Errc::Invalid, "template_id", "must be [a-z0-9_-]{1,32}"};
    if (t.name.empty() || t.name.size() > 64)
        return Error{Errc::Invalid, "name", "must be 1 to 64 characters"};
    if (t.ports.empty()) return Error{Errc::Invalid, "ports", "name at least one port"};
    for (std::size_t i = 0; i < t.ports.size(); ++i)
        if (auto e = check_forward_spec(t.ports[i], fmt::format("ports[{}].", i))) return e;
    return std::nullopt;
}

Result<std::vector<ForwardSpec>> template_ports(const std::vector<PortForwardTemplate>& templates,
                                                const std::vector<RefusedTemplate>& refused,
                                                const std::string& template_id,
                                                const std::string& local_ip) {
    for (const auto& t : refused)
        if (t.template_id == template_id)
            return fail(Errc::Rejected, "template",
                        fmt::format("template '{}' is refused: {} {}", template_id, t.error.field,
                                    t.error.message));
    for (const auto& t : templates) {
        if (t.template_id != template_id) continue;
        auto ports = t.ports;
        for (auto& p : ports) p.local_ip = local_ip;
        return ports;
    }
    return fail(Errc::NotFound, "template",
                fmt::format("template '{}' does not exist", template_id));
}

}  // namespace switchyard::core::vpn
