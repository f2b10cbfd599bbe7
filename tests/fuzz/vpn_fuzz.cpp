// Fuzz target: what the VPN line parses from outside never crashes it: `wg show dump` output,
// the data files (classification rules, templates), CIDR pools, diagnostic targets; and a
// classification of arbitrary evidence always names a known type with a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "adapters/wireguard/wireguard_reconciler.hpp"
#include "core/vpn/address_pool.hpp"
#include "core/vpn/diagnostics.hpp"
#include "events/vpn/vpn_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard;
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (auto dump = adapters::wireguard::parse_wg_dump(text)) {
        for (const auto& p : dump->peers)
            if (p.rx_bytes < 0 && p.public_key.empty()) std::abort();
    }
    (void)events::vpn::parse_port_forward_templates(text);
    (void)events::vpn::parse_plans(text);
    if (auto rules = events::vpn::parse_classification_rules(text)) {
        auto c = core::vpn::classify(*rules, {text.substr(0, 16), text, text, text, {{554, text}}});
        if (!rules->find(c.type) || c.reasons.empty()) std::abort();
    }
    const auto line = text.substr(0, std::min<std::size_t>(text.find('\n'), 64));
    std::string why;
    if (auto pool = core::vpn::AddressPool::parse(line, why)) {
        auto h = pool->host(2);
        if (h && !core::vpn::is_ip_address(*h)) std::abort();
    }
    if (auto c = core::vpn::diagnostic_command("ping", line)) {
        if (c->argv.back().empty() || c->argv.back().front() == '-') std::abort();
    }
    return 0;
}
