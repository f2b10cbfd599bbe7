// The captive portal: its routes (files, content types, cache headers, no way out of the portal
// directory, the plans JSON) and the page itself, driven by Debian's Chromium headless against
// a loopback "NAS" that records what the page sends: MikroTik CHAP and PAP, CoovaChilli UAM,
// Omada External Web Portal (External RADIUS), Meraki sign-on and click-through; a missing
// vendor parameter; the German translation; MD5 against RFC 1321's test suite.
#include "api/routes/hotspot/portal.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "adapters/process/process.hpp"
#include "api/http_server.hpp"
#include "api/http_types.hpp"
#include "api/router.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
namespace fs = std::filesystem;

namespace {

const fs::path kPortalDir = fs::path(SY_CONFIG_DIR) / "hotspot" / "portal";

core::hotspot::Plan plan(std::string id, std::string name, std::int64_t micros) {
    core::hotspot::Plan p;
    p.plan_id = std::move(id);
    p.name = std::move(name);
    p.price_micros = micros;
    p.currency = "EUR";
    return p;
}

std::vector<core::hotspot::Plan> sample_plans() {
    auto day = plan("day", "Day pass", 2'500'000);
    day.duration_seconds = 86'400;
    day.download_kbps = 10'000;
    day.upload_kbps = 2'000;
    auto week = plan("week", "Week pass", 12'000'000);
    week.duration_seconds = 604'800;
    week.data_limit_bytes = 5'000'000'000;
    week.shared_users = 3;
    auto old = plan("old", "Retired pass", 1'000'000);
    old.retired = true;
    return {day, week, old};
}

api::PortalOptions portal_options() {
    api::PortalOptions o;
    o.root = kPortalDir;
    o.plans = [] { return sample_plans(); };
    return o;
}

api::HttpResponse get(const api::Router& router, const std::string& target) {
    api::HttpRequest r;
    r.method = "GET";
    r.target = target;
    if (!api::parse_target(r)) return api::HttpResponse{400, "text/plain", {}, "bad target"};
    return router.dispatch(r);
}

std::string header(const api::HttpResponse& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/// An application/x-www-form-urlencoded body as fields.
std::map<std::string, std::string> form_fields(const std::string& body) {
    std::map<std::string, std::string> out;
    std::size_t i = 0;
    while (i <= body.size() && !body.empty()) {
        auto j = body.find('&', i);
        if (j == std::string::npos) j = body.size();
        const auto pair = body.substr(i, j - i);
        const auto eq = pair.find('=');
        out[percent_decode(pair.substr(0, eq))] =
            eq == std::string::npos ? "" : percent_decode(pair.substr(eq + 1));
        i = j + 1;
    }
    return out;
}

std::string url_encode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

/// MD5 by OpenSSL, as hex.
std::string md5_hex(const std::string& bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    REQUIRE(EVP_Digest(bytes.data(), bytes.size(), digest, &n, EVP_md5(), nullptr) == 1);
    std::string out;
    for (unsigned i = 0; i < n; ++i) out += fmt::format("{:02x}", digest[i]);
    return out;
}

/// What the loopback NAS received.
struct Received {
    std::string method, path, body;
    std::map<std::string, std::string> query;
};

/// The portal on one HttpServer and a recording "NAS" on another, both on free loopback ports.
struct Servers {
    api::Router portal_router;
    api::Router nas_router;
    std::unique_ptr<api::HttpServer> portal;
    std::unique_ptr<api::HttpServer> nas;
    std::mutex mu;
    std::vector<Received> received;

    Servers() {
        api::add_portal_routes(portal_router, portal_options());
        const char* paths[][2] = {{"POST", "/login"},
                                  {"GET", "/logon"},
                                  {"POST", "/portal/radius/browserauth"},
                                  {"POST", "/splash/login"},
                                  {"GET", "/splash/grant"},
                                  {"POST", "/ruijie"}};
        for (const auto& [method, path] : paths) {
            api::Route r;
            r.method = method;
            r.pattern = path;
            r.reach = api::Reach::Public;
            r.handler = [this](api::HttpRequest& req) {
                std::lock_guard lock(mu);
                received.push_back({req.method, req.path, req.body, req.query});
                return api::HttpResponse{
                    200,
                    "text/html; charset=utf-8",
                    {},
                    "<html><body><p id=\"nas\">NAS accepted</p></body></html>"};
            };
            nas_router.add(std::move(r));
        }
        api::HttpServerOptions o;
        o.io_threads = 1;
        o.worker_threads = 2;
        auto p = api::HttpServer::start(portal_router, o);
        REQUIRE(p);
        portal = std::move(*p);
        auto n = api::HttpServer::start(nas_router, o);
        REQUIRE(n);
        nas = std::move(*n);
    }
    ~Servers() {
        if (portal) portal->stop();
        if (nas) nas->stop();
    }
    std::string portal_url(const std::string& query) const {
        return fmt::format("http://127.0.0.1:{}/portal/?{}", portal->port(), query);
    }
    std::string nas_base() const { return fmt::format("http://127.0.0.1:{}", nas->port()); }
    std::vector<Received> got() {
        std::lock_guard lock(mu);
        return received;
    }
};

bool have_chromium() {
    auto r = adapters::run_process({"sh", "-c", "command -v chromium"}, "", 5000, 4096);
    return r.exit_code == 0;
}

/// Loads `url` in Chromium headless and returns the DOM once the page (and any navigation it
/// starts) has settled within the virtual time budget.
std::string chromium_dom(const std::string& url, const std::string& lang = "en-US") {
    switchyard::testing::TempDir profile;
    auto r = adapters::run_process(
        {"chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--user-data-dir=" + profile.path().string(), "--lang=" + lang, "--accept-lang=" + lang,
         "--virtual-time-budget=8000", "--dump-dom", url},
        "", 120000, 8 << 20);
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    return r.output;
}

/// Opens `url` in Chromium headless and waits until the NAS has received `requests` requests in
/// all (the page's login), then stops Chromium by its process id. Chromium's --dump-dom does
/// not return after a page navigates away under a virtual time budget, so the NAS's record is
/// what tells the test the page has done its part.
void chromium_login(Servers& s, const std::string& url, std::size_t requests) {
    switchyard::testing::TempDir profile;
    const auto log = profile.path() / "chromium.log";
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::setpgid(0, 0);
        const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(out, 1);
        ::dup2(out, 2);
        const std::string dir = "--user-data-dir=" + profile.path().string();
        ::execlp("chromium", "chromium", "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--no-first-run", dir.c_str(), "--lang=en-US", "--virtual-time-budget=8000",
                 "--dump-dom", url.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool exited = false;
    while (s.got().size() < requests && std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!exited) {
        ::kill(-pid, SIGKILL);
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
    }
    std::ifstream in(log);
    std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    REQUIRE_MESSAGE(s.got().size() == requests, "the NAS did not get the login; Chromium said:\n",
                    output.substr(0, 4000));
}

#define SKIP_WITHOUT_CHROMIUM()                                                       \
    if (!have_chromium()) {                                                           \
        switchyard::testing::skip("Debian chromium is not installed (apt chromium)"); \
        return;                                                                       \
    }

}  // namespace

TEST_CASE("the portal serves its page and files with their content types and cache headers") {
    api::Router router;
    api::add_portal_routes(router, portal_options());

    for (const char* target : {"/portal", "/portal/", "/portal/index.html"}) {
        auto r = get(router, target);
        CHECK_MESSAGE(r.status == 200, target);
        CHECK(r.content_type == "text/html; charset=utf-8");
        CHECK(header(r, "Cache-Control") == "no-cache");
        CHECK(r.body.find("<form id=\"login\"") != std::string::npos);
    }
    auto js = get(router, "/portal/portal.js");
    CHECK(js.status == 200);
    CHECK(js.content_type == "text/javascript; charset=utf-8");
    CHECK(header(js, "Cache-Control") == "public, max-age=300");
    CHECK(header(js, "X-Content-Type-Options") == "nosniff");
    CHECK(get(router, "/portal/portal.css").content_type == "text/css; charset=utf-8");
    auto de = get(router, "/portal/i18n/de.json");
    CHECK(de.status == 200);
    CHECK(de.content_type == "application/json");
    CHECK(de.body.find("\"login_button\": \"Anmelden\"") != std::string::npos);
    CHECK(get(router, "/portal/nothing.js").status == 404);
    // Every page, also the 404, says where it may load from.
    CHECK(header(get(router, "/portal/nothing.js"), "Content-Security-Policy")
              .find("default-src 'self'") != std::string::npos);
}

TEST_CASE("the portal never serves a file outside its directory") {
    api::Router router;
    api::add_portal_routes(router, portal_options());
    // Each of these names a file that exists (config/vpn/plans.json, the top CMakeLists.txt,
    // /etc/passwd) by a way out of config/hotspot/portal.
    for (const char* target :
         {"/portal/../../vpn/plans.json", "/portal/%2e%2e/%2e%2e/vpn/plans.json",
          "/portal/%2E%2E/%2E%2E/%2E%2E/CMakeLists.txt",
          "/portal/i18n/..%2f..%2f..%2fvpn%2fplans.json", "/portal//etc/passwd",
          "/portal/%2fetc%2fpasswd", "/portal/./index.html",
          "/portal/i18n/%5c..%5c..%5cvpn%5cplans.json", "/portal/index.html%00.js", "/portal/..",
          "/portal/i18n/../../../../../../../../etc/passwd"}) {
        auto r = get(router, target);
        CHECK_MESSAGE((r.status == 404 || r.status == 400), target, " answered ", r.status);
        CHECK_MESSAGE(r.body.find("\"plans\"") == std::string::npos, target);
        CHECK_MESSAGE(r.body.find("root:") == std::string::npos, target);
    }
    // The mapping itself, without the router.
    CHECK(api::portal_file(kPortalDir, "../vpn/plans.json").empty());
    CHECK(api::portal_file(kPortalDir, "/etc/passwd").empty());
    CHECK(api::portal_file(kPortalDir, "i18n/../index.html").empty());
    CHECK(api::portal_file(kPortalDir, "i18n/en.json") ==
          fs::canonical(kPortalDir / "i18n" / "en.json"));

    // A symbolic link inside the portal directory that leads out of it is not followed.
    switchyard::testing::TempDir dir;
    fs::create_directories(dir.path() / "portal");
    std::ofstream(dir.path() / "secret.json") << "{\"secret\":1}";
    std::ofstream(dir.path() / "portal" / "ok.json") << "{}";
    fs::create_symlink(dir.path() / "secret.json", dir.path() / "portal" / "link.json");
    CHECK(api::portal_file(dir.path() / "portal", "link.json").empty());
    CHECK_FALSE(api::portal_file(dir.path() / "portal", "ok.json").empty());
    // A file of a kind the portal does not serve.
    std::ofstream(dir.path() / "portal" / "key.pem") << "x";
    CHECK(api::portal_file(dir.path() / "portal", "key.pem").empty());
}

TEST_CASE("a request line with dot segments is refused over the wire too") {
    Servers s;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(s.portal->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    const std::string request =
        "GET /portal/../../vpn/plans.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));
    std::string response;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) response.append(buf, n);
    ::close(fd);
    CHECK((response.starts_with("HTTP/1.1 404") || response.starts_with("HTTP/1.1 400")));
    CHECK(response.find("\"plans\"") == std::string::npos);
}

TEST_CASE("the portal's plans JSON lists the plans on sale with their prices and limits") {
    api::Router router;
    api::add_portal_routes(router, portal_options());
    auto r = get(router, "/portal/api/plans");
    CHECK(r.status == 200);
    CHECK(r.content_type == "application/json");
    CHECK(r.body ==
          R"({"plans":[{"plan_id":"day","name":"Day pass","price_micros":2500000,"price":"2.50",)"
          R"("currency":"EUR","duration_seconds":86400,"session_time_seconds":null,)"
          R"("data_limit_bytes":null,"download_kbps":10000,"upload_kbps":2000,"shared_users":1},)"
          R"({"plan_id":"week","name":"Week pass","price_micros":12000000,"price":"12.00",)"
          R"("currency":"EUR","duration_seconds":604800,"session_time_seconds":null,)"
          R"("data_limit_bytes":5000000000,"download_kbps":null,"upload_kbps":null,)"
          R"("shared_users":3}]})");
    // Without a callback: nothing on sale.
    api::Router bare;
    api::add_portal_routes(bare, api::PortalOptions{kPortalDir, {}, 60});
    CHECK(get(bare, "/portal/api/plans").body == R"({"plans":[]})");
    auto three = plan("x", "X", 1'234'567);
    CHECK(api::portal_plans_json({three}).find("\"price\":\"1.234567\"") != std::string::npos);
}

TEST_CASE("the page's MD5 gives RFC 1321's test suite values in Chromium") {
    SKIP_WITHOUT_CHROMIUM();
    switchyard::testing::TempDir dir;
    const auto page = dir.path() / "md5.html";
    std::ofstream(page) << "<!DOCTYPE html><html><body><pre id=\"out\"></pre><script src=\"file://"
                        << (kPortalDir / "md5.js").string() << "\"></script><script>\n"
                        << R"(var inputs = ["", "a", "abc", "message digest",
  "abcdefghijklmnopqrstuvwxyz",
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
  "12345678901234567890123456789012345678901234567890123456789012345678901234567890"];
var out = inputs.map(function (s) { return "MD5 (\"" + s + "\") = " +
  PortalMD5.md5Hex(PortalMD5.utf8Bytes(s)); });
document.getElementById("out").textContent = out.join("\n");
</script></body></html>)";
    const auto dom = chromium_dom("file://" + page.string());
    // RFC 1321, appendix A.5.
    for (const char* line :
         {"MD5 (\"\") = d41d8cd98f00b204e9800998ecf8427e",
          "MD5 (\"a\") = 0cc175b9c0f1b6a831c399e269772661",
          "MD5 (\"abc\") = 900150983cd24fb0d6963f7d28e17f72",
          "MD5 (\"message digest\") = f96b697d7cb7938d525a2f31aaf161d0",
          "MD5 (\"abcdefghijklmnopqrstuvwxyz\") = c3fcd3d76192e4007dfb496cca67e13b",
          "MD5 (\"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\") = "
          "d174ab98d277d9f5a5611c2c9f419d9f",
          "MD5 (\"1234567890123456789012345678901234567890123456789012345678901234567890123456789"
          "0\") = 57edf4a22be3c955ac49da2e2107b67a"})
        CHECK_MESSAGE(dom.find(line) != std::string::npos, line, "\n", dom);
}

