#include "adapters/geoip/geoip_database.hpp"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <filesystem>

namespace switchyard::adapters::geoip {

struct GeoIpDatabase::Impl {
    MMDB_s db{};
    bool open = false;
    ~Impl() {
        if (open) MMDB_close(&db);
    }
};

GeoIpDatabase::GeoIpDatabase() : impl_(std::make_unique<Impl>()) {}
GeoIpDatabase::~GeoIpDatabase() = default;

core::Result<std::unique_ptr<GeoIpDatabase>> GeoIpDatabase::open(const std::string& path) {
    std::error_code ec;
    if (path.empty() || !std::filesystem::is_regular_file(path, ec))
        return core::fail(core::Errc::NotFound, "geoip-db", "no such file: " + path);
    std::unique_ptr<GeoIpDatabase> out(new GeoIpDatabase());
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &out->impl_->db);
    if (status != MMDB_SUCCESS)
        return core::fail(core::Errc::Invalid, "geoip-db",
                          path + " is not a MaxMind DB: " + MMDB_strerror(status));
    out->impl_->open = true;
    return out;
}

std::string GeoIpDatabase::database_type() const {
    const char* t = impl_->db.metadata.database_type;
    return t ? std::string(t) : std::string();
}

namespace {

/// A UTF-8 string at `path...` of an entry, or empty when absent or of another type.
std::string entry_string(MMDB_entry_s* entry, const char* const* path) {
    MMDB_entry_data_s data{};
    if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
        data.type != MMDB_DATA_TYPE_UTF8_STRING)
        return {};
    return std::string(data.utf8_string, data.data_size);
}

}  // namespace

core::Result<std::optional<Country>> GeoIpDatabase::lookup(std::string_view address) const {
    // Parsed strictly here (inet_pton, numeric only: no name resolution, no `1` meaning
    // 0.0.0.1), then looked up by socket address.
    if (address.empty() || address.size() > INET6_ADDRSTRLEN ||
        address.find('\0') != std::string_view::npos)
        return core::fail(core::Errc::Invalid, "address", "must be an IPv4 or IPv6 address");
    const std::string text(address);
    sockaddr_storage storage{};
    if (text.find(':') == std::string::npos) {
        auto* in = reinterpret_cast<sockaddr_in*>(&storage);
        in->sin_family = AF_INET;
        if (inet_pton(AF_INET, text.c_str(), &in->sin_addr) != 1)
            return core::fail(core::Errc::Invalid, "address", "must be an IPv4 or IPv6 address");
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        if (inet_pton(AF_INET6, text.c_str(), &in6->sin6_addr) != 1)
            return core::fail(core::Errc::Invalid, "address", "must be an IPv4 or IPv6 address");
    }
    int mmdb_error = MMDB_SUCCESS;
    auto result =
        MMDB_lookup_sockaddr(&impl_->db, reinterpret_cast<const sockaddr*>(&storage), &mmdb_error);
    if (mmdb_error == MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR) return std::optional<Country>();
    if (mmdb_error != MMDB_SUCCESS)
        return core::fail(core::Errc::Internal, "geoip-db", MMDB_strerror(mmdb_error));
    if (!result.found_entry) return std::optional<Country>();
    static const char* const kIso[] = {"country", "iso_code", nullptr};
    static const char* const kName[] = {"country", "names", "en", nullptr};
    Country c{entry_string(&result.entry, kIso), entry_string(&result.entry, kName)};
    if (c.iso_code.empty()) return std::optional<Country>();
    return std::optional<Country>(std::move(c));
}

}  // namespace switchyard::adapters::geoip
