// The shipped FreeRADIUS configuration (adapters/radius/raddb) through a real FreeRADIUS 3.2
// and radclient, against the Python rlm_rest backend (bench/hotspot_peer_backend.py): PAP and
// CHAP accepts with reply attributes, rejects with their Reply-Message, accounting with
// gigawords and repeats, and replies written by events/hotspot/rlm_rest_json.hpp read back by
// rlm_rest.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "core/hotspot/authorize.hpp"
#include "events/hotspot/rlm_rest_json.hpp"
#include "tests/support/freeradius.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;
namespace fs = std::filesystem;

namespace {

int free_tcp_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool tcp_open(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

/// The Python peer backend as a child process, stopped by PID.
struct PeerBackend {
    pid_t pid = -1;
    int port = 0;
    PeerBackend(const fs::path& users, const fs::path& log) : port(free_tcp_port()) {
        const std::string script = std::string(SY_SOURCE_DIR) + "/bench/hotspot_peer_backend.py";
        const std::string port_text = std::to_string(port);
        const std::string users_text = users.string();
        std::fflush(stdout);
        std::fflush(stderr);
        pid = ::fork();
        if (pid == 0) {
            std::freopen(log.c_str(), "a", stdout);
            std::freopen(log.c_str(), "a", stderr);
            ::execl(SY_PYTHON, SY_PYTHON, script.c_str(), "--port", port_text.c_str(), "--users",
                    users_text.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !tcp_open(port); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ~PeerBackend() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            ::waitpid(pid, nullptr, 0);
        }
    }
};

std::string sessions(int port) {
    auto r = freeradius_detail::shell("curl -s http://127.0.0.1:" + std::to_string(port) +
                                      "/radius/sessions");
    return r.output;
}

/// The users file: two plain users and two whose authorize answer is what Switchyard's
/// authorize() + authorize_answer() give, so that rlm_rest reads the C++ writer's output.
std::string users_json() {
    using namespace core::hotspot;
    Nas nas;
    nas.nas_id = "lobby";
    VendorProfile mikrotik;
    mikrotik.vendor = "mikrotik";
    mikrotik.speed_format = SpeedFormat::MikrotikRateLimit;
    mikrotik.rate_limit_attribute = "Mikrotik-Rate-Limit";
    mikrotik.total_quota = {"Mikrotik-Total-Limit", "Mikrotik-Total-Limit-Gigawords"};
    mikrotik.acct_interim_interval_seconds = 60;
    Plan plan;
    plan.plan_id = "week";
    plan.duration_seconds = 7 * 86400;
    plan.data_limit_bytes = 5'000'000'000;
    plan.download_kbps = 1024;
    plan.upload_kbps = 256;
    plan.idle_timeout_seconds = 600;
    Account carol;
    carol.username = "carol";
    AuthorizeInput in;
    in.nas = &nas;
    in.profile = &mikrotik;
    in.account = &carol;
    in.plan = &plan;
    in.cleartext_password = "carol-pw";
    in.now = core::from_unix_seconds(1'800'000'000);
    const auto accept = events::hotspot::authorize_answer(authorize(in));
    Account dave = carol;
    dave.username = "dave";
    dave.expires_at = core::from_unix_seconds(1'700'000'000);
    in.account = &dave;
    const auto expired = events::hotspot::authorize_answer(authorize(in));

    AuthorizeDecision literal;
    literal.reply_message = "No entry for %{User-Name}";
    const auto unexpanded = events::hotspot::authorize_answer(literal);

    boost::json::object users;
    users["bob"] = {{"password", "s3cret"},
                    {"reply", {{"Mikrotik-Rate-Limit", "512k/2048k"}, {"Session-Timeout", 3600}}}};
    users["gina"] = {{"password", "g1na"}, {"auth_type", "rest"}};
    users["eve"] = {{"password", "x"}, {"reject", "Your time has expired."}};
    users["carol"] = {
        {"password", "carol-pw"},
        {"answer", {{"status", accept.status}, {"body", boost::json::parse(accept.body)}}}};
    users["dave"] = {
        {"password", "carol-pw"},
        {"answer", {{"status", expired.status}, {"body", boost::json::parse(expired.body)}}}};
    users["frank"] = {
        {"password", "x"},
        {"answer", {{"status", unexpanded.status}, {"body", boost::json::parse(unexpanded.body)}}}};
    return boost::json::serialize(users);
}

/// A running pair: the Python backend and FreeRADIUS with the shipped configuration.
struct Rig {
    TempDir tmp;
    std::optional<PeerBackend> backend;
    std::optional<FreeRadius> radius;
    bool ready = false;
    Rig() {
        if (auto missing = missing_freeradius_tool()) {
            skip("needs " + *missing);
            return;
        }
        freeradius_detail::write_file(tmp.path() / "users.json", users_json());
        backend.emplace(tmp.path() / "users.json", tmp.path() / "backend.log");
        REQUIRE_MESSAGE(tcp_open(backend->port), "the Python backend did not start");
        radius.emplace(fs::path(SY_SOURCE_DIR) / "adapters/radius/raddb", tmp.path(),
                       "http://127.0.0.1:" + std::to_string(backend->port) + "/radius");
        REQUIRE_MESSAGE(radius->start(), "freeradius did not start:\n", radius->log());
        ready = true;
    }
};

}  // namespace

TEST_CASE("the shipped FreeRADIUS configuration passes freeradius -XC") {
    if (auto missing = missing_freeradius_tool()) {
        skip("needs " + *missing);
        return;
    }
    TempDir tmp;
    FreeRadius radius(fs::path(SY_SOURCE_DIR) / "adapters/radius/raddb", tmp.path(),
                      "http://127.0.0.1:9/radius");
    const auto problem = radius.check();
    CHECK_MESSAGE(!problem.has_value(), problem.value_or(""));
}

TEST_CASE(
    "FreeRADIUS with the shipped configuration accepts PAP and CHAP with the reply attributes") {
    Rig rig;
    if (!rig.ready) return;
    auto r = rig.radius->radclient(
        "User-Name = bob, User-Password = s3cret, NAS-IP-Address = 127.0.0.1, "
        "Calling-Station-Id = \"AA-BB-CC-DD-EE-FF\"");
    CHECK_MESSAGE(r.received("Access-Accept"), r.output);
    CHECK(r.output.find("Mikrotik-Rate-Limit = \"512k/2048k\"") != std::string::npos);
    CHECK(r.output.find("Session-Timeout = 3600") != std::string::npos);
    // radclient computes CHAP-Password from the clear text it is given (RFC 1994 MD5).
    r = rig.radius->radclient("User-Name = bob, CHAP-Password = s3cret");
    CHECK_MESSAGE(r.received("Access-Accept"), r.output);
    r = rig.radius->radclient("User-Name = bob, User-Password = wrong");
    CHECK_MESSAGE(r.received("Access-Reject"), r.output);
    CHECK(r.output.find("Reply-Message = \"Wrong password.\"") != std::string::npos);
    // A reject carries no plan attributes.
    CHECK(r.output.find("Received Access-Reject") < r.output.size());
    CHECK(r.output.find("Mikrotik-Rate-Limit", r.output.find("Received")) == std::string::npos);
}

TEST_CASE("Auth-Type rest sends the PAP check to the backend's authenticate") {
    Rig rig;
    if (!rig.ready) return;
    auto r = rig.radius->radclient("User-Name = gina, User-Password = g1na");
    CHECK_MESSAGE(r.received("Access-Accept"), r.output, rig.radius->log());
    r = rig.radius->radclient("User-Name = gina, User-Password = nope");
    CHECK_MESSAGE(r.received("Access-Reject"), r.output);
    CHECK(r.output.find("Reply-Message = \"Wrong password.\"") != std::string::npos);
}

TEST_CASE("a 401 from the backend is an Access-Reject that still carries its Reply-Message") {
    Rig rig;
    if (!rig.ready) return;
    auto r = rig.radius->radclient("User-Name = eve, User-Password = x");
    CHECK_MESSAGE(r.received("Access-Reject"), r.output);
    CHECK(r.output.find("Reply-Message = \"Your time has expired.\"") != std::string::npos);
    r = rig.radius->radclient("User-Name = nobody, User-Password = x");
    CHECK_MESSAGE(r.received("Access-Reject"), r.output);
    CHECK(r.output.find("Reply-Message = \"Unknown username or voucher.\"") != std::string::npos);
}

TEST_CASE("rlm_rest reads the replies Switchyard's writer produces") {
    Rig rig;
    if (!rig.ready) return;
    auto r = rig.radius->radclient("User-Name = carol, User-Password = carol-pw");
    REQUIRE_MESSAGE(r.received("Access-Accept"), r.output, rig.radius->log());
    // By hand: 256k up / 1024k down; 5,000,000,000 bytes = 1 x 2^32 + 705,032,704; 7 days.
    CHECK(r.output.find("Mikrotik-Rate-Limit = \"256k/1024k\"") != std::string::npos);
    CHECK(r.output.find("Mikrotik-Total-Limit = 705032704") != std::string::npos);
    CHECK(r.output.find("Mikrotik-Total-Limit-Gigawords = 1") != std::string::npos);
    CHECK(r.output.find("Session-Timeout = 604800") != std::string::npos);
    CHECK(r.output.find("Idle-Timeout = 600") != std::string::npos);
    CHECK(r.output.find("Acct-Interim-Interval = 60") != std::string::npos);
    r = rig.radius->radclient("User-Name = carol, CHAP-Password = carol-pw");
    CHECK_MESSAGE(r.received("Access-Accept"), r.output);
    r = rig.radius->radclient("User-Name = dave, User-Password = carol-pw");
    CHECK_MESSAGE(r.received("Access-Reject"), r.output);
    CHECK(r.output.find("Reply-Message = \"Your time has expired.\"") != std::string::npos);
    // do_xlat false: FreeRADIUS does not expand %{...} in text Switchyard sends.
    r = rig.radius->radclient("User-Name = frank, User-Password = x");
    CHECK_MESSAGE(r.received("Access-Reject"), r.output);
    CHECK(r.output.find("Reply-Message = \"No entry for %{User-Name}\"") != std::string::npos);
}

TEST_CASE("accounting Start, Interim with gigawords and Stop reach the backend once each") {
    Rig rig;
    if (!rig.ready) return;
    const std::string common =
        "User-Name = bob, Acct-Session-Id = \"81000001\", NAS-IP-Address = 127.0.0.1, ";
    auto r = rig.radius->radclient(common + "Acct-Status-Type = Start", "acct");
    CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
    const auto interim = common +
                         "Acct-Status-Type = Interim-Update, Acct-Input-Octets = 1200, "
                         "Acct-Output-Octets = 704, Acct-Output-Gigawords = 1, "
                         "Acct-Session-Time = 300";
    r = rig.radius->radclient(interim, "acct");
    CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
    r = rig.radius->radclient(interim, "acct");  // a repeat
    CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
    r = rig.radius->radclient(common + "Acct-Status-Type = Stop, Acct-Session-Time = 360", "acct");
    CHECK_MESSAGE(r.received("Accounting-Response"), r.output);
    const auto listed = boost::json::parse(sessions(rig.backend->port)).as_object();
    // One session: the policy gave every packet of it the same Acct-Unique-Session-Id.
    REQUIRE(listed.size() == 1);
    const auto& updates = listed.begin()->value().at("updates").as_array();
    REQUIRE(updates.size() == 3);
    CHECK(updates[1] == boost::json::parse(R"(["Interim-Update", 1200, 0, 704, 1, 300])"));
}
