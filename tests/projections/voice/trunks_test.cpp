// The voice_trunks read model fed through a ProjectionRunner: rows without secrets, the
// password flag following the username, removal, and the list by customer in id order.
#include <doctest/doctest.h>

#include "events/voice/trunk_codec.hpp"
#include "projections/voice/trunks.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::testing::ProjectorHarness;

namespace {

Trunk trunk(std::string id, std::int64_t customer, std::string username = "") {
    Trunk t;
    t.trunk_id = std::move(id);
    t.customer_id = customer;
    t.name = t.trunk_id;
    t.username = std::move(username);
    t.source_ips = {"192.0.2.1"};
    return t;
}

void add(ProjectorHarness& h, const TrunkEvent& e) {
    h.append("voice_trunks-op", events::voice::encode(e));
}

}  // namespace

TEST_CASE("trunk rows: password flag and realm, no HA1, a new username drops the flag") {
    ProjectorHarness h(projections::voice::make_voice_trunks_projector());
    add(h, TrunkDefined{trunk("a", 1, "alice"), "c1"});
    add(h, TrunkPasswordSet{"a", {"alice", "sip.example.com", "sy1:k:sealed"}});
    auto row = projections::voice::find_trunk(h.view(), "a");
    REQUIRE(row.has_value());
    CHECK(row->password_set);
    CHECK(row->realm == "sip.example.com");
    auto same = trunk("a", 1, "alice");
    same.cps = 5;
    add(h, TrunkDefined{same, ""});
    row = projections::voice::find_trunk(h.view(), "a");
    REQUIRE(row.has_value());
    CHECK(row->password_set);
    CHECK(row->trunk.cps == 5);
    add(h, TrunkDefined{trunk("a", 1, "alice2"), ""});
    row = projections::voice::find_trunk(h.view(), "a");
    REQUIRE(row.has_value());
    CHECK_FALSE(row->password_set);
    CHECK(row->realm.empty());
}

TEST_CASE("trunk list: by customer in trunk id order, after a cursor, removed ones gone") {
    ProjectorHarness h(projections::voice::make_voice_trunks_projector());
    for (auto [id, customer] :
         std::vector<std::pair<std::string, std::int64_t>>{{"b", 1}, {"a", 1}, {"c", 2}, {"d", 1}})
        add(h, TrunkDefined{trunk(id, customer), ""});
    add(h, TrunkRemoved{"d"});
    const auto& v = h.view();
    auto all = projections::voice::list_trunks(v, "", 10);
    REQUIRE(all.size() == 3);
    CHECK(all[0].trunk.trunk_id == "a");
    CHECK(all[2].trunk.trunk_id == "c");
    auto mine = projections::voice::list_trunks(v, "", 10, 1);
    REQUIRE(mine.size() == 2);
    CHECK(mine[1].trunk.trunk_id == "b");
    auto after = projections::voice::list_trunks(v, "a", 10);
    REQUIRE(after.size() == 2);
    CHECK(after[0].trunk.trunk_id == "b");
    CHECK_FALSE(projections::voice::find_trunk(v, "d").has_value());
}
