// The cost of checking a credential, per request: the keyed hash of IPTV line passwords
// (HMAC-SHA-256, api/line_auth.hpp) against argon2id at libsodium's interactive cost (user
// passwords, events/identity/password.hpp), and a session token lookup hash (SHA-256).
//   build/release/bench/bench_auth
#include <benchmark/benchmark.h>

#include <string>

#include "api/line_auth.hpp"
#include "events/identity/password.hpp"
#include "events/uuid.hpp"

namespace {

const std::string kSecret(32, 's');
const std::string kPassword = "Xq3-9fLmR2vT8kWz";

void BM_line_password_hmac(benchmark::State& state) {
    const auto stored = switchyard::api::line_password_hash(kSecret, kPassword);
    for (auto _ : state) {
        benchmark::DoNotOptimize(
            switchyard::api::line_password_matches(kSecret, kPassword, stored));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_line_password_hmac);

void BM_user_password_argon2id(benchmark::State& state) {
    const auto stored = switchyard::events::identity::hash_password(kPassword).value();
    for (auto _ : state) {
        benchmark::DoNotOptimize(switchyard::events::identity::verify_password(stored, kPassword));
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_user_password_argon2id)->Unit(benchmark::kMillisecond);

void BM_token_sha256(benchmark::State& state) {
    const std::string token = "syt_" + std::string(43, 'a');
    for (auto _ : state) benchmark::DoNotOptimize(switchyard::events::sha256_hex(token));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_token_sha256);

}  // namespace

BENCHMARK_MAIN();
