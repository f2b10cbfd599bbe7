// `switchyard import deck` against a real `switchyard serve`, as the README's voice tour runs it:
// the CDRTool deck refused without --partial (its one bad row printed file:line: field: reason),
// imported with it as a carrier's buy deck, a sell card derived with 20 %, a call priced.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <curl/curl.h>
#include <fmt/format.h>
#include <boost/json.hpp>

#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace json = boost::json;

TEST_CASE("voice deck CLI: the CDRTool deck as a buy deck, a 20 % sell card, a priced call") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto data_dir = tmp.path() / "data";
    Server server(data_dir, free_port());
    const auto key_text = slurp(data_dir / "admin.key");
    const auto key = key_text.substr(0, key_text.find('\n'));
    const auto deck_dir = fs::path(SY_SHARED_DATA) / "voip" / "ratedeck-cdrtool-2010";

    auto carrier = http("POST", server.base + "/v1/voice/carriers",
                        R"({"carrier_id":"acme","name":"Acme Telecom",)"
                        R"("trunk_hosts":["sip.acme.example"],"currency":"EUR"})",
                        key);
    REQUIRE_MESSAGE(carrier.status == 201, carrier.body);

    const auto errors = (tmp.path() / "stderr.txt").string();
    const auto command = fmt::format(
        "'{}' import deck '{}' --format cdrtool --name 'Acme 2010' --carrier acme --server {} "
        "--data-dir '{}'",
        SY_SWITCHYARD, deck_dir.string(), server.base, data_dir.string());
    // One refused row (the sms rate without a destination): nothing imported, exit 1.
    std::string out;
    CHECK(run(command + " 2>'" + errors + "'", &out) == 1);
    auto problem = json::parse(out).as_object();
    CHECK(problem.at("status").as_int64() == 422);
    CHECK(problem.at("refused").as_array().size() == 1);
    auto progress = slurp(errors);
    CHECK(progress.find("destinations.csv: 561367 bytes") != std::string::npos);
    CHECK(progress.find("rates.csv:13128: Destination: ") != std::string::npos);

    // With --partial the other 13,126 prefixes are imported as version 1.
    REQUIRE(run(command + " --partial 2>'" + errors + "'", &out) == 0);
    auto report = json::parse(out).as_object();
    CHECK(report.at("deck_id").as_string() == "acme-2010");
    CHECK(report.at("version").as_int64() == 1);
    CHECK(report.at("counts").at("prefixes").as_int64() == 13'126);
    CHECK(slurp(errors).find("HTTP 201: deck acme-2010 version 1") != std::string::npos);

    // A sell card with 20 %: 37060 (LITHUANIA CELL TELE2) is 0.1994 a minute to buy
    // (rates.csv: Duration 1994), 0.23928 -> 0.2393 to sell.
    auto card = http("POST", server.base + "/v1/voice/decks",
                     R"({"deck_id":"retail","name":"Retail","source_deck_id":"acme-2010",)"
                     R"("markup":{"percent":"20"}})",
                     key);
    REQUIRE_MESSAGE(card.status == 201, card.body);
    auto cost = http("POST", server.base + "/v1/voice/costs",
                     R"({"deck":"retail","destination":"+37060123456",)"
                     R"("setup_time":"2030-12-01T10:00:00Z","usage_seconds":90})",
                     key);
    REQUIRE_MESSAGE(cost.status == 200, cost.body);
    auto c = json::parse(cost.body).as_object();
    CHECK(c.at("matched_prefix").as_string() == "37060");
    CHECK(c.at("rating_plan_id").as_string() == "grn_premium");
    // Per second (Incr 0), priced by CDRTool's formula (PricingModel::Exact): 0.2393 x 90 / 60
    // = 0.35895, rounded half up to the deck's 4 decimals = 0.3590.
    CHECK(c.at("cost").as_string() == "0.3590");
    CHECK(server.stop() == 0);
}