TEST_CASE(
    "MikroTik: a scanned voucher logs in by CHAP with the MD5 of chap-id, code and challenge") {
    SKIP_WITHOUT_CHROMIUM();
    Servers s;
    // RouterOS writes $(chap-id) and $(chap-challenge) as octal escapes.
    const std::string chap_id = "\\357";
    const std::string challenge =
        "\\061\\222\\377\\000\\012\\200\\101\\177\\343\\044\\306\\015\\270\\133\\020\\331";
    const std::string challenge_bytes(
        "\x31\x92\xff\x00\x0a\x80\x41\x7f\xe3\x24\xc6\x0d\xb8\x5b\x10\xd9", 16);
    const std::string code = "HX-7KQ9MNPR";
    const auto url = s.portal_url(
        "link-login-only=" + url_encode(s.nas_base() + "/login") +
        "&link-orig=" + url_encode("http://example.com/news") + "&mac=AA%3ABB%3ACC%3A00%3A11%3A22" +
        "&ip=10.5.50.7&chap-id=" + url_encode(chap_id) +
        "&chap-challenge=" + url_encode(challenge) + "&voucher=" + code + "&autologin=1");
    chromium_login(s, url, 1);
    auto got = s.got();
    REQUIRE(got.size() == 1);
    CHECK(got[0].method == "POST");
    CHECK(got[0].path == "/login");
    auto f = form_fields(got[0].body);
    CHECK(f["username"] == code);
    CHECK(f["password"] == md5_hex(std::string("\xEF") + code + challenge_bytes));
    CHECK(f["dst"] == "http://example.com/news");
    CHECK(f["popup"] == "true");
}

