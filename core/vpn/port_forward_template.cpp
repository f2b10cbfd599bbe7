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

}  // namespace switchyard::core::vpn
