#include "core/vpn/device.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

namespace switchyard::core::vpn {

const char* to_string(DeviceCategory c) noexcept {
    return c == DeviceCategory::HomeNetwork ? "home_network" : "personal";
}

bool parse_device_category(std::string_view text, DeviceCategory& out) noexcept {
    if (text == "home_network") {
        out = DeviceCategory::HomeNetwork;
        return true;
    }
    if (text == "personal") {
        out = DeviceCategory::Personal;
        return true;
    }
    return false;
}

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

bool type_name_ok(std::string_view s) {
    return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
}

}  // namespace

const DeviceType* ClassificationRules::find(std::string_view name) const {
    const auto key = lower(name);
    if (key.empty()) return nullptr;
    for (const auto& t : types) {
        if (t.type == key) return &t;
        for (const auto& a : t.aliases)
            if (lower(a) == key) return &t;
    }
    return nullptr;
}

std::string validate_rules(const ClassificationRules& rules) {
    if (rules.types.empty()) return "types: at least one device type is needed";
    std::set<std::string> names;
    for (std::size_t i = 0; i < rules.types.size(); ++i) {
        const auto& t = rules.types[i];
        if (!type_name_ok(t.type))
            return fmt::format("types[{}].type: '{}' is not [a-z0-9_]{{1,32}}", i, t.type);
        if (!names.insert(t.type).second)
            return fmt::format("types[{}].type: '{}' appears twice", i, t.type);
        for (const auto& a : t.aliases)
            if (!names.insert(lower(a)).second)
                return fmt::format("types[{}].aliases: '{}' names two types", i, a);
    }
    auto check = [&](const std::vector<Hint>& hints, const char* what, bool port) -> std::string {
        for (std::size_t i = 0; i < hints.size(); ++i) {
            if (!rules.find(hints[i].type))
                return fmt::format("{}[{}].type: unknown type '{}'", what, i, hints[i].type);
            if (hints[i].match.empty()) return fmt::format("{}[{}].match: is empty", what, i);
            if (port) {
                int p = 0;
                for (char ch : hints[i].match) {
                    if (ch < '0' || ch > '9' || p > 65535)
                        return fmt::format("{}[{}].match: '{}' is not a port (1-65535)", what, i,
                                           hints[i].match);
                    p = p * 10 + (ch - '0');
                }
                if (p < 1 || p > 65535)
                    return fmt::format("{}[{}].match: '{}' is not a port (1-65535)", what, i,
                                       hints[i].match);
            }
        }
        return {};
    };
    if (auto e = check(rules.vendor_hints, "vendor_hints", false); !e.empty()) return e;
    if (auto e = check(rules.port_hints, "port_hints", true); !e.empty()) return e;
    if (auto e = check(rules.hostname_hints, "hostname_hints", false); !e.empty()) return e;
    if (!rules.find(rules.fallback_type))
        return fmt::format("fallback_type: unknown type '{}'", rules.fallback_type);
    return {};
}

Classification classify(const ClassificationRules& rules, const DeviceEvidence& ev) {
    // Each piece of evidence adds its weight to a type and a sentence to the reasons.
    std::map<std::string, int> score;
    std::vector<std::pair<std::string, std::string>> evidence;  // type, sentence
    auto vote = [&](const std::string& type, int weight, std::string why) {
        const auto* t = rules.find(type);
        if (!t || weight <= 0) return;
        score[t->type] += weight;
        evidence.emplace_back(t->type, std::move(why));
    };

    if (!ev.declared_type.empty()) {
        if (const auto* t = rules.find(ev.declared_type)) {
            vote(t->type, rules.declared_weight,
                 fmt::format("declared type '{}' is {}", ev.declared_type, t->type));
        } else {
            evidence.emplace_back(
                "", fmt::format("declared type '{}' is not a known type", ev.declared_type));
        }
    }
    auto vendor_votes = [&](const std::string& vendor, int weight, const char* source) {
        const auto v = lower(vendor);
        for (const auto& h : rules.vendor_hints) {
            if (v.find(lower(h.match)) == std::string::npos) continue;
            vote(h.type, weight,
                 fmt::format("{} '{}' suggests {}", source, vendor, rules.find(h.type)->type));
            return;  // the first matching hint per vendor
        }
    };
    if (ev.oui_vendor) vendor_votes(*ev.oui_vendor, rules.oui_vendor_weight, "IEEE OUI vendor");
    if (!ev.reported_vendor.empty())
        vendor_votes(ev.reported_vendor, rules.reported_vendor_weight, "reported vendor");
    std::set<std::string> port_types;  // one vote per type however many ports point to it
    for (const auto& p : ev.open_ports) {
        const auto port = std::to_string(p.port);
        for (const auto& h : rules.port_hints) {
            if (h.match != port) continue;
            const auto& type = rules.find(h.type)->type;
            if (port_types.insert(type).second)
                vote(type, rules.port_weight,
                     fmt::format("open port {}{} suggests {}", p.port,
                                 p.service.empty() ? "" : " (" + p.service + ")", type));
        }
    }
    if (!ev.hostname.empty()) {
        const auto host = lower(ev.hostname);
        for (const auto& h : rules.hostname_hints) {
            if (host.find(lower(h.match)) == std::string::npos) continue;
            vote(h.type, rules.hostname_weight,
                 fmt::format("hostname '{}' contains '{}'", ev.hostname, h.match));
            break;
        }
    }

    const DeviceType* best = nullptr;
    int best_score = 0;
    for (const auto& [type, s] : score) {
        const auto* t = rules.find(type);
        if (!best || s > best_score ||
            (s == best_score && t->high_bandwidth && !best->high_bandwidth)) {
            best = t;
            best_score = s;
        }
    }
    Classification out;
    if (!best) {
        best = rules.find(rules.fallback_type);
        out.reasons.push_back(fmt::format("no evidence points to a type: {}", best->type));
    }
    out.type = best->type;
    out.category = best->category;
    out.high_bandwidth = best->high_bandwidth;
    for (auto& [type, why] : evidence) {
        if (type.empty() || type == best->type) {
            out.reasons.push_back(std::move(why));
        } else {
            out.reasons.push_back(why + " (outweighed)");
        }
    }
    out.reasons.push_back(fmt::format("{} is a {} device{}", best->type, to_string(best->category),
                                      best->high_bandwidth ? " with high bandwidth" : ""));
    return out;
}

}  // namespace switchyard::core::vpn
