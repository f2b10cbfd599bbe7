// API keys by hash (live keys only, for authentication), by id (live or revoked) and by owner
// scope (live keys only); rotation moves the hash, revocation ends the key, use is recorded.
#include <doctest/doctest.h>

#include "events/identity/api_key_codec.hpp"
#include "projections/identity/api_keys.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::identity;
using namespace switchyard::projections::identity;

namespace {

const auto kCreated = core::from_unix_seconds(1'790'000'000);  // the events' time

/// Appends `e` to its key's stream.
void add(testing::ProjectorHarness& m, const ApiKeyEvent& e) {
    const auto key_id = std::visit([](const auto& x) { return x.key_id; }, e);
    m.append(api_key_stream(key_id), events::identity::encode(e));
}

/// The ids of the live keys in `scope`, in owner-path order.
std::vector<std::string> live_in(const projections::ReadModelView& view, const std::string& scope) {
    std::vector<std::string> out;
    scan_api_keys(view, scope, [&](const ApiKeyRow& k) {
        out.push_back(k.key_id);
        return true;
    });
    return out;
}

ApiKeyCreated key(const std::string& id, const std::string& owner_path = "/") {
    return {.key_id = id,
            .name = "key " + id,
            .prefix = "sy_" + id,
            .hash = "hash-" + id,
            .role = "reseller",
            .owner_path = owner_path,
            .user_id = "u_1"};
}

}  // namespace

TEST_CASE("a created key is found by its hash and its id with every field, never the hash") {
    testing::ProjectorHarness m(make_api_keys_projector());
    auto k = key("k_1", "/u_1/");
    k.route_prefixes = {"/v1/iptv/lines"};
    k.expires_at = kCreated + std::chrono::hours(24);
    add(m, k);
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
    testing::ProjectorHarness m(make_api_keys_projector());
    add(m, key("k_1"));
    add(m, ApiKeyRotated{"k_1", "sy_new", "hash-new"});
    CHECK_FALSE(find_api_key(m.view(), "hash-k_1"));
    auto row = find_api_key(m.view(), "hash-new");
    REQUIRE(row);
    CHECK(row->key_id == "k_1");
    CHECK(row->prefix == "sy_new");
}

TEST_CASE("a revoked key is found by id only, marked revoked, and no longer listed") {
    testing::ProjectorHarness m(make_api_keys_projector());
    add(m, key("k_1"));
    add(m, key("k_2"));
    add(m, ApiKeyRevoked{"k_1"});
    CHECK_FALSE(find_api_key(m.view(), "hash-k_1"));
    auto row = find_api_key_by_id(m.view(), "k_1");
    REQUIRE(row);
    CHECK(row->revoked);
    CHECK(live_in(m.view(), "/") == std::vector<std::string>{"k_2"});
}

TEST_CASE("a key's use is recorded as its last use") {
    testing::ProjectorHarness m(make_api_keys_projector());
    add(m, key("k_1"));
    const auto used = kCreated + std::chrono::minutes(90);
    add(m, ApiKeyUsed{"k_1", used});
    auto row = find_api_key_by_id(m.view(), "k_1");
    REQUIRE(row);
    CHECK(row->json.find(R"("last_used_at":")" + core::format_rfc3339(used)) != std::string::npos);
    // Events of a key the model does not hold change nothing.
    add(m, ApiKeyUsed{"k_9", used});
    CHECK_FALSE(find_api_key_by_id(m.view(), "k_9"));
}

TEST_CASE("keys are listed by owner scope: a reseller's subtree, or all from the top") {
    testing::ProjectorHarness m(make_api_keys_projector());
    add(m, key("k_1", "/"));
    add(m, key("k_2", "/u_1/"));
    add(m, key("k_3", "/u_1/u_5/"));
    add(m, key("k_4", "/u_2/"));
    CHECK(live_in(m.view(), "/") == std::vector<std::string>{"k_1", "k_2", "k_3", "k_4"});
    CHECK(live_in(m.view(), "/u_1/") == std::vector<std::string>{"k_2", "k_3"});
    CHECK(live_in(m.view(), "/u_1/u_5/") == std::vector<std::string>{"k_3"});
    CHECK(live_in(m.view(), "/u_3/").empty());
    std::vector<std::string> first;
    scan_api_keys(m.view(), "/", [&](const ApiKeyRow& k) {
        first.push_back(k.key_id);
        return false;
    });
    CHECK(first == std::vector<std::string>{"k_1"});
}
