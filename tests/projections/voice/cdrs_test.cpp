// The voice_cdrs read model: rows of rated and unrated CDRs, a re-rating replacing the costs,
// an unrated CDR rated later moving to its customer, and the search's filters and cursor.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "projections/voice/cdrs.hpp"
#include "tests/projections/voice/cdr_events.hpp"

using namespace switchyard;
using namespace switchyard::testing::voice_cdrs;
using switchyard::testing::ProjectorHarness;
namespace json = boost::json;

namespace {

const std::int64_t kT0 = 1'767'268'800;  // 2026-01-01T12:00:00Z

std::vector<std::string> ids(const std::vector<projections::voice::CdrHit>& hits) {
    std::vector<std::string> out;
    for (const auto& h : hits)
        out.push_back(std::string(json::parse(h.json).at("cdr_id").as_string()));
    return out;
}

}  // namespace

TEST_CASE("voice_cdrs: rows, a re-rating's new costs, an unrated CDR rated later") {
    ProjectorHarness h(projections::voice::make_voice_cdrs_projector());
    add(h, rated("a", "1", "grn", call("a", kT0, 61), 110'000, 20'000));
    CdrUnrated u;
    u.cdr_id = "b";
    u.record = call("b", kT0 + 10, 30);
    u.reason = UnratedReason::UnknownCustomer;
    u.message = "no customer";
    add(h, u);
    add(h, rerated("a", "1", 110'000, 130'000, 20'000));

    auto a = json::parse(*projections::voice::find_cdr(h.view(), "a")).as_object();
    CHECK(a.at("status").as_string() == "rated");
    CHECK(a.at("sell").at("cost_micros").as_int64() == 130'000);
    CHECK(a.at("sell").at("cost").as_string() == "0.130000");
    CHECK(a.at("margin_micros").as_int64() == 110'000);
    CHECK(a.at("reratings").as_int64() == 1);
    CHECK(a.at("start").as_string() == "2026-01-01T12:00:00.000000Z");
    auto b = json::parse(*projections::voice::find_cdr(h.view(), "b")).as_object();
    CHECK(b.at("status").as_string() == "unrated");
    CHECK(b.at("unrated_reason").as_string() == "unknown_customer");

    projections::voice::CdrSearch of1;
    of1.customer_id = "1";
    CHECK(ids(projections::voice::search_cdrs(h.view(), of1, 10)) == std::vector<std::string>{"a"});
    // Rated after the fix: the row is rated, and the CDR is now customer 1's.
    add(h, rated("b", "1", "grn", call("b", kT0 + 10, 30), 20'000, 10'000));
    CHECK(ids(projections::voice::search_cdrs(h.view(), of1, 10)) ==
          std::vector<std::string>{"a", "b"});
    // An unrated event after the rating does not undo it.
    add(h, u);
    b = json::parse(*projections::voice::find_cdr(h.view(), "b")).as_object();
    CHECK(b.at("status").as_string() == "rated");
}

TEST_CASE("voice_cdrs: search by time, customer reach, status and prefix, with cursor pages") {
    ProjectorHarness h(projections::voice::make_voice_cdrs_projector());
    add(h, rated("c3", "2", "grn", call("c3", kT0 + 300, 10), 1, 0));
    add(h, rated("c1", "1", "grn", call("c1", kT0 + 100, 10), 1, 0));
    add(h, rated("c2", "1", "x", call("c2", kT0 + 200, 0), 0, 0));
    const auto& v = h.view();
    projections::voice::CdrSearch all;
    CHECK(ids(projections::voice::search_cdrs(v, all, 10)) ==
          std::vector<std::string>{"c1", "c2", "c3"});
    // Pages of one: the cursor of the first page starts the second after it.
    auto first = projections::voice::search_cdrs(v, all, 1);
    REQUIRE(first.size() == 1);
    all.after = first[0].cursor;
    CHECK(ids(projections::voice::search_cdrs(v, all, 10)) == std::vector<std::string>{"c2", "c3"});
    projections::voice::CdrSearch window;
    window.from = core::from_unix_seconds(kT0 + 150);
    window.to = core::from_unix_seconds(kT0 + 300);  // exclusive
    CHECK(ids(projections::voice::search_cdrs(v, window, 10)) == std::vector<std::string>{"c2"});
    projections::voice::CdrSearch reach;
    reach.reach = std::set<std::string>{"2"};
    CHECK(ids(projections::voice::search_cdrs(v, reach, 10)) == std::vector<std::string>{"c3"});
    projections::voice::CdrSearch answered;
    answered.disposition = "answered";
    answered.carrier_id = "grn";
    CHECK(ids(projections::voice::search_cdrs(v, answered, 10)) ==
          std::vector<std::string>{"c1", "c3"});
    projections::voice::CdrSearch prefix;
    prefix.destination_prefix = "4931";
    CHECK(projections::voice::search_cdrs(v, prefix, 10).empty());
    prefix.destination_prefix = "4930";
    CHECK(projections::voice::search_cdrs(v, prefix, 10).size() == 3);
}
