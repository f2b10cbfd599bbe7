#pragma once
/// Loading the vendor profiles (config/hotspot/vendors/<vendor>.json, core/hotspot/
/// vendor_profile.hpp) at start, checking every attribute name against the RADIUS dictionary.
///
/// File shape:
///
///     {"vendor": "mikrotik",
///      "speed": {"format": "mikrotik_rate_limit", "attribute": "Mikrotik-Rate-Limit"}
///             | {"format": "bits_per_second" | "kilobits_per_second",
///                "download": "<attr>", "upload": "<attr>"} | {"format": "none"},
///      "quota": {"total"?: {"octets": "<attr>", "gigawords"?: "<attr>"},
///                "download"?: {...}, "upload"?: {...}},
///      "session_timeout": "<attr>", "idle_timeout": "<attr>", "pool": "<attr>" or "",
///      "acct_interim_interval_seconds": 0..86400,
///      "disconnect_attributes": ["User-Name", ...], "coa_port": 1..65535,
///      "portal_parameters": ["mac", ...], "sources": ["...", ...]}

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hotspot/vendor_profile.hpp"
#include "core/result.hpp"

namespace switchyard::events::hotspot {

/// "Is this attribute name in the RADIUS dictionary?" (the dictionary parser of
/// core/radius/dictionary.hpp, read from /usr/share/freeradius at start).
using AttributeKnown = std::function<bool(std::string_view)>;

/// The vendor wire names a profile directory must hold, one file each (core/hotspot/model.hpp
/// Vendor).
inline const std::vector<std::string_view> kVendorNames = {
    "mikrotik", "omada", "ruijie", "meraki", "chillispot", "cisco", "generic"};

/// The identifying attributes a profile may list (RFC 5176 section 3, those a Session holds).
inline const std::vector<std::string_view> kIdentifyingAttributes = {
    "User-Name",      "Acct-Session-Id",    "Framed-IP-Address",
    "NAS-IP-Address", "Calling-Station-Id", "Called-Station-Id"};

/// Reads one profile file's text.
/// @errors Invalid naming the JSON field (`speed.download`, `coa_port`, ...) when it is
///         missing, mistyped or out of range, when a member is unknown, when an attribute
///         name is not in the dictionary (`known` returns false), or when an identifying
///         attribute is not one of kIdentifyingAttributes.
core::Result<core::hotspot::VendorProfile> parse_vendor_profile(std::string_view json,
                                                                const AttributeKnown& known);

/// The profiles of every vendor, by wire name.
class VendorProfiles {
  public:
    /// The profile of `vendor` (a wire name such as `mikrotik`), or null.
    const core::hotspot::VendorProfile* find(std::string_view vendor) const;
    const std::vector<core::hotspot::VendorProfile>& all() const { return profiles_; }
    void add(core::hotspot::VendorProfile profile) { profiles_.push_back(std::move(profile)); }

  private:
    std::vector<core::hotspot::VendorProfile> profiles_;
};

/// Loads `<dir>/<vendor>.json` for every name of kVendorNames.
/// @errors NotFound naming the file when one is missing; Invalid naming `<file>: <field>` when
///         one is malformed (see parse_vendor_profile), or when its `vendor` is not its file
///         name.
core::Result<VendorProfiles> load_vendor_profiles(const std::filesystem::path& dir,
                                                  const AttributeKnown& known);

}  // namespace switchyard::events::hotspot
