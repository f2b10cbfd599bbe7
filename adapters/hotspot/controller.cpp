#include "adapters/hotspot/controller.hpp"

#include <map>
#include <set>

namespace switchyard::adapters::hotspot {

bool same_settings(const HotspotUser& desired, const HotspotUser& actual) {
    const auto profile = [](const std::string& p) {
        return p.empty() ? std::string("default") : p;
    };
    if (desired.password && actual.password && *desired.password != *actual.password) return false;
    return profile(desired.profile) == profile(actual.profile) &&
           desired.limit_uptime_seconds == actual.limit_uptime_seconds &&
           desired.limit_bytes_total == actual.limit_bytes_total &&
           desired.download_kbps == actual.download_kbps &&
           desired.upload_kbps == actual.upload_kbps &&
           normalize_mac(desired.mac).value_or(desired.mac) ==
               normalize_mac(actual.mac).value_or(actual.mac);
}

std::optional<std::string> normalize_mac(std::string_view text) {
    std::string hex;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ':' || c == '-') {
            if (text.size() != 17 || i % 3 != 2) return std::nullopt;
            continue;
        }
        if (text.size() == 17 && i % 3 == 2) return std::nullopt;
        if (c >= '0' && c <= '9') {
            hex.push_back(c);
        } else if (c >= 'a' && c <= 'f') {
            hex.push_back(c);
        } else if (c >= 'A' && c <= 'F') {
            hex.push_back(static_cast<char>(c - 'A' + 'a'));
        } else {
            return std::nullopt;
        }
    }
    if (hex.size() != 12 || (text.size() != 12 && text.size() != 17)) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < 12; i += 2) {
        if (!out.empty()) out.push_back(':');
        out.append(hex, i, 2);
    }
    return out;
}

core::Result<SyncReport> Controller::sync(const std::vector<HotspotUser>& desired) {
    const auto actual = SY_TRY(list_users());
    std::map<std::string, const HotspotUser*> have;
    for (const auto& u : actual) have.emplace(u.name, &u);
    SyncReport report;
    std::set<std::string> wanted;
    for (const auto& want : desired) {
        if (!wanted.insert(want.name).second) {
            report.failed.emplace_back(
                want.name,
                core::Error{core::Errc::Invalid, "name", "the desired list names this user twice"});
            continue;
        }
        const auto it = have.find(want.name);
        if (it == have.end()) {
            if (auto r = create_user(want); r) {
                report.added.push_back(want.name);
            } else {
                report.failed.emplace_back(want.name, r.error());
            }
        } else if (!in_step(want, *it->second)) {
            if (auto r = update_user(want); r) {
                report.changed.push_back(want.name);
            } else {
                report.failed.emplace_back(want.name, r.error());
            }
        } else {
            ++report.unchanged;
        }
    }
    for (const auto& u : actual) {
        if (wanted.contains(u.name)) continue;
        if (auto r = remove_user(u.name); r) {
            report.removed.push_back(u.name);
        } else {
            report.failed.emplace_back(u.name, r.error());
        }
    }
    return report;
}

}  // namespace switchyard::adapters::hotspot