TEST_CASE("MikroTik without chap-id: the password goes as typed (PAP)") {
    SKIP_WITHOUT_CHROMIUM();
    Servers s;
    chromium_login(s,
                   s.portal_url("link-login-only=" + url_encode(s.nas_base() + "/login") +
                                "&voucher=hx-pap-4477&autologin=1"),
                   1);
    auto got = s.got();
    REQUIRE(got.size() == 1);
    auto f = form_fields(got[0].body);
    CHECK(f["username"] == "HX-PAP-4477");  // codes are upper case
    CHECK(f["password"] == "HX-PAP-4477");
}

TEST_CASE("CoovaChilli: the page sends the browser to uamip:uamport/logon with the CHAP response") {
    SKIP_WITHOUT_CHROMIUM();
    Servers s;
    const std::string challenge_hex = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    const std::string challenge_bytes(
        "\x0f\x1e\x2d\x3c\x4b\x5a\x69\x78\x87\x96\xa5\xb4\xc3\xd2\xe1\xf0", 16);
    const std::string code = "CV-ACDEFG";
    chromium_login(
        s,
        s.portal_url(fmt::format(
            "res=notyet&uamip=127.0.0.1&uamport={}&challenge={}&called=00-11-22-33-44-55"
            "&mac=AA-BB-CC-00-11-22&ip=10.1.0.5&nasid=lobby&userurl={}&voucher={}&autologin=1",
            s.nas->port(), challenge_hex, url_encode("http://example.com/"), code)),
        1);
    auto got = s.got();
    REQUIRE(got.size() == 1);
    CHECK(got[0].method == "GET");
    CHECK(got[0].path == "/logon");
    CHECK(got[0].query["username"] == code);
    CHECK(got[0].query["response"] == md5_hex(std::string(1, '\0') + code + challenge_bytes));
    CHECK(got[0].query["userurl"] == "http://example.com/");
    CHECK(got[0].query.count("password") == 0);
}

