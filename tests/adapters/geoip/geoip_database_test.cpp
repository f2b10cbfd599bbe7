// Country lookups with libmaxminddb against MaxMind's test databases in ../shared/data/geoip:
// every network of GeoLite2-Country-Test.source.json (the JSON the database is built from)
// answers its country; private and unknown addresses answer no country; bad paths and bad
// addresses are errors naming the field; no text crashes a lookup.
#include <doctest/doctest.h>

#include <simdjson.h>

#include <arpa/inet.h>

#include <string>
#include <vector>

#include "adapters/geoip/geoip_database.hpp"

using namespace switchyard;
using adapters::geoip::Country;
using adapters::geoip::GeoIpDatabase;

namespace {

const std::string kDir = std::string(SY_SHARED_DATA) + "/geoip/";

std::unique_ptr<GeoIpDatabase> open_db(const std::string& name) {
    auto db = GeoIpDatabase::open(kDir + name);
    REQUIRE_MESSAGE(db, (db ? "" : db.error().message));
    return std::move(*db);
}

struct Network {
    std::string cidr, first_address;
    std::optional<Country> country;
};

/// The networks of the source JSON with the country each must answer.
std::vector<Network> source_networks() {
    simdjson::dom::parser parser;
    auto doc = parser.load(kDir + "GeoLite2-Country-Test.source.json");
    REQUIRE(!doc.error());
    std::vector<Network> out;
    for (auto entry : doc.get_array()) {
        for (auto [key, record] : entry.get_object()) {
            Network n;
            n.cidr = std::string(key);
            n.first_address = n.cidr.substr(0, n.cidr.find('/'));
            auto iso = record["country"]["iso_code"].get_string();
            if (!iso.error()) {
                auto name = record["country"]["names"]["en"].get_string();
                n.country = Country{std::string(iso.value()),
                                    name.error() ? std::string() : std::string(name.value())};
            }
            out.push_back(std::move(n));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("every network of the test database answers the country its source gives") {
    const auto db = open_db("GeoLite2-Country-Test.mmdb");
    CHECK(db->database_type() == "GeoLite2-Country");
    const auto networks = source_networks();
    REQUIRE(networks.size() == 244);
    int v4 = 0, v6 = 0, none = 0;
    for (const auto& n : networks) {
        CAPTURE(n.cidr);
        auto r = db->lookup(n.first_address);
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        CHECK(*r == n.country);
        (n.first_address.find(':') == std::string::npos ? v4 : v6)++;
        none += !n.country;
    }
    CHECK(v4 > 0);
    CHECK(v6 > 0);
    CHECK(none == 2);  // the two networks with a continent only
}

TEST_CASE("private, loopback and unknown addresses answer no country") {
    const auto db = open_db("GeoLite2-Country-Test.mmdb");
    for (const char* ip : {"10.0.0.1", "192.168.1.20", "172.16.5.4", "127.0.0.1", "::1", "fe80::1",
                           "1.1.1.1", "0.0.0.0"}) {
        CAPTURE(ip);
        auto r = db->lookup(ip);
        REQUIRE(r);
        CHECK_FALSE(r->has_value());
    }
}

TEST_CASE("the GeoIP2 layout answers like the GeoLite2 one for the same networks") {
    const auto lite = open_db("GeoLite2-Country-Test.mmdb");
    const auto paid = open_db("GeoIP2-Country-Test.mmdb");
    CHECK(paid->database_type() == "GeoIP2-Country");
    int same = 0, found = 0;
    for (const auto& n : source_networks()) {
        auto a = lite->lookup(n.first_address);
        auto b = paid->lookup(n.first_address);
        REQUIRE(a);
        REQUIRE(b);
        if (b->has_value()) ++found;
        if (*a == *b) ++same;
    }
    CHECK(found > 100);
    CHECK(same > 200);
}

TEST_CASE("a bad database path or a bad address is an error naming the field") {
    auto missing = GeoIpDatabase::open(kDir + "no-such.mmdb");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == core::Errc::NotFound);
    CHECK(missing.error().field == "geoip-db");
    auto not_mmdb = GeoIpDatabase::open(kDir + "README.md");
    REQUIRE_FALSE(not_mmdb);
    CHECK(not_mmdb.error().code == core::Errc::Invalid);
    CHECK(not_mmdb.error().field == "geoip-db");
    CHECK_FALSE(GeoIpDatabase::open(""));
    const auto db = open_db("GeoLite2-Country-Test.mmdb");
    for (std::string bad :
         {std::string(""), std::string("1"), std::string("256.1.1.1"), std::string("1.2.3"),
          std::string("example.com"), std::string("::g"), std::string(" 1.2.3.4"),
          std::string("1.2.3.4\0", 8), std::string(300, '1'), std::string("2.125.160.216/29")}) {
        CAPTURE(bad);
        auto r = db->lookup(bad);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::Errc::Invalid);
        CHECK(r.error().field == "address");
    }
}

TEST_CASE("no text crashes a lookup: random bytes and mutated addresses") {
    const auto db = open_db("GeoLite2-Country-Test.mmdb");
    const auto networks = source_networks();
    std::uint64_t x = 0x9E3779B97F4A7C15ULL;
    auto next = [&] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    const std::string alphabet("0123456789abcdefABCDEF.:/%[] \t\n\x00\xff", 33);
    int answered = 0, refused = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string text;
        if (i % 2 == 0) {
            const auto len = next() % 64;
            for (std::uint64_t k = 0; k < len; ++k)
                text += static_cast<char>(i % 4 == 0 ? alphabet[next() % alphabet.size()]
                                                     : static_cast<char>(next() & 0xff));
        } else {
            text = networks[next() % networks.size()].first_address;
            const auto edits = 1 + next() % 3;
            for (std::uint64_t k = 0; k < edits && !text.empty(); ++k)
                text[next() % text.size()] = alphabet[next() % alphabet.size()];
        }
        auto r = db->lookup(text);
        if (r) {
            ++answered;
            // Whatever answered is an address inet_pton accepts.
            unsigned char buf[16];
            CHECK((inet_pton(AF_INET, text.c_str(), buf) == 1 ||
                   inet_pton(AF_INET6, text.c_str(), buf) == 1));
        } else {
            ++refused;
            CHECK(r.error().field == "address");
        }
    }
    CHECK(answered > 0);
    CHECK(refused > 0);
}
