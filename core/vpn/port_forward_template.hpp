#pragma once
/// Port forwarding templates (TrueVault 2.4): named sets of forward ports for common devices.
/// They are data (config/vpn/port_forward_templates.json); each is validated when loaded, so a
/// template with a port outside 1-65535 (the specification's printer maps 9100 to 91000) is
/// refused with the reason instead of failing when a customer applies it.

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/vpn/customer_decider.hpp"

namespace switchyard::core::vpn {

struct PortForwardTemplate {
    std::string template_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `security_camera`.
    std::string name;         ///< e.g. `Security Camera`.
    std::vector<ForwardSpec> ports;
};

/// Checks a template: id, name, at least one port, every port valid (check_forward_spec).
/// @returns the first problem with its field (`ports[0].external_port`), or none.
std::optional<Error> validate_template(const PortForwardTemplate& t);

/// A template refused when loaded, and why.
struct RefusedTemplate {
    std::string template_id, name;
    Error error;  ///< Field (`ports[0].external_port`) and reason.
};

/// The ports of applying template `template_id` to a device.
/// @param templates the valid templates; @param refused those refused when loaded.
/// @param local_ip the request's local IP, for every port; empty: the device's own.
/// @returns the template's ports (at least one).
/// @errors Rejected naming `template` when it was refused when loaded (saying why); NotFound
///         naming `template` when there is no such template.
Result<std::vector<ForwardSpec>> template_ports(const std::vector<PortForwardTemplate>& templates,
                                                const std::vector<RefusedTemplate>& refused,
                                                const std::string& template_id,
                                                const std::string& local_ip);

}  // namespace switchyard::core::vpn
