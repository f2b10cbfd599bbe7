// The pricing query over HTTP (POST /v1/voice/costs, CGRateS GetCost): the CGRateS tutorial plan
// imported and priced at the costs CGRateS documents for it (apier/v1/costs_it_test.go,
// general_tests/tutorial_it_test.go, cited in tests/core/voice/cgrates_plan_test.cpp), by
// subject, by deck and rating plan, and for a voice customer through its rate card; a
// destination no plan rates is 422, bad input 400.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

namespace {

json::array tutorial_files() {
    json::array out;
    const auto dir = std::filesystem::path(SY_SHARED_DATA) / "voip" / "cgrates" / "tutorial";
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() != ".csv") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        out.push_back(json::object{{"name", e.path().filename().string()}, {"content", s.str()}});
    }
    return out;
}

/// Imports the tutorial as the sell card `tutorial`, effective since 2014 (its profiles'
/// activation times).
void import_tutorial(ApiFixture& f) {
    json::object body{{"deck_id", "tutorial"},
                      {"name", "CGRateS tutorial"},
                      {"kind", "sell"},
                      {"currency", "EUR"},
                      {"format", "cgrates"},
                      {"tenant", "cgrates.org"},
                      {"effective_from", "2014-01-01T00:00:00Z"},
                      {"files", tutorial_files()}};
    auto r = f.call("POST", "/v1/voice/decks/imports", json::serialize(body));
    REQUIRE_MESSAGE(r.status == 201, r.body);
}

json::object cost(ApiFixture& f, const std::string& body, int status = 200) {
    auto r = f.call("POST", "/v1/voice/costs", body);
    REQUIRE_MESSAGE(r.status == status, r.body);
    return json::parse(r.body).as_object();
}

std::string s(const json::value& v) { return std::string(v.as_string()); }

}  // namespace

