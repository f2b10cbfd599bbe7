// Users by id, by username (any case) and by owner scope; live sessions by token hash with the
// scope their user reaches; allowlists; sessions gone once ended.
#include <doctest/doctest.h>

#include "events/identity/user_codec.hpp"
#include "projections/identity/users.hpp"
#include "tests/projections/projector_harness.hpp"
#include "tests/support/same_fields.hpp"

using namespace switchyard;
using namespace switchyard::core::identity;
using namespace switchyard::projections::identity;

namespace {

using namespace std::chrono_literals;

/// The time of the users' creation and of their sessions' start.
const auto kAt = core::from_unix_seconds(1'790'000'000);

/// The model, fed events of users' streams.
struct Users : testing::ProjectorHarness {
    Users() : ProjectorHarness(make_users_projector()) {}
    void add(const UserEvent& e) {
        const auto id = std::visit([](const auto& x) { return x.user_id; }, e);
        append(user_stream(id), events::identity::encode(e));
    }
    /// The ids of at most `limit` users in `scope` after the key `after`, in owner-path order,
    /// and the key of the last.
    std::pair<std::vector<std::string>, std::string> in_scope(const std::string& scope,
                                                              const std::string& after = {},
                                                              std::size_t limit = 100) {
        std::pair<std::vector<std::string>, std::string> page;
        scan_users(view(), scope, after, [&](const UserRow& u, const std::string& key) {
            page.first.push_back(u.user_id);
            page.second = key;
            return page.first.size() < limit;
        });
        return page;
    }
};

UserCreated user(std::string id, std::string username, Role role, std::string parent = {},
                 std::string owner_path = "/") {
    return UserCreated{std::move(id),         std::move(username), role, std::move(parent),
                       std::move(owner_path), "$argon2id$secret",  kAt};
}

SessionStarted session(std::string id, std::string user_id, std::string restriction = {},
                       bool second_factor = false) {
    return SessionStarted{id,          std::move(user_id),     "th-" + id,   kAt, kAt + 12h,
                          "192.0.2.1", std::move(restriction), second_factor};
}

}  // namespace

TEST_CASE("a created user is found by id and by username in any case, without its hash") {
    Users m;
    m.add(user("u_7", "Acme", Role::Reseller, "u_1", "/u_1/"));
    auto row = find_user(m.view(), "u_7");
    REQUIRE(row);
    auto expected = UserRow{
        "u_7", "Acme", "reseller", "u_1", "/u_1/", core::format_rfc3339(kAt), row->json, {}};
    testing::check_same_fields(*row, expected);
    CHECK(row->json.find("argon2id") == std::string::npos);
    auto by_name = find_user_by_username(m.view(), "aCME");
    REQUIRE(by_name);
    CHECK(by_name->user_id == "u_7");
    CHECK_FALSE(find_user(m.view(), "u_8"));
    CHECK_FALSE(find_user_by_username(m.view(), "acme2"));
}

TEST_CASE("an allowlist replaces the user's networks") {
    Users m;
    m.add(user("u_7", "acme", Role::Customer));
    m.add(AllowlistSet{"u_7", {"192.0.2.0/24", "2001:db8::/32"}});
    auto row = find_user(m.view(), "u_7");
    REQUIRE(row);
    CHECK(row->allowlist == std::vector<std::string>{"192.0.2.0/24", "2001:db8::/32"});
    m.add(AllowlistSet{"u_7", {}});
    row = find_user(m.view(), "u_7");
    REQUIRE(row);
    CHECK(row->allowlist.empty());
}

TEST_CASE("a session is found by its token hash with the scope its user's role reaches") {
    Users m;
    m.add(user("u_1", "root", Role::Admin));
    m.add(user("u_7", "acme", Role::Reseller, "u_1", "/u_1/"));
    m.add(session("s_1", "u_1", "", true));
    m.add(session("s_7", "u_7", "password_expired"));
    auto admin = find_session(m.view(), "th-s_1");
    REQUIRE(admin);
    testing::check_same_fields(*admin, SessionRow{"s_1", "u_1", "admin", "/", kAt, kAt + 12h,
                                                  core::identity::SessionRestriction::None, true});
    auto reseller = find_session(m.view(), "th-s_7");
    REQUIRE(reseller);
    testing::check_same_fields(
        *reseller, SessionRow{"s_7", "u_7", "reseller", "/u_1/u_7/", kAt, kAt + 12h,
                              core::identity::SessionRestriction::PasswordExpired, false});
    CHECK_FALSE(find_session(m.view(), "s_1"));  // by token hash, not by id
}

TEST_CASE("an ended session is no longer found, the user's other sessions are") {
    Users m;
    m.add(user("u_7", "acme", Role::Customer));
    m.add(session("s_1", "u_7"));
    m.add(session("s_2", "u_7"));
    m.add(SessionEnded{"s_1", "u_7", "logout", kAt + 1h});
    CHECK_FALSE(find_session(m.view(), "th-s_1"));
    CHECK(find_session(m.view(), "th-s_2"));
    m.add(SessionEnded{"s_1", "u_7", "revoked", kAt + 2h});  // ended twice: no change
    CHECK(find_session(m.view(), "th-s_2"));
    // Two-factor events do not touch the model's users.
    m.add(TotpSetupStarted{"u_7", "sealed", kAt});
    auto row = find_user(m.view(), "u_7");
    REQUIRE(row);
    CHECK(row->json.find("sealed") == std::string::npos);
}

TEST_CASE("users are scanned by owner scope, in owner-path order, from a key") {
    Users m;
    m.add(user("u_1", "root", Role::Admin));
    m.add(user("u_2", "acme", Role::Reseller));
    m.add(user("u_3", "bob", Role::Customer, "u_2", "/u_2/"));
    m.add(user("u_4", "sub", Role::Reseller, "u_2", "/u_2/"));
    m.add(user("u_5", "carl", Role::Customer, "u_4", "/u_2/u_4/"));
    m.add(user("u_6", "other", Role::Reseller));
    CHECK(m.in_scope("/").first ==
          std::vector<std::string>{"u_1", "u_2", "u_3", "u_4", "u_5", "u_6"});
    CHECK(m.in_scope("/u_2/").first == std::vector<std::string>{"u_3", "u_4", "u_5"});
    CHECK(m.in_scope("/u_2/u_4/").first == std::vector<std::string>{"u_5"});
    auto page = m.in_scope("/u_2/", {}, 1);
    CHECK(page.first == std::vector<std::string>{"u_3"});
    CHECK(m.in_scope("/u_2/", page.second).first == std::vector<std::string>{"u_4", "u_5"});
}