TEST_CASE("Omada: the page posts authType 2 and the client's parameters to browserauth") {
    SKIP_WITHOUT_CHROMIUM();
    Servers s;
    chromium_login(s,
                   s.portal_url(fmt::format(
                       "target=127.0.0.1&targetPort={}&scheme=http&clientMac=F8-1E-DF-AA-AA-AA"
                       "&clientIp=172.30.30.103&apMac=AC-84-C6-BB-BB-BB&ssidName=Guest&radioId=1"
                       "&site=Default&redirectUrl={}&t=1790000000&voucher=OM-777999&autologin=1",
                       s.nas->port(), url_encode("https://www.example.org/"))),
                   1);
    auto got = s.got();
    REQUIRE(got.size() == 1);
    CHECK(got[0].method == "POST");
    CHECK(got[0].path == "/portal/radius/browserauth");
    auto f = form_fields(got[0].body);
    CHECK(f["authType"] == "2");
    CHECK(f["username"] == "OM-777999");
    CHECK(f["password"] == "OM-777999");
    CHECK(f["clientMac"] == "F8-1E-DF-AA-AA-AA");
    CHECK(f["clientIp"] == "172.30.30.103");
    CHECK(f["apMac"] == "AC-84-C6-BB-BB-BB");
    CHECK(f["ssidName"] == "Guest");
    CHECK(f["radioId"] == "1");
    CHECK(f["originUrl"] == "https://www.example.org/");
}

