#include "core/hotspot/model.hpp"

#include <array>
#include <utility>

namespace switchyard::core::hotspot {

namespace {

/// Looks `text` up in a table of (value, wire name) pairs.
template <class E, std::size_t N>
bool parse_from(const std::array<std::pair<E, const char*>, N>& table, std::string_view text,
                E& out) noexcept {
    for (const auto& [value, name] : table) {
        if (text == name) {
            out = value;
            return true;
        }
    }
    return false;
}

template <class E, std::size_t N>
const char* name_in(const std::array<std::pair<E, const char*>, N>& table, E value) noexcept {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return "unknown";
}

constexpr std::array<std::pair<Vendor, const char*>, 7> kVendors{{
    {Vendor::Mikrotik, "mikrotik"},
    {Vendor::Omada, "omada"},
    {Vendor::Ruijie, "ruijie"},
    {Vendor::Meraki, "meraki"},
    {Vendor::Chillispot, "chillispot"},
    {Vendor::Cisco, "cisco"},
    {Vendor::Generic, "generic"},
}};
constexpr std::array<std::pair<ServiceType, const char*>, 2> kServices{{
    {ServiceType::Hotspot, "hotspot"},
    {ServiceType::Pppoe, "pppoe"},
}};
constexpr std::array<std::pair<TimeFrom, const char*>, 2> kTimeFrom{{
    {TimeFrom::FirstLogin, "first_login"},
    {TimeFrom::Purchase, "purchase"},
}};
constexpr std::array<std::pair<DataDirection, const char*>, 3> kDirections{{
    {DataDirection::Total, "total"},
    {DataDirection::Download, "download"},
    {DataDirection::Upload, "upload"},
}};
constexpr std::array<std::pair<AccountStatus, const char*>, 4> kAccountStatuses{{
    {AccountStatus::Active, "active"},
    {AccountStatus::Expired, "expired"},
    {AccountStatus::Exhausted, "exhausted"},
    {AccountStatus::Disabled, "disabled"},
}};
constexpr std::array<std::pair<VoucherState, const char*>, 4> kVoucherStates{{
    {VoucherState::Unused, "unused"},
    {VoucherState::Active, "active"},
    {VoucherState::Expired, "expired"},
    {VoucherState::Revoked, "revoked"},
}};

}  // namespace

const char* to_string(Vendor v) noexcept { return name_in(kVendors, v); }
bool parse_vendor(std::string_view text, Vendor& out) noexcept {
    // CoovaChilli is ChilliSpot's successor and speaks its attributes.
    if (text == "coova" || text == "coovachilli") {
        out = Vendor::Chillispot;
        return true;
    }
    return parse_from(kVendors, text, out);
}

std::uint16_t default_coa_port(Vendor v) noexcept { return v == Vendor::Mikrotik ? 1700 : 3799; }

const char* to_string(ServiceType s) noexcept { return name_in(kServices, s); }
bool parse_service_type(std::string_view text, ServiceType& out) noexcept {
    return parse_from(kServices, text, out);
}

const char* to_string(TimeFrom t) noexcept { return name_in(kTimeFrom, t); }
bool parse_time_from(std::string_view text, TimeFrom& out) noexcept {
    return parse_from(kTimeFrom, text, out);
}

const char* to_string(DataDirection d) noexcept { return name_in(kDirections, d); }
bool parse_data_direction(std::string_view text, DataDirection& out) noexcept {
    return parse_from(kDirections, text, out);
}

const char* to_string(AccountStatus s) noexcept { return name_in(kAccountStatuses, s); }
bool parse_account_status(std::string_view text, AccountStatus& out) noexcept {
    return parse_from(kAccountStatuses, text, out);
}

const char* to_string(VoucherState s) noexcept { return name_in(kVoucherStates, s); }
bool parse_voucher_state(std::string_view text, VoucherState& out) noexcept {
    return parse_from(kVoucherStates, text, out);
}

}  // namespace switchyard::core::hotspot
