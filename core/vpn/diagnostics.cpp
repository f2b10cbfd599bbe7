#include "core/vpn/diagnostics.hpp"

#include "core/vpn/address_pool.hpp"

namespace switchyard::core::vpn {

Result<DiagnosticCommand> diagnostic_command(const std::string& tool, const std::string& target) {
    const bool ip = is_ip_address(target);
    if (target.empty() || target.front() == '-' || (!ip && !is_hostname(target)))
        return fail(Errc::Invalid, "target", "must be an IP address or a DNS host name");
    const bool v6 = ip && target.find(':') != std::string::npos;
    DiagnosticCommand c{tool, target, {}, 0};
    if (tool == "ping") {
        c.argv = {"ping", v6 ? "-6" : "-4", "-n", "-c", "4", "-i", "1", "-W", "2", "--", target};
        if (!ip) c.argv.erase(c.argv.begin() + 1);
        c.timeout_ms = 10'000;
    } else if (tool == "traceroute") {
        c.argv = {"traceroute", "-n", "-q", "1", "-w", "2", "-m", "20"};
        if (v6) c.argv.push_back("-6");
        c.argv.push_back(target);  // traceroute takes no `--`; the target never starts with '-'
        c.timeout_ms = 45'000;
    } else if (tool == "dns") {
        if (ip) {
            c.argv = {"dig", "+short", "+time=2", "+tries=1", "-x", target};
        } else {
            c.argv = {"dig", "+short", "+time=2", "+tries=1", target, "A", target, "AAAA"};
        }
        c.timeout_ms = 10'000;
    } else {
        return fail(Errc::Invalid, "tool", "must be ping, traceroute or dns");
    }
    return c;
}

DiagnosticRan diagnostic_ran(const std::string& customer_id, const DiagnosticCommand& command,
                             const DiagnosticResult& result) {
    return {customer_id,
            command.tool,
            command.target,
            result.exit_code,
            result.duration_ms,
            result.timed_out,
            static_cast<std::int64_t>(result.output.size())};
}

}  // namespace switchyard::core::vpn
