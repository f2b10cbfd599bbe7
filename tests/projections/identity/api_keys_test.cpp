// API keys by hash (live keys only, for authentication), by id (live or revoked) and by owner
// scope (live keys only); rotation moves the hash, revocation ends the key, use is recorded.
#include <doctest/doctest.h>

#include "events/identity/api_key_codec.hpp"
#include "projections/identity/api_keys.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::identity;
using switchyard::projections::identity::ApiKeyRow;
using switchyard::projections::identity::find_api_key;
using switchyard::projections::identity::find_api_key_by_id;
using switchyard::projections::identity::scan_api_keys;

namespace {

const auto kCreated = core::from_unix_seconds(1'790'000'000);

struct Keys {
    testing::ProjectorHarness harness{projections::identity::make_api_keys_projector()};

    void append(const std::string& key_id, const ApiKeyEvent& e, core::Timestamp at = kCreated) {
        harness.append(api_key_stream(key_id), {events::identity::encode(e)}, at);
    }
    const projections::ReadModelView& view() { return harness.view(); }
    /// The ids of the live keys in `scope`, in owner-path order.
    std::vector<std::string> in_scope(const std::string& scope) {
        std::vector<std::string> out;
        scan_api_keys(view(), scope, [&](const ApiKeyRow& k) {
            out.push_back(k.key_id);
            return true;
        });
        return out;
    }
};

ApiKeyCreated key(std::string id, std::string owner_path = "/") {
    return ApiKeyCreated{id,         "key " + id, "sy_" + id, "hash-" + id, "reseller",
                         owner_path, "u_1",       {},         std::nullopt};
}

}  // namespace

TEST_CASE("a created key is found by its hash and its id with every field, never the hash") {
    Keys m;
    auto k = key("k_1", "/u_1/");
    k.route_prefixes = {"/v1/iptv/lines"};
    k.expires_at = kCreated + std::chrono::hours(24);
    m.append("k_1", k);
    auto row = find_api_key(m.view(), "hash-k_1");
    REQUIRE(row);
    CHECK(row->key_id == "k_1");
    CHECK(row->name == "key k_1");
    CHECK(row->prefix == "sy_k_1");
    CHECK(row->role == "reseller");
    CHECK(row->owner_path == "/u_1/");
    CHECK(row->user_id == "u_1");
    CHECK(row->route_prefixes == std::vector<std::string>{"/v1/iptv/lines"});
    CHECK(row->expires_at == k.expires_at);
    CHECK_FALSE(row->revoked);
    CHECK(row->json.find("hash-k_1") == std::string::npos);
    CHECK(row->json.find(R"("created_at":")" + core::format_rfc3339(kCreated)) !=
          std::string::npos);
    CHECK(row->json.find(R"("last_used_at":null)") != std::string::npos);
    auto by_id = find_api_key_by_id(m.view(), "k_1");
    REQUIRE(by_id);
    CHECK(by_id->json == row->json);
    CHECK_FALSE(find_api_key(m.view(), "hash-k_2"));
    CHECK_FALSE(find_api_key_by_id(m.view(), "k_2"));
}

TEST_CASE("a rotated key answers to its new hash only, with its new prefix") {
    Keys m;
    m.append("k_1", key("k_1"));
    m.append("k_1", ApiKeyRotated{"k_1", "sy_new", "hash-new"});
    CHECK_FALSE(find_api_key(m.view(), "hash-k_1"));
    auto row = find_api_key(m.view(), "hash-new");
    REQUIRE(row);
    CHECK(row->key_id == "k_1");
    CHECK(row->prefix == "sy_new");
}

TEST_CASE("a revoked key is found by id only, marked revoked, and no longer listed") {
    Keys m;
    m.append("k_1", key("k_1"));
    m.append("k_2", key("k_2"));
    m.append("k_1", ApiKeyRevoked{"k_1"});
    CHECK_FALSE(find_api_key(m.view(), "hash-k_1"));
    auto row = find_api_key_by_id(m.view(), "k_1");
    REQUIRE(row);
    CHECK(row->revoked);
    CHECK(m.in_scope("/") == std::vector<std::string>{"k_2"});
}

TEST_CASE("a key's use is recorded as its last use") {
    Keys m;
    m.append("k_1", key("k_1"));
    const auto used = kCreated + std::chrono::minutes(90);
    m.append("k_1", ApiKeyUsed{"k_1", used});
    auto row = find_api_key_by_id(m.view(), "k_1");
    REQUIRE(row);
    CHECK(row->json.find(R"("last_used_at":")" + core::format_rfc3339(used)) != std::string::npos);
    // Events of a key the model does not hold change nothing.
    m.append("k_9", ApiKeyUsed{"k_9", used});
    CHECK_FALSE(find_api_key_by_id(m.view(), "k_9"));
}

TEST_CASE("keys are listed by owner scope: a reseller's subtree, or all from the top") {
    Keys m;
    m.append("k_1", key("k_1", "/"));
    m.append("k_2", key("k_2", "/u_1/"));
    m.append("k_3", key("k_3", "/u_1/u_5/"));
    m.append("k_4", key("k_4", "/u_2/"));
    CHECK(m.in_scope("/") == std::vector<std::string>{"k_1", "k_2", "k_3", "k_4"});
    CHECK(m.in_scope("/u_1/") == std::vector<std::string>{"k_2", "k_3"});
    CHECK(m.in_scope("/u_1/u_5/") == std::vector<std::string>{"k_3"});
    CHECK(m.in_scope("/u_3/").empty());
    std::vector<std::string> first;
    scan_api_keys(m.view(), "/", [&](const ApiKeyRow& k) {
        first.push_back(k.key_id);
        return false;
    });
    CHECK(first == std::vector<std::string>{"k_1"});
}