TEST_CASE("Meraki: sign-on posts to login_url, click-through goes to base_grant_url") {
    SKIP_WITHOUT_CHROMIUM();
    Servers s;
    chromium_login(
        s,
        s.portal_url("login_url=" + url_encode(s.nas_base() + "/splash/login?mauth=MM1SZQ") +
                     "&continue_url=" + url_encode("http://www.example.com/") +
                     "&ap_mac=88%3A15%3A44%3A60%3A1c%3A1a&client_mac=f4%3A5c%3A89%3A9b%3A17%3A67"
                     "&client_ip=192.168.0.13&voucher=MK-339944&autologin=1"),
        1);
    auto got = s.got();
    REQUIRE(got.size() == 1);
    CHECK(got[0].method == "POST");
    CHECK(got[0].path == "/splash/login");
    CHECK(got[0].query["mauth"] == "MM1SZQ");
    auto f = form_fields(got[0].body);
    CHECK(f["username"] == "MK-339944");
    CHECK(f["password"] == "MK-339944");
    CHECK(f["success_url"] == "http://www.example.com/");

    chromium_login(s,
                   s.portal_url("base_grant_url=" + url_encode(s.nas_base() + "/splash/grant") +
                                "&user_continue_url=" + url_encode("http://meraki.com/") +
                                "&node_id=1301936&node_mac=00%3A18%3A0a%3A13%3Add%3Ab0"
                                "&client_ip=10.162.50.40&client_mac=ff%3Aff%3A96%3Ad5%3Ad5"
                                "&voucher=MK-339944&autologin=1"),
                   2);
    got = s.got();
    REQUIRE(got.size() == 2);
    CHECK(got[1].method == "GET");
    CHECK(got[1].path == "/splash/grant");
    CHECK(got[1].query["continue_url"] == "http://meraki.com/");
}

