// The Dynamic Authorization client (RFC 5176) against a real FreeRADIUS 3.2 playing the NAS:
// the test writes a minimal configuration with a `listen { type = coa }` section into a temp
// directory and starts `freeradius -X` on a free loopback port. Its virtual server records
// every request with the `detail` module and answers ACK, NAK with Error-Cause 503 for the
// user `gone`, and nothing for the user `silent`. What FreeRADIUS wrote in the detail file is
// how FreeRADIUS decoded our packets.
#include "adapters/radius/dae_client.hpp"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "adapters/process/process.hpp"
#include "adapters/radius/dictionary_loader.hpp"
#include "tests/support/freeradius_nas.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard::adapters::radius;
using switchyard::core::Errc;
using switchyard::core::radius::Code;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

using namespace switchyard::testing;

namespace {

/// FreeRADIUS prints a date as "%b %e %Y %H:%M:%S %Z" (src/lib/print.c), here in UTC.
std::string freeradius_date(std::uint32_t seconds) {
    const std::time_t t = seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%b %e %Y %H:%M:%S UTC", &tm);
    return buf;
}

const switchyard::core::radius::Dictionary& dictionary() {
    static const auto d = [] {
        auto r = load_dictionary();
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        return *r;
    }();
    return d;
}

bool have_freeradius() {
    if (fs::exists(freeradius_binary()) && fs::exists("/usr/share/freeradius/dictionary"))
        return true;
    switchyard::testing::skip("freeradius is not installed (apt-get install freeradius)");
    return false;
}

}  // namespace

TEST_CASE("the Response Authenticator of RFC 2865 7.1 is computed and verified") {
    // The Access-Request's authenticator and the Access-Accept of the RFC's example, shared
    // secret "xyzzy5461".
    const std::array<std::uint8_t, 16> request_auth{0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97, 0x80, 0x57,
                                                    0xbd, 0x83, 0xd5, 0xcb, 0x98, 0xf4, 0x22, 0x7a};
    const std::vector<std::uint8_t> accept{
        0x02, 0x00, 0x00, 0x26, 0x86, 0xfe, 0x22, 0x0e, 0x76, 0x24, 0xba, 0x2a, 0x10,
        0x05, 0xf6, 0xbf, 0x9b, 0x55, 0xe0, 0xb2, 0x06, 0x06, 0x00, 0x00, 0x00, 0x01,
        0x0f, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0e, 0x06, 0xc0, 0xa8, 0x01, 0x03};
    const auto computed = response_authenticator(accept, request_auth, "xyzzy5461");
    CHECK(std::equal(computed.begin(), computed.end(), accept.begin() + 4));
    CHECK(verify_response(accept, request_auth, "xyzzy5461"));
    CHECK_FALSE(verify_response(accept, request_auth, "xyzzy5462"));
    auto tampered = accept;
    tampered.back() = 0x04;
    CHECK_FALSE(verify_response(tampered, request_auth, "xyzzy5461"));
}

TEST_CASE("bad requests are refused before anything is sent") {
    const switchyard::core::radius::Dictionary empty;
    DaeClient client(empty);
    auto unknown = client.disconnect({"127.0.0.1", 3799, "x"}, {{"User-Name", "alice"}});
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == Errc::Invalid);
    CHECK(unknown.error().field == "User-Name");
    auto address = client.disconnect({"nas.example", 3799, "x"}, {});
    REQUIRE_FALSE(address);
    CHECK(address.error().field == "address");
    auto secret = client.coa({"127.0.0.1", 3799, ""}, {});
    REQUIRE_FALSE(secret);
    CHECK(secret.error().field == "secret");
    auto code = client.send(Code::AccessRequest, {"127.0.0.1", 3799, "x"}, {});
    REQUIRE_FALSE(code);
    CHECK(code.error().field == "code");
    DaeClient zero(empty, DaeOptions{.max_attempts = 0});
    auto options = zero.disconnect({"127.0.0.1", 3799, "x"}, {});
    REQUIRE_FALSE(options);
    CHECK(options.error().field == "options");
}

