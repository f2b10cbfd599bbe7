#pragma once
/// Country of an IP address from a MaxMind DB file (`.mmdb`: GeoLite2-Country, GeoIP2-Country,
/// DB-IP country lite, or the MaxMind test databases), read with libmaxminddb (Debian
/// `libmaxminddb-dev`). The operator supplies the database (`switchyard serve --geoip-db`).
/// @source https://maxmind.github.io/MaxMind-DB/ (format), libmaxminddb(3).

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::adapters::geoip {

/// A country as the database names it.
struct Country {
    std::string iso_code;  ///< ISO 3166-1 alpha-2, e.g. `GB`.
    std::string name;      ///< English name, e.g. `United Kingdom`; may be empty.
    friend bool operator==(const Country&, const Country&) = default;
};

/// An open `.mmdb` database. @thread safe: lookups only read the memory-mapped file.
class GeoIpDatabase {
  public:
    /// Opens (memory-maps) a database.
    /// @errors NotFound naming `geoip-db` when the file does not exist; Invalid naming
    ///         `geoip-db` when it is not a MaxMind DB or cannot be read (the message says why).
    static core::Result<std::unique_ptr<GeoIpDatabase>> open(const std::string& path);
    ~GeoIpDatabase();
    GeoIpDatabase(const GeoIpDatabase&) = delete;
    GeoIpDatabase& operator=(const GeoIpDatabase&) = delete;

    /// The country of an IPv4 (dotted quad) or IPv6 address (RFC 4291 text form; an IPv4
    /// address in an IPv6-only database is looked up as `::a.b.c.d`). Private, reserved and
    /// unknown addresses, and records without a country, answer nullopt ("no country"); an
    /// IPv6 address in an IPv4-only database too.
    /// @errors Invalid naming `address` when the text is not an IP address (any text is
    ///         safe to pass); Internal when the database is corrupt at that address.
    core::Result<std::optional<Country>> lookup(std::string_view address) const;

    /// The database's type from its metadata, e.g. `GeoLite2-Country`.
    std::string database_type() const;

  private:
    GeoIpDatabase();
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::adapters::geoip