TEST_CASE("a missing vendor parameter shows a clear error and sends nothing to the NAS") {
    SKIP_WITHOUT_CHROMIUM();
    Servers s;
    // MikroTik's CHAP parameters without link-login-only: nowhere to send the login.
    auto dom = chromium_dom(
        s.portal_url("chap-id=%5C357&chap-challenge=%5C061&voucher=HX-1234&autologin=1"));
    CHECK(dom.find("data-state=\"error\"") != std::string::npos);
    CHECK(dom.find("MikroTik: the parameter 'link-login-only' is missing from this page's "
                   "address") != std::string::npos);
    // CoovaChilli without its challenge.
    dom = chromium_dom(s.portal_url(
        fmt::format("uamip=127.0.0.1&uamport={}&voucher=HX-1234&autologin=1", s.nas->port())));
    CHECK(dom.find("CoovaChilli: the parameter 'challenge' is missing") != std::string::npos);
    // Ruijie eportalv2 with no relay configured (the shipped config.json has none).
    dom =
        chromium_dom(s.portal_url("wlanuserip=10.0.0.5&wlanacname=ac1&nasip=10.0.0.1&ssid=Guest"));
    CHECK(dom.find("Ruijie: the portal has no 'ruijie_login_url' set in its config.json") !=
          std::string::npos);
    // No hotspot parameters at all.
    dom = chromium_dom(s.portal_url("voucher=HX-1234&autologin=1"));
    CHECK(dom.find("without a hotspot's login parameters") != std::string::npos);
    CHECK(s.got().empty());
}

TEST_CASE("the page speaks German when Chromium's language is de, and lists the plans") {
    SKIP_WITHOUT_CHROMIUM();
    Servers s;
    const auto base = "link-login-only=" + url_encode(s.nas_base() + "/login");
    auto dom = chromium_dom(s.portal_url(base), "de");
    CHECK(dom.find("<html lang=\"de\"") != std::string::npos);
    CHECK(dom.find(">Anmelden</button>") != std::string::npos);
    CHECK(dom.find("Ich akzeptiere die Nutzungsbedingungen") != std::string::npos);
    CHECK(dom.find("Tarife und Preise") != std::string::npos);
    CHECK(dom.find("Day pass") != std::string::npos);
    CHECK(dom.find("Week pass") != std::string::npos);
    CHECK(dom.find("Retired pass") == std::string::npos);
    // A language without a translation falls back to English.
    dom = chromium_dom(s.portal_url(base), "ja");
    CHECK(dom.find("<html lang=\"en\"") != std::string::npos);
    CHECK(dom.find(">Log in</button>") != std::string::npos);
    CHECK(s.got().empty());
}
