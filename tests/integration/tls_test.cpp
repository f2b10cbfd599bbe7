// HTTPS: the real binary with a certificate made by the openssl tool; curl verifies it against
// that certificate, sees HSTS, and a plain-HTTP request to the TLS port gets no answer.
#include <doctest/doctest.h>

#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <fmt/format.h>

#include "tests/integration/processes.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

struct TlsResponse {
    long status = 0;
    std::string headers, body;
    CURLcode code = CURLE_OK;
};

TlsResponse get(const std::string& url, const std::string& ca, const std::string& key = {}) {
    TlsResponse r;
    CURL* c = curl_easy_init();
    curl_slist* h = nullptr;
    if (!key.empty()) h = curl_slist_append(h, ("Authorization: Bearer " + key).c_str());
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    r.code = curl_easy_perform(c);
    if (r.code == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return r;
}

}  // namespace

TEST_CASE("serve --tls-cert/--tls-key answers over HTTPS with HSTS, and only over HTTPS") {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    TempDir tmp;
    const auto cert = (tmp.path() / "cert.pem").string();
    const auto key = (tmp.path() / "key.pem").string();
    REQUIRE(run(fmt::format("openssl req -x509 -newkey rsa:2048 -nodes -keyout '{}' -out '{}' "
                            "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 "
                            "2>/dev/null",
                            key, cert)) == 0);
    const auto data_dir = tmp.path() / "data";
    const int port = free_port();
    const auto listen = fmt::format("127.0.0.1:{}", port);
    const auto log = (tmp.path() / "server.log").string();
    pid_t pid = fork();
    if (pid == 0) {
        freopen(log.c_str(), "a", stdout);
        freopen(log.c_str(), "a", stderr);
        execl(SY_SWITCHYARD, SY_SWITCHYARD, "serve", "--data-dir", data_dir.c_str(), "--listen",
              listen.c_str(), "--tls-cert", cert.c_str(), "--tls-key", key.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    const auto base = fmt::format("https://127.0.0.1:{}", port);
    TlsResponse health;
    // Up to 60 s, as the other server tests: CI runs this beside other tests on 2 cores.
    for (int i = 0; i < 1'200 && health.status != 200; ++i) {
        health = get(base + "/healthz", cert);
        if (health.status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK_MESSAGE(health.status == 200, slurp(log));
    CHECK(health.headers.find("Strict-Transport-Security: max-age=31536000") != std::string::npos);
    const auto admin_key = slurp(data_dir / "admin.key").substr(0, 46);
    CHECK(get(base + "/v1/auth/me", cert, admin_key).status == 200);
    // Plain HTTP to the TLS port: no HTTP answer.
    auto plain = http("GET", fmt::format("http://127.0.0.1:{}/healthz", port));
    CHECK(plain.status == 0);
    // A client that does not trust the certificate refuses the connection.
    auto untrusted = get(base + "/healthz", "/etc/ssl/certs/ca-certificates.crt");
    CHECK(untrusted.code != CURLE_OK);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));

    // A missing key file is a clear error at start.
    std::string out;
    CHECK(run(fmt::format("'{}' serve --data-dir '{}' --listen 127.0.0.1:0 --tls-cert '{}' "
                          "--tls-key /nonexistent.pem 2>&1",
                          SY_SWITCHYARD, data_dir.string(), cert),
              &out) == 1);
    CHECK(out.find("tls-key") != std::string::npos);
}