TEST_CASE("costs: the CGRateS tutorial priced as CGRateS documents it") {
    ApiFixture f;
    import_tutorial(f);
    // 1001 -> 1002, 120 s: 0.4 connect + 0.2 first minute + 60 x 0.1/60 rounded up = 0.7002.
    auto c = cost(f, R"({"tenant":"cgrates.org","category":"call","subject":"1001",)"
                     R"("destination":"1002","setup_time":"2025-05-05T10:00:00Z",)"
                     R"("usage_seconds":120})");
    CHECK(s(c.at("cost")) == "0.7002");
    CHECK(c.at("cost_micros").as_int64() == 700'200);
    CHECK(s(c.at("currency")) == "EUR");
    CHECK(s(c.at("matched_prefix")) == "1002");
    CHECK(s(c.at("destination_id")) == "DST_1002");
    CHECK(s(c.at("rating_plan_id")) == "RP_1001");
    // The explanation: the deck, the connect fee of RT_20CNT, two segments, rounding *up to 4.
    const auto& explain = c.at("explain").as_array();
    CHECK(s(explain[0].at("step")) == "deck");
    CHECK(s(explain[0].at("deck_id")) == "tutorial");
    CHECK(explain[0].at("version").as_int64() == 1);
    int segments = 0;
    for (const auto& step : explain) {
        const auto kind = s(step.at("step"));
        if (kind == "connect_fee") CHECK(s(step.at("amount")) == "0.4000");
        if (kind == "segment") ++segments;
        if (kind == "rounding") {
            CHECK(s(step.at("method")) == "*up");
            CHECK(step.at("decimals").as_int64() == 4);
        }
    }
    CHECK(segments == 2);
    // One minute: 0.4 + 0.2 = 0.6 (the first interval, 60 s increments).
    c = cost(f, R"({"tenant":"cgrates.org","subject":"1001","destination":"+1002",)"
                R"("setup_time":"2025-05-05T10:00:00Z","usage_seconds":60})");
    CHECK(s(c.at("cost")) == "0.6000");
    // 2m10s: 0.7169 (tutorial_it_test.go).
    c = cost(f, R"({"tenant":"cgrates.org","subject":"1001","destination":"001002",)"
                R"("setup_time":"2025-05-05T10:00:00Z","usage_seconds":130})");
    CHECK(c.at("cost_micros").as_int64() == 716'900);
    // SMS to any destination, one unit at 0.01 (*any subject).
    c = cost(f, R"({"tenant":"cgrates.org","category":"sms","subject":"1003",)"
                R"("destination":"1002","setup_time":"2025-05-05T10:00:00Z","usage_seconds":1})");
    CHECK(c.at("cost_micros").as_int64() == 10'000);

    // Against the deck by name and one of its plans: RP_1002 prices 1001 at RT_20CNT.
    c = cost(f, R"({"deck":"CGRateS tutorial","rating_plan":"RP_1002","destination":"1001",)"
                R"("setup_time":"2025-05-05T10:00:00Z","usage_seconds":120})");
    CHECK(c.at("cost_micros").as_int64() == 700'200);
    CHECK(s(c.at("rating_plan_id")) == "RP_1002");

    // RP_1001 rates 1002 and 1003 only: 1001 is a destination no plan of the subject rates.
    const auto before = f.log_size();
    auto r = f.call("POST", "/v1/voice/costs",
                    R"({"tenant":"cgrates.org","subject":"1001","destination":"4930123",)"
                    R"("setup_time":"2025-05-05T10:00:00Z","usage_seconds":60})");
    check_problem(f, r, 422, "destination", before);
}

TEST_CASE("costs: a voice customer is priced with its assigned rate card") {
    ApiFixture f;
    import_tutorial(f);
    auto post = [&](const std::string& path, const std::string& body) {
        auto r = f.call("POST", path, body);
        REQUIRE_MESSAGE(r.status == 201, path, r.body);
        return json::parse(r.body).as_object();
    };
    post("/v1/voice/categories", R"({"category_id":"sip_trunk","name":"SIP Trunk"})");
    post("/v1/voice/groups", R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})");
    auto customer = post("/v1/voice/customers", R"({"name":"Acme","country":"DE","currency":"EUR",)"
                                                R"("category_id":"sip_trunk","group_id":"gold"})");
    const auto id = customer.at("customer_id").as_int64();
    // Without a rate card the customer cannot be priced.
    const auto body = fmt::format(R"({{"subject":"{}","destination":"1002",)"
                                  R"("setup_time":"2025-05-05T10:00:00Z","usage_seconds":120}})",
                                  id);
    check_problem(f, f.call("POST", "/v1/voice/costs", body), 422, "subject", f.log_size());
    post("/v1/voice/assignments", R"({"kind":"rate_card","value":"tutorial","scope":"all"})");
    // The card's rating plan is its first plan, RP_1001: 1002 for 120 s = 0.7002.
    auto c = cost(f, body);
    CHECK(c.at("cost_micros").as_int64() == 700'200);
    CHECK(s(c.at("deck_id")) == "tutorial");
}

TEST_CASE("costs: bad input is 400 naming the field") {
    ApiFixture f;
    import_tutorial(f);
    const auto before = f.log_size();
    auto post = [&](const std::string& body) { return f.call("POST", "/v1/voice/costs", body); };
    check_problem(f,
                  post(R"({"subject":"1001","destination":"10-02","setup_time":)"
                       R"("2025-05-05T10:00:00Z","usage_seconds":1})"),
                  400, "destination", before);
    check_problem(f,
                  post(R"({"subject":"1001","destination":"1002","setup_time":"yesterday",)"
                       R"("usage_seconds":1})"),
                  400, "setup_time", before);
    check_problem(f,
                  post(R"({"subject":"1001","destination":"1002","setup_time":)"
                       R"("2025-05-05T10:00:00Z"})"),
                  400, "usage_seconds", before);
    check_problem(f,
                  post(R"({"destination":"1002","setup_time":"2025-05-05T10:00:00Z",)"
                       R"("usage_seconds":1})"),
                  400, "subject", before);
    check_problem(f,
                  post(R"({"deck":"nope","destination":"1002","setup_time":)"
                       R"("2025-05-05T10:00:00Z","usage_seconds":1})"),
                  404, "deck", before);
}
