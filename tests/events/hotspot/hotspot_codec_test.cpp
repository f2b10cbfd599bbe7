// The hotspot events on the wire: round trips with every field set, exactly the properties of
// each event's JSON Schema, the JSON views without secrets, and refusals of malformed payloads
// naming the field.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <fstream>
#include <set>
#include <sstream>

#include <boost/json.hpp>

#include "events/hotspot/hotspot_codec.hpp"
#include "tests/support/codec_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using switchyard::testing::codec_of;
using switchyard::testing::recorded;
using switchyard::testing::refused_field;

namespace {

const auto kT1 = core::from_unix_seconds(1'790'000'123);
const auto kT2 = core::from_unix_seconds(1'790'086'523);

std::set<std::string> object_keys(const std::string& json, const char* member = nullptr) {
    simdjson::dom::parser parser;
    auto doc = parser.parse(json);
    REQUIRE_MESSAGE(!doc.error(), json);
    auto obj = member ? doc.value()[member].get_object() : doc.value().get_object();
    REQUIRE(!obj.error());
    std::set<std::string> out;
    for (auto field : obj.value()) out.emplace(field.key);
    return out;
}

/// The payload's keys are the properties of its schema, all of them required.
void check_against_schema(const events::EncodedEvent& event) {
    const auto path = std::string(SY_SCHEMA_DIR) + "/hotspot/" + event.type + ".v1.json";
    std::ifstream in(path);
    REQUIRE_MESSAGE(in, path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK_MESSAGE(object_keys(event.data) == object_keys(text.str(), "properties"), event.type);
    auto schema = boost::json::parse(text.str()).as_object();
    std::set<std::string> required;
    for (const auto& r : schema["required"].as_array()) required.emplace(r.as_string().c_str());
    CHECK_MESSAGE(required == object_keys(text.str(), "properties"), event.type);
}

Nas full_nas() {
    Nas n;
    n.nas_id = "lobby";
    n.name = "Lobby";
    n.vendor = Vendor::Omada;
    n.address = "10.20.0.0/16";
    n.secret_sealed = "sy1:mk_1:abc";
    n.coa_port = 3799;
    n.coa_address = "10.20.0.1";
    n.site = "Aurora";
    n.timezone = "Europe/Berlin";
    n.owner_path = "/u_3/";
    n.disabled = true;
    return n;
}

Plan full_plan() {
    Plan p;
    p.plan_id = "1d";
    p.name = "Day";
    p.service = ServiceType::Pppoe;
    p.duration_seconds = 86400;
    p.time_from = TimeFrom::Purchase;
    p.session_time_seconds = 7200;
    p.data_limit_bytes = 5'000'000'000;
    p.data_direction = DataDirection::Download;
    p.download_kbps = 4096;
    p.upload_kbps = 1024;
    p.burst = Burst{8192, 2048, 3072, 768, 16};
    p.shared_users = 3;
    p.idle_timeout_seconds = 600;
    p.valid_from = kT1;
    p.valid_until = kT2;
    p.price_micros = 2'500'000;
    p.currency = "EUR";
    p.address_pool = "hs-pool";
    p.expired_pool = "expired";
    p.allow_stacking = true;
    p.owner_path = "/u_3/";
    p.retired = true;
    return p;
}

Account full_account() {
    Account a;
    a.username = "HX34679A";
    a.password_sealed = "sy1:mk_1:pw";
    a.mac = "aa:bb:cc:dd:ee:ff";
    a.plan_id = "1d";
    a.service = ServiceType::Pppoe;
    a.status = AccountStatus::Exhausted;
    a.created_at = kT1;
    a.first_login_at = kT1;
    a.expires_at = kT2;
    a.extra_data_bytes = 7;
    a.extra_session_seconds = 9;
    a.voucher_code = "HX34679A";
    a.owner_path = "/u_3/";
    return a;
}

VoucherBatch full_batch() {
    return VoucherBatch{"dec", "1d", 2, "HX", 6, "Reception", kT1, "/u_3/"};
}

}  // namespace

TEST_CASE("every hotspot event reads back as written, with exactly its schema's properties") {
    auto catalog = codec_of<CatalogEvent>(
        [](const CatalogEvent& e) {
            auto enc = events::hotspot::encode(e);
            check_against_schema(enc);
            return enc;
        },
        events::hotspot::decode_catalog_event);
    catalog.round_trip_full(NasDefined{full_nas(), "c1"});
    catalog.round_trip_full(NasDisabled{"lobby", "stolen", "c2"});
    catalog.round_trip_full(NasEnabled{"lobby", "c3"});
    catalog.round_trip_full(PlanDefined{full_plan(), "c4"});
    catalog.round_trip_full(PlanRetired{"1d", "c5"});

    auto account = codec_of<AccountEvent>(
        [](const AccountEvent& e) {
            auto enc = events::hotspot::encode(e);
            check_against_schema(enc);
            return enc;
        },
        events::hotspot::decode_account_event);
    account.round_trip_full(AccountCreated{full_account(), "a1"});
    account.round_trip_full(AccountPlanChanged{"alice", "1d", ServiceType::Pppoe, kT2,
                                               AccountStatus::Disabled, "a2", 1'000, 5'000'000'000,
                                               3'600});
    account.round_trip_full(AccountPasswordChanged{"alice", "sy1:mk_1:x", "a3"});
    account.round_trip_full(AccountMacBound{"alice", "aa:bb:cc:dd:ee:ff", "a4"});
    account.round_trip_full(AccountMacUnbound{"alice", "a5"});
    account.round_trip_full(AccountDisabled{"alice", "abuse", "a6"});
    account.round_trip_full(AccountEnabled{"alice", AccountStatus::Expired, "a7"});
    account.round_trip_full(AccountStarted{"alice", kT1, kT2, "a8"});
    account.round_trip_full(AccountExpired{"alice", kT2, "a9"});
    account.round_trip_full(AccountExhausted{"alice", ExhaustedLimit::SessionTime, "a10"});
    account.round_trip_full(
        AccountExtended{"alice", 3600, 1000, 60, kT2, AccountStatus::Expired, "HXCDEFGH", "a11"});
    // Absent times are null and read back absent.
    account.round_trip(AccountStarted{"alice", kT1, std::nullopt, "a12"});

    auto batch = codec_of<BatchEvent>(
        [](const BatchEvent& e) {
            auto enc = events::hotspot::encode(e);
            check_against_schema(enc);
            return enc;
        },
        events::hotspot::decode_batch_event);
    batch.round_trip_full(VoucherBatchGenerated{full_batch(), {"HX34679A", "HXCDEFGH"}, "g1"});
    batch.round_trip_full(VoucherRedeemed{"dec", "HX34679A", "alice", true, "r1"});
    batch.round_trip_full(VoucherExpired{"dec", "HX34679A", "x1"});
    batch.round_trip_full(VoucherBatchRevoked{"dec", "lost", {"HXCDEFGH"}, "v1"});

    auto index = codec_of<CodeIndexEvent>(
        [](const CodeIndexEvent& e) {
            auto enc = events::hotspot::encode(e);
            check_against_schema(enc);
            return enc;
        },
        events::hotspot::decode_code_index_event);
    index.round_trip_full(VoucherCodesReserved{"dec", {"HX34679A"}, "g1"});
}

TEST_CASE("the payloads use the field's terms and units") {
    const auto nas = events::hotspot::encode(CatalogEvent{NasDefined{full_nas(), "c1"}});
    CHECK(nas.type == "hotspot.nas.defined");
    CHECK(nas.data.find(R"("vendor":"omada")") != std::string::npos);
    CHECK(nas.data.find(R"("coa_port":3799)") != std::string::npos);
    const auto plan = events::hotspot::encode(CatalogEvent{PlanDefined{full_plan(), "c4"}});
    CHECK(plan.data.find(R"("price_micros":2500000)") != std::string::npos);
    CHECK(plan.data.find(R"("time_from":"purchase")") != std::string::npos);
    CHECK(plan.data.find(R"("burst_threshold_download_kbps":3072)") != std::string::npos);
    CHECK(plan.data.find(R"("valid_until":"2026-09-22T14:15:23.000000Z")") != std::string::npos);
    Plan open;
    const auto unlimited = events::hotspot::encode(CatalogEvent{PlanDefined{open, "c"}});
    CHECK(unlimited.data.find(R"("data_limit_bytes":null)") != std::string::npos);
}

TEST_CASE("the JSON views never show a sealed secret, and read back") {
    const auto nas = boost::json::serialize(events::hotspot::nas_json(full_nas()));
    CHECK(nas.find("secret") == std::string::npos);
    auto back = events::hotspot::parse_nas(nas);
    REQUIRE(back);
    auto expected = full_nas();
    expected.secret_sealed.clear();
    CHECK(*back == expected);
    const auto account = boost::json::serialize(events::hotspot::account_json(full_account()));
    CHECK(account.find("password") == std::string::npos);
    auto a = events::hotspot::parse_account(account);
    REQUIRE(a);
    auto expected_account = full_account();
    expected_account.password_sealed.clear();
    CHECK(*a == expected_account);
    auto p = events::hotspot::parse_plan(
        boost::json::serialize(events::hotspot::plan_json(full_plan())));
    REQUIRE(p);
    CHECK(*p == full_plan());
    auto b = events::hotspot::parse_batch(
        boost::json::serialize(events::hotspot::batch_json(full_batch())));
    REQUIRE(b);
    CHECK(*b == full_batch());
}

TEST_CASE("malformed payloads are refused naming the field") {
    auto good = events::hotspot::encode(CatalogEvent{NasDefined{full_nas(), "c1"}});
    auto with = [&](const char* key, boost::json::value v) {
        auto o = boost::json::parse(good.data).as_object();
        o[key] = std::move(v);
        return recorded(good.type, boost::json::serialize(o));
    };
    auto without = [&](const char* key) {
        auto o = boost::json::parse(good.data).as_object();
        o.erase(key);
        return recorded(good.type, boost::json::serialize(o));
    };
    const auto decode = events::hotspot::decode_catalog_event;
    CHECK(refused_field(decode, with("coa_port", 0)) == "coa_port");
    CHECK(refused_field(decode, with("coa_port", 65536)) == "coa_port");
    CHECK(refused_field(decode, with("coa_port", "3799")) == "coa_port");
    CHECK(refused_field(decode, with("vendor", "ubiquiti")) == "vendor");
    CHECK(refused_field(decode, without("address")) == "address");
    CHECK(refused_field(decode, without("secret_sealed")) == "secret_sealed");
    CHECK(refused_field(decode, recorded(good.type, "[1,2]")) == "data");
    CHECK(refused_field(decode, recorded(good.type, "{")) == "data");
    CHECK(refused_field(decode, recorded("hotspot.nas.renamed", "{}")) == "type");
    CHECK(refused_field(decode, recorded(good.type, good.data, 2)) == "type");

    const auto acc =
        events::hotspot::encode(AccountEvent{AccountExhausted{"alice", ExhaustedLimit::Data, "q"}});
    CHECK(refused_field(
              events::hotspot::decode_account_event,
              recorded(acc.type, R"({"username":"alice","limit":"time","command_id":""})")) ==
          "limit");
    CHECK(refused_field(
              events::hotspot::decode_account_event,
              recorded("hotspot.account.expired",
                       R"({"username":"alice","expires_at":"yesterday","command_id":""})")) ==
          "expires_at");
    CHECK(
        refused_field(events::hotspot::decode_batch_event,
                      recorded("hotspot.voucher_batch.generated",
                               R"({"batch_id":"b","plan_id":"p","count":1,"prefix":"","length":6,)"
                               R"("note":"","created_at":"2026-09-21T00:00:00Z","owner_path":"/",)"
                               R"("codes":"ABC","command_id":"g"})")) == "codes");
}