TEST_CASE("a reply with a wrong authenticator is ignored and the request times out") {
    // A responder on loopback that answers every request with a Disconnect-ACK signed with
    // another secret.
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    std::atomic<int> answered{0};
    std::thread responder([&] {
        for (int i = 0; i < 2; ++i) {
            std::uint8_t buf[4096];
            sockaddr_in from{};
            socklen_t from_len = sizeof from;
            const auto n =
                ::recvfrom(fd, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
            if (n < 20) return;
            std::vector<std::uint8_t> reply{41, buf[1], 0, 20};
            reply.resize(20);
            std::array<std::uint8_t, 16> req{};
            std::copy(buf + 4, buf + 20, req.begin());
            const auto auth = response_authenticator(reply, req, "not-the-secret");
            std::copy(auth.begin(), auth.end(), reply.begin() + 4);
            ::sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from),
                     from_len);
            ++answered;
        }
    });
    switchyard::core::radius::Dictionary d;
    REQUIRE(d.add({"d", "ATTRIBUTE User-Name 1 string\nATTRIBUTE Event-Timestamp 55 date\n"}));
    DaeClient client(d, DaeOptions{.first_timeout = 150ms, .max_attempts = 2});
    auto r =
        client.disconnect({"127.0.0.1", ntohs(a.sin_port), "the-secret"}, {{"User-Name", "alice"}});
    responder.join();
    ::close(fd);
    REQUIRE(r);
    CHECK(answered == 2);
    CHECK(r->outcome == DaeOutcome::Timeout);
    CHECK(r->attempts.size() == 2);
    CHECK(r->ignored_datagrams == 2);
}

TEST_CASE("FreeRADIUS as the NAS: a CoA-Request arrives with every attribute and is ACKed") {
    if (!have_freeradius()) return;
    switchyard::testing::TempDir dir;
    FakeNas nas(dir.path());
    DaeClient client(dictionary());
    const std::vector<DaeAttribute> attributes{
        {"User-Name", "alice"},
        {"Acct-Session-Id", "81000001"},
        {"Framed-IP-Address", "10.5.0.23"},
        {"NAS-IP-Address", "192.0.2.1"},
        {"Framed-IPv6-Address", "2001:db8::23"},
        {"Service-Type", "Framed-User"},
        {"Session-Timeout", "3600"},
        {"Mikrotik-Rate-Limit", "2M/4M"},
        {"Mikrotik-Total-Limit", "1073741824"},
        {"WISPr-Bandwidth-Max-Down", "4000000"},
        {"ChilliSpot-Max-Total-Octets", "500000000"},
    };
    auto r = client.coa(nas.target(), attributes);
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    CHECK(r->outcome == DaeOutcome::Ack);
    CHECK(r->reply_code == Code::CoaAck);
    REQUIRE(r->attempts.size() == 1);
    CHECK(r->attempts[0].outcome == DaeOutcome::Ack);
    REQUIRE(r->attempts[0].round_trip.has_value());
    CHECK(*r->attempts[0].round_trip > 0us);
    CHECK(*r->attempts[0].round_trip < 1s);

    const auto got = nas.received();
    REQUIRE(got.size() == 1);
    const auto& req = got[0];
    CHECK(req.get("Packet-Type") == "CoA-Request");
    CHECK(req.get("User-Name") == "alice");
    CHECK(req.get("Acct-Session-Id") == "81000001");
    CHECK(req.get("Framed-IP-Address") == "10.5.0.23");
    CHECK(req.get("NAS-IP-Address") == "192.0.2.1");
    CHECK(req.get("Framed-IPv6-Address") == "2001:db8::23");
    CHECK(req.get("Service-Type") == "Framed-User");
    CHECK(req.get("Session-Timeout") == "3600");
    CHECK(req.get("Mikrotik-Rate-Limit") == "2M/4M");
    CHECK(req.get("Mikrotik-Total-Limit") == "1073741824");
    CHECK(req.get("WISPr-Bandwidth-Max-Down") == "4000000");
    CHECK(req.get("ChilliSpot-Max-Total-Octets") == "500000000");
    // Event-Timestamp (RFC 5176 3.6) as FreeRADIUS prints a date.
    CHECK(req.get("Event-Timestamp") == freeradius_date(r->attempts[0].event_timestamp));
    // FreeRADIUS checks a Message-Authenticator when there is one; it accepted ours.
    CHECK(req.attributes.count("Message-Authenticator") == 1);
}

