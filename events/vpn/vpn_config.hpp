#pragma once
/// The VPN line's data files, read at start: device classification rules, the default plans
/// and the port forwarding templates (config/vpn/*.json), and the IEEE MAC registries.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/vpn/device.hpp"
#include "core/vpn/network.hpp"
#include "core/vpn/oui.hpp"
#include "core/vpn/port_forward_template.hpp"

namespace switchyard::events::vpn {

/// A template refused when loaded, and why (core/vpn/port_forward_template.hpp).
using RefusedTemplate = core::vpn::RefusedTemplate;

/// Everything the VPN line reads from files.
struct VpnConfig {
    core::vpn::ClassificationRules rules;
    std::vector<core::vpn::Plan> default_plans;
    std::vector<core::vpn::PortForwardTemplate> templates;  ///< The valid ones.
    std::vector<RefusedTemplate> refused_templates;
    core::vpn::OuiRegistry oui;
};

/// Parses config/vpn/device_types.json text. @errors Invalid naming the field and reason, also
/// when core::vpn::validate_rules refuses the set.
core::Result<core::vpn::ClassificationRules> parse_classification_rules(const std::string& json);
/// Parses config/vpn/plans.json text. @errors Invalid naming the field.
core::Result<std::vector<core::vpn::Plan>> parse_plans(const std::string& json);
/// Parses config/vpn/port_forward_templates.json text, keeping each template that validates
/// and listing the others with their reasons. Template ports use the specification's names
/// (`local`, `external`, `protocol`, `description`). @errors Invalid for a malformed file.
core::Result<std::pair<std::vector<core::vpn::PortForwardTemplate>, std::vector<RefusedTemplate>>>
parse_port_forward_templates(const std::string& json);

/// Loads `<config_dir>/{device_types,plans,port_forward_templates}.json` and the IEEE
/// registries `<ieee_dir>/{oui,mam,oui36}.txt` (missing registry files are skipped; Debian's
/// `ieee-data` installs them in /usr/share/ieee-data).
/// @errors Unavailable naming a config file that cannot be read; Invalid as the parsers.
core::Result<VpnConfig> load_vpn_config(const std::string& config_dir, const std::string& ieee_dir);

}  // namespace switchyard::events::vpn
