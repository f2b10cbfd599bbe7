#include "events/hotspot/vendor_profiles.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <simdjson.h>

namespace switchyard::events::hotspot {

using core::Errc;
using core::fail;
using core::hotspot::QuotaAttributes;
using core::hotspot::SpeedFormat;
using core::hotspot::VendorProfile;

namespace {

using Object = simdjson::dom::object;

core::Result<void> only(Object obj, const std::string& where,
                        std::initializer_list<std::string_view> allowed) {
    for (auto [key, value] : obj) {
        (void)value;
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
            return fail(Errc::Invalid,
                        where.empty() ? std::string(key) : where + "." + std::string(key),
                        fmt::format("unknown member \"{}\"", key));
    }
    return {};
}

core::Result<std::string> string_at(Object obj, const char* key, const std::string& path,
                                    bool required) {
    auto el = obj[key];
    if (el.error()) {
        if (required) return fail(Errc::Invalid, path, fmt::format("{} is missing", path));
        return std::string();
    }
    std::string_view s;
    if (el.get(s)) return fail(Errc::Invalid, path, fmt::format("{} must be a string", path));
    return std::string(s);
}

/// An attribute name: empty allowed when `may_be_empty`, else it must be in the dictionary.
core::Result<std::string> attribute_at(Object obj, const char* key, const std::string& path,
                                       bool required, const AttributeKnown& known) {
    auto name = SY_TRY(string_at(obj, key, path, required));
    if (!name.empty() && !known(name))
        return fail(Errc::Invalid, path,
                    fmt::format("{} names {}, which is not in the RADIUS dictionary", path, name));
    return name;
}

core::Result<std::int64_t> int_at(Object obj, const char* key, std::int64_t lo, std::int64_t hi) {
    auto el = obj[key];
    std::int64_t v = 0;
    if (el.error()) return fail(Errc::Invalid, key, fmt::format("{} is missing", key));
    if (el.get(v) || v < lo || v > hi)
        return fail(Errc::Invalid, key, fmt::format("{} must be an integer {} to {}", key, lo, hi));
    return v;
}

core::Result<std::vector<std::string>> strings_at(Object obj, const char* key) {
    auto el = obj[key];
    if (el.error()) return fail(Errc::Invalid, key, fmt::format("{} is missing", key));
    simdjson::dom::array arr;
    if (el.get(arr)) return fail(Errc::Invalid, key, fmt::format("{} must be an array", key));
    std::vector<std::string> out;
    std::size_t i = 0;
    for (auto item : arr) {
        std::string_view s;
        if (item.get(s) || s.empty())
            return fail(Errc::Invalid, fmt::format("{}[{}]", key, i),
                        fmt::format("{}[{}] must be a non-empty string", key, i));
        out.emplace_back(s);
        ++i;
    }
    return out;
}

core::Result<QuotaAttributes> quota_at(Object quota, const char* key, const AttributeKnown& known) {
    const std::string path = std::string("quota.") + key;
    auto el = quota[key];
    if (el.error()) return QuotaAttributes{};
    Object obj;
    if (el.get(obj)) return fail(Errc::Invalid, path, fmt::format("{} must be an object", path));
    SY_TRY(only(obj, path, {"octets", "gigawords"}));
    QuotaAttributes q;
    q.octets = SY_TRY(attribute_at(obj, "octets", path + ".octets", true, known));
    q.gigawords = SY_TRY(attribute_at(obj, "gigawords", path + ".gigawords", false, known));
    return q;
}

core::Result<VendorProfile> read_profile(Object root, const AttributeKnown& known) {
    SY_TRY(only(root, "",
                {"vendor", "speed", "quota", "session_timeout", "idle_timeout", "pool",
                 "acct_interim_interval_seconds", "disconnect_attributes", "coa_port",
                 "portal_parameters", "sources"}));
    VendorProfile p;
    p.vendor = SY_TRY(string_at(root, "vendor", "vendor", true));
    if (std::find(kVendorNames.begin(), kVendorNames.end(), p.vendor) == kVendorNames.end())
        return fail(Errc::Invalid, "vendor",
                    fmt::format("vendor \"{}\" is not one of mikrotik, omada, ruijie, meraki, "
                                "chillispot, cisco, generic",
                                p.vendor));

    Object speed;
    if (root["speed"].get(speed))
        return fail(Errc::Invalid, "speed", "speed must be an object with a format");
    SY_TRY(only(speed, "speed", {"format", "attribute", "download", "upload"}));
    const auto format = SY_TRY(string_at(speed, "format", "speed.format", true));
    if (!core::hotspot::parse_speed_format(format, p.speed_format))
        return fail(Errc::Invalid, "speed.format",
                    fmt::format("speed.format \"{}\" is not none, mikrotik_rate_limit, "
                                "bits_per_second or kilobits_per_second",
                                format));
    switch (p.speed_format) {
        case SpeedFormat::None:
            break;
        case SpeedFormat::MikrotikRateLimit:
            p.rate_limit_attribute =
                SY_TRY(attribute_at(speed, "attribute", "speed.attribute", true, known));
            break;
        case SpeedFormat::BitsPerSecond:
        case SpeedFormat::KilobitsPerSecond:
            p.download_speed_attribute =
                SY_TRY(attribute_at(speed, "download", "speed.download", true, known));
            p.upload_speed_attribute =
                SY_TRY(attribute_at(speed, "upload", "speed.upload", true, known));
            break;
    }

    Object quota;
    if (root["quota"].get(quota)) return fail(Errc::Invalid, "quota", "quota must be an object");
    SY_TRY(only(quota, "quota", {"total", "download", "upload"}));
    p.total_quota = SY_TRY(quota_at(quota, "total", known));
    p.download_quota = SY_TRY(quota_at(quota, "download", known));
    p.upload_quota = SY_TRY(quota_at(quota, "upload", known));

    p.session_timeout_attribute =
        SY_TRY(attribute_at(root, "session_timeout", "session_timeout", true, known));
    p.idle_timeout_attribute =
        SY_TRY(attribute_at(root, "idle_timeout", "idle_timeout", true, known));
    p.pool_attribute = SY_TRY(attribute_at(root, "pool", "pool", true, known));
    p.acct_interim_interval_seconds =
        SY_TRY(int_at(root, "acct_interim_interval_seconds", 0, 86400));
    if (p.acct_interim_interval_seconds > 0 && !known("Acct-Interim-Interval"))
        return fail(Errc::Invalid, "acct_interim_interval_seconds",
                    "Acct-Interim-Interval is not in the RADIUS dictionary");
    p.disconnect_attributes = SY_TRY(strings_at(root, "disconnect_attributes"));
    if (p.disconnect_attributes.empty())
        return fail(Errc::Invalid, "disconnect_attributes",
                    "disconnect_attributes must name at least one identifying attribute");
    for (std::size_t i = 0; i < p.disconnect_attributes.size(); ++i) {
        const auto& a = p.disconnect_attributes[i];
        if (std::find(kIdentifyingAttributes.begin(), kIdentifyingAttributes.end(), a) ==
                kIdentifyingAttributes.end() ||
            !known(a))
            return fail(Errc::Invalid, fmt::format("disconnect_attributes[{}]", i),
                        fmt::format("{} is not a session identifying attribute (RFC 5176 "
                                    "section 3) in the dictionary",
                                    a));
    }
    p.coa_port = static_cast<std::uint16_t>(SY_TRY(int_at(root, "coa_port", 1, 65535)));
    p.portal_parameters = SY_TRY(strings_at(root, "portal_parameters"));
    p.sources = SY_TRY(strings_at(root, "sources"));
    return p;
}

}  // namespace

core::Result<VendorProfile> parse_vendor_profile(std::string_view json,
                                                 const AttributeKnown& known) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto err = parser.parse(json.data(), json.size()).get(root))
        return fail(Errc::Invalid, "body",
                    fmt::format("not JSON: {}", simdjson::error_message(err)));
    Object obj;
    if (root.get(obj)) return fail(Errc::Invalid, "body", "a vendor profile must be an object");
    return read_profile(obj, known);
}

const VendorProfile* VendorProfiles::find(std::string_view vendor) const {
    for (const auto& p : profiles_)
        if (p.vendor == vendor) return &p;
    return nullptr;
}

core::Result<VendorProfiles> load_vendor_profiles(const std::filesystem::path& dir,
                                                  const AttributeKnown& known) {
    VendorProfiles out;
    for (auto name : kVendorNames) {
        const auto file = dir / (std::string(name) + ".json");
        std::ifstream in(file, std::ios::binary);
        if (!in)
            return fail(Errc::NotFound, file.string(),
                        fmt::format("vendor profile {} cannot be read", file.string()));
        std::stringstream text;
        text << in.rdbuf();
        auto profile = parse_vendor_profile(text.str(), known);
        if (!profile) {
            auto e = profile.error();
            e.field = file.filename().string() + ": " + e.field;
            e.message = file.filename().string() + ": " + e.message;
            return fail(std::move(e));
        }
        if (profile->vendor != name)
            return fail(Errc::Invalid, file.filename().string() + ": vendor",
                        fmt::format("{} says vendor \"{}\", not \"{}\"", file.string(),
                                    profile->vendor, name));
        out.add(std::move(*profile));
    }
    return out;
}

}  // namespace switchyard::events::hotspot