TEST_CASE("FreeRADIUS as the NAS: Disconnect-ACK, and a NAK with Error-Cause 503") {
    if (!have_freeradius()) return;
    switchyard::testing::TempDir dir;
    FakeNas nas(dir.path());
    DaeClient client(dictionary());

    auto ack = client.disconnect(
        nas.target(),
        {{"User-Name", "alice"}, {"Acct-Session-Id", "81000001"}, {"NAS-IP-Address", "192.0.2.1"}});
    REQUIRE(ack);
    CHECK(ack->outcome == DaeOutcome::Ack);
    CHECK(ack->reply_code == Code::DisconnectAck);
    CHECK_FALSE(ack->error_cause.has_value());

    auto gone =
        client.disconnect(nas.target(), {{"User-Name", "gone"}, {"Acct-Session-Id", "81000002"}});
    REQUIRE(gone);
    CHECK(gone->outcome == DaeOutcome::Nak);
    CHECK(gone->reply_code == Code::DisconnectNak);
    CHECK(gone->error_cause == 503u);
    CHECK(gone->error_cause_name == "Session-Context-Not-Found");
    CHECK(gone->attempts.size() == 1);
    CHECK(gone->attempts[0].outcome == DaeOutcome::Nak);

    // A CoA for a gone session is a CoA-NAK.
    auto coa = client.coa(nas.target(), {{"User-Name", "gone"}, {"Session-Timeout", "60"}});
    REQUIRE(coa);
    CHECK(coa->outcome == DaeOutcome::Nak);
    CHECK(coa->reply_code == Code::CoaNak);
    CHECK(coa->error_cause == 503u);

    const auto got = nas.received();
    REQUIRE(got.size() == 3);
    CHECK(got[0].get("Packet-Type") == "Disconnect-Request");
    CHECK(got[0].get("User-Name") == "alice");
    CHECK(got[1].get("User-Name") == "gone");
    CHECK(got[2].get("Packet-Type") == "CoA-Request");
}

TEST_CASE("FreeRADIUS as the NAS: a silent NAS gets every attempt, with backoff") {
    if (!have_freeradius()) return;
    switchyard::testing::TempDir dir;
    FakeNas nas(dir.path());
    DaeClient client(dictionary(),
                     DaeOptions{.first_timeout = 200ms, .backoff_factor = 2.0, .max_attempts = 3});
    const auto start = std::chrono::steady_clock::now();
    auto r = client.disconnect(nas.target(), {{"User-Name", "silent"}});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(r);
    CHECK(r->outcome == DaeOutcome::Timeout);
    REQUIRE(r->attempts.size() == 3);
    // 200 + 400 + 800 ms of waiting.
    CHECK(took >= 1400ms);
    CHECK(took < 3s);
    const auto gap1 = r->attempts[1].sent_at - r->attempts[0].sent_at;
    const auto gap2 = r->attempts[2].sent_at - r->attempts[1].sent_at;
    CHECK(gap1 >= 200ms);
    CHECK(gap2 >= 400ms);
    for (const auto& a : r->attempts) {
        CHECK(a.outcome == DaeOutcome::Timeout);
        CHECK_FALSE(a.round_trip.has_value());
    }
    // Each attempt is a new packet with its own Identifier.
    CHECK(r->attempts[0].identifier != r->attempts[1].identifier);
    CHECK(r->attempts[1].identifier != r->attempts[2].identifier);
    // FreeRADIUS received (and did not answer) all three.
    const auto got = nas.received();
    CHECK(got.size() == 3);
    for (const auto& g : got) CHECK(g.get("User-Name") == "silent");
}

TEST_CASE("FreeRADIUS as the NAS: a wrong secret is refused, no valid reply comes") {
    if (!have_freeradius()) return;
    switchyard::testing::TempDir dir;
    FakeNas nas(dir.path());
    DaeClient client(dictionary(), DaeOptions{.first_timeout = 200ms, .max_attempts = 2});
    auto r = client.disconnect(nas.target("not-the-secret"), {{"User-Name", "alice"}});
    REQUIRE(r);
    CHECK(r->outcome == DaeOutcome::Timeout);
    CHECK(r->attempts.size() == 2);
    CHECK(nas.received().empty());
    // FreeRADIUS checks the Message-Authenticator first (src/lib/radius.c rad_verify).
    CHECK(nas.log().find("with invalid Message-Authenticator!  (Shared secret is incorrect.)") !=
          std::string::npos);

    // Without a Message-Authenticator FreeRADIUS still refuses it by the Request Authenticator.
    DaeClient plain(
        dictionary(),
        DaeOptions{.first_timeout = 200ms, .max_attempts = 1, .message_authenticator = false});
    auto r2 = plain.disconnect(nas.target("not-the-secret"), {{"User-Name", "alice"}});
    REQUIRE(r2);
    CHECK(r2->outcome == DaeOutcome::Timeout);
    CHECK(nas.log().find("Received Disconnect-Request packet from client 127.0.0.1 with invalid "
                         "Request Authenticator!  (Shared secret is incorrect.)") !=
          std::string::npos);
    // And with the right secret, the same client is ACKed.
    auto r3 = plain.disconnect(nas.target(), {{"User-Name", "alice"}});
    REQUIRE(r3);
    CHECK(r3->outcome == DaeOutcome::Ack);
    CHECK(nas.received().size() == 1);
}

TEST_CASE("FreeRADIUS as the NAS: radclient talks to the same listener") {
    if (!have_freeradius()) return;
    if (!fs::exists("/usr/bin/radclient")) {
        switchyard::testing::skip("radclient is not installed (apt-get install freeradius-utils)");
        return;
    }
    switchyard::testing::TempDir dir;
    FakeNas nas(dir.path());
    const auto to = fmt::format("127.0.0.1:{}", nas.port());
    auto ack = switchyard::adapters::run_process(
        {"radclient", "-x", "-r", "1", "-t", "2", to, "disconnect", kSecret},
        "User-Name = \"alice\"\n", 10000, 1 << 16);
    CHECK_MESSAGE(ack.output.find("Received Disconnect-ACK") != std::string::npos, ack.output);
    auto nak = switchyard::adapters::run_process(
        {"radclient", "-x", "-r", "1", "-t", "2", to, "coa", kSecret}, "User-Name = \"gone\"\n",
        10000, 1 << 16);
    CHECK_MESSAGE(nak.output.find("Received CoA-NAK") != std::string::npos, nak.output);
    CHECK_MESSAGE(nak.output.find("Error-Cause = Session-Context-Not-Found") != std::string::npos,
                  nak.output);
}

TEST_CASE("a closed port on loopback is an error outcome, not a long wait") {
    switchyard::core::radius::Dictionary d;
    REQUIRE(d.add({"d", "ATTRIBUTE User-Name 1 string\nATTRIBUTE Event-Timestamp 55 date\n"}));
    DaeClient client(d, DaeOptions{.first_timeout = 2s, .max_attempts = 2});
    const auto start = std::chrono::steady_clock::now();
    // ICMP port unreachable comes back at once on loopback (the socket is connected).
    auto r = client.disconnect({"127.0.0.1", static_cast<std::uint16_t>(free_udp_port()), "x"},
                               {{"User-Name", "alice"}});
    REQUIRE(r);
    CHECK(r->outcome == DaeOutcome::Error);
    CHECK(r->message.find("Connection refused") != std::string::npos);
    CHECK(r->attempts.size() == 1);
    CHECK(std::chrono::steady_clock::now() - start < 1s);
}

TEST_CASE("a late reply to the first attempt is accepted during the second") {
    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    std::thread responder([&] {
        std::uint8_t first[4096], second[4096];
        sockaddr_in from{};
        socklen_t from_len = sizeof from;
        if (::recvfrom(fd, first, sizeof first, 0, nullptr, nullptr) < 20) return;
        if (::recvfrom(fd, second, sizeof second, 0, reinterpret_cast<sockaddr*>(&from),
                       &from_len) < 20) {
            return;
        }
        // Disconnect-ACK (41) for the first request, signed with the right secret.
        std::vector<std::uint8_t> reply{41, first[1], 0, 20};
        reply.resize(20);
        std::array<std::uint8_t, 16> req{};
        std::copy(first + 4, first + 20, req.begin());
        const auto auth = response_authenticator(reply, req, "the-secret");
        std::copy(auth.begin(), auth.end(), reply.begin() + 4);
        ::sendto(fd, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), from_len);
    });
    switchyard::core::radius::Dictionary d;
    REQUIRE(d.add({"d", "ATTRIBUTE User-Name 1 string\nATTRIBUTE Event-Timestamp 55 date\n"}));
    DaeClient client(d, DaeOptions{.first_timeout = 150ms, .max_attempts = 3});
    auto r =
        client.disconnect({"127.0.0.1", ntohs(a.sin_port), "the-secret"}, {{"User-Name", "alice"}});
    responder.join();
    ::close(fd);
    REQUIRE(r);
    CHECK(r->outcome == DaeOutcome::Ack);
    REQUIRE(r->attempts.size() == 2);
    CHECK(r->attempts[0].outcome == DaeOutcome::Ack);
    REQUIRE(r->attempts[0].round_trip.has_value());
    CHECK(*r->attempts[0].round_trip >= 150ms);
    CHECK_FALSE(r->attempts[1].round_trip.has_value());
}
