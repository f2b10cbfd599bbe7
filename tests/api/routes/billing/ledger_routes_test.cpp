// The billing ledger over HTTP, as `serve` starts the modules: a reseller's credits bought and
// spent, a spend past the balance refused, the same entry posted twice, a reversal, the trial
// balance now and as of month end, and bad input answered 4xx naming the field with nothing
// appended.
#include <doctest/doctest.h>

#include <random>

#include "tests/api/api_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

std::string entry(const std::string& id, const std::string& debit, const std::string& credit,
                  long long micros) {
    return R"({"entry_id":")" + id + R"(","currency":"EUR","memo":"test","postings":[)" +
           R"({"account":")" + debit + R"(","debit_micros":)" + std::to_string(micros) + "}," +
           R"({"account":")" + credit + R"(","credit_micros":)" + std::to_string(micros) + "}]}";
}

/// `body` with its currency replaced by `currency`.
std::string with_currency(std::string body, const std::string& currency) {
    const auto at = body.find(R"("currency":"EUR")");
    if (at != std::string::npos) body.replace(at + 12, 3, currency);
    return body;
}

}  // namespace

TEST_CASE("billing API: credits bought and spent, overdraft refused, reversal, trial balance") {
    ApiFixture f;
    auto opened = f.call("POST", "/v1/billing/accounts",
                         R"({"account":"reseller_credit:r1","currency":"EUR"})");
    REQUIRE_MESSAGE(opened.status == 201, opened.body);
    CHECK(f.call("POST", "/v1/billing/accounts",
                 R"({"account":"reseller_credit:r1","currency":"EUR"})")
              .status == 200);

    auto bought = f.call("POST", "/v1/billing/entries",
                         entry("buy-1", "gateway_clearing:bank", "reseller_credit:r1", 50'000'000));
    REQUIRE_MESSAGE(bought.status == 201, bought.body);
    simdjson::dom::parser p;
    CHECK(parse_json(p, bought.body)["balances"]["reseller_credit:r1"].get_int64().value() ==
          50'000'000);
    CHECK(f.call("POST", "/v1/billing/entries",
                 entry("buy-1", "gateway_clearing:bank", "reseller_credit:r1", 50'000'000))
              .status == 200);
    const auto month_end = core::format_rfc3339(f.clock.now());
    f.clock.advance(std::chrono::hours(24));

    auto spent = f.call("POST", "/v1/billing/entries",
                        entry("line-1", "reseller_credit:r1", "revenue:iptv", 30'000'000));
    REQUIRE_MESSAGE(spent.status == 201, spent.body);
    const auto size = f.log_size();
    auto over = f.call("POST", "/v1/billing/entries",
                       entry("line-2", "reseller_credit:r1", "revenue:iptv", 30'000'000));
    CHECK(over.status == 422);
    CHECK(over.body.find("postings[0].account") != std::string::npos);
    CHECK(over.body.find("insufficient balance") != std::string::npos);
    CHECK(f.log_size() == size);

    auto reversed = f.call("POST", "/v1/billing/entries/line-1/reversal", R"({"memo":"refund"})");
    REQUIRE_MESSAGE(reversed.status == 201, reversed.body);
    CHECK(parse_json(p, reversed.body)["entry_id"].get_string().value() == "line-1.reversal");
    auto original = f.call("GET", "/v1/billing/entries/line-1");
    REQUIRE(original.status == 200);
    CHECK(parse_json(p, original.body)["reversed_by"].get_string().value() == "line-1.reversal");

    auto credits = f.call("GET", "/v1/billing/accounts/reseller_credit:r1?currency=EUR");
    REQUIRE_MESSAGE(credits.status == 200, credits.body);
    auto c = parse_json(p, credits.body);
    CHECK(c["balance_micros"].get_int64().value() == 50'000'000);
    CHECK(c["lines"].get_int64().value() == 3);
    CHECK(c["class"].get_string().value() == "liability");
    CHECK(c["guarded"]["available_micros"].get_int64().value() == 50'000'000);

    auto lines =
        f.call("GET", "/v1/billing/accounts/reseller_credit:r1/lines?currency=EUR&limit=2");
    REQUIRE(lines.status == 200);
    auto l = parse_json(p, lines.body);
    CHECK(l["items"].get_array().size() == 2);
    const std::string next(l["next_cursor"].get_string().value());
    auto rest =
        f.call("GET", "/v1/billing/accounts/reseller_credit:r1/lines?currency=EUR&cursor=" + next);
    REQUIRE(rest.status == 200);
    CHECK(parse_json(p, rest.body)["items"].get_array().size() == 1);

    auto tb = f.call("GET", "/v1/billing/trial-balance");
    REQUIRE(tb.status == 200);
    auto eur = parse_json(p, tb.body)["currencies"].at(0);
    CHECK(eur["balanced"].get_bool().value());
    CHECK(eur["debit_balances_micros"].get_int64().value() == 50'000'000);
    // At month end only the purchase was in the books.
    auto then = f.call("GET", "/v1/billing/trial-balance?as_of=" + month_end);
    REQUIRE(then.status == 200);
    CHECK(parse_json(p, then.body)["currencies"].at(0)["accounts"].get_array().size() == 2);
    auto credits_then =
        f.call("GET", "/v1/billing/accounts/revenue:iptv?currency=EUR&as_of=" + month_end);
    CHECK(credits_then.status == 404);
}

TEST_CASE("billing API: bad input is 4xx naming the field, and nothing is appended") {
    ApiFixture f;
    const auto size = f.log_size();
    struct Bad {
        std::string method, target, body;
        int status;
        std::string field;
    };
    const std::vector<Bad> cases{
        {"POST", "/v1/billing/accounts", R"({"account":"revenue:iptv","currency":"EUR"})", 400,
         "account"},
        {"POST", "/v1/billing/accounts", R"({"account":"wallet:c1","currency":"euro"})", 400,
         "currency"},
        {"POST", "/v1/billing/accounts", R"({"account":"wallet:c1","currency":"EUR","x":1})", 400,
         "x"},
        {"POST", "/v1/billing/accounts",
         R"({"account":"wallet:c1","currency":"EUR","credit_limit_micros":-1})", 400,
         "credit_limit_micros"},
        {"POST", "/v1/billing/entries", entry("e1", "gateway_clearing:bank", "wallet:nobody", 5),
         404, "postings[1].account"},
        {"POST", "/v1/billing/entries", entry("e1", "bank", "revenue:vpn", 5), 400,
         "postings[0].account"},
        {"POST", "/v1/billing/entries", entry("e1", "gateway_clearing:bank", "revenue:vpn", 0), 400,
         "postings[0].debit_micros"},
        {"POST", "/v1/billing/entries",
         R"({"entry_id":"e1","currency":"EUR","memo":"m","postings":[{"account":"revenue:vpn","debit_micros":5},{"account":"tax_payable:DE","credit_micros":4}]})",
         400, "postings"},
        {"POST", "/v1/billing/entries", R"({"entry_id":"e1","currency":"EUR","memo":"m"})", 400,
         "postings"},
        {"POST", "/v1/billing/entries", "[1]", 400, "body"},
        {"POST", "/v1/billing/entries/nope/reversal", R"({"memo":"x"})", 404, "entry_id"},
        {"GET", "/v1/billing/trial-balance?as_of=yesterday", "", 400, "as_of"},
        {"GET", "/v1/billing/accounts/wallet:c1?currency=eur", "", 400, "currency"},
        {"GET", "/v1/billing/accounts/nothing?currency=EUR", "", 400, "account"},
    };
    for (const auto& c : cases) {
        auto r = f.call(c.method, c.target, c.body);
        CAPTURE(c.target);
        CAPTURE(c.body);
        CAPTURE(r.body);
        CHECK(r.status == c.status);
        CHECK(r.body.find("\"" + c.field + "\"") != std::string::npos);
    }
    CHECK(f.log_size() == size);
}

// Property: over a random sequence of commands through the API (opening accounts, top-ups,
// spends, transfers, reversals, some of them refused), the trial balance read after every
// command is balanced in each currency and no guarded account is below its floor.
TEST_CASE("billing API: the books balance after every command of a random sequence") {
    ApiFixture f;
    std::mt19937 rng(16);
    const std::vector<std::pair<std::string, std::string>> guarded{
        {"wallet:a", "EUR"}, {"wallet:b", "EUR"}, {"reseller_credit:r", "USD"}};
    const std::vector<std::string> others{"gateway_clearing:stripe", "revenue:vpn",
                                          "tax_payable:DE", "receivable:a", "discounts:iptv"};
    std::vector<std::string> posted;
    int accepted = 0, refused = 0;
    simdjson::dom::parser p;
    for (int step = 0; step < 60; ++step) {
        const auto& [account, currency] = guarded[rng() % guarded.size()];
        const auto amount = 1 + static_cast<long long>(rng() % 20'000'000);
        const auto id = "e" + std::to_string(step);
        api::HttpResponse r;
        switch (rng() % 5) {
            case 0:
                r = f.call("POST", "/v1/billing/accounts",
                           R"({"account":")" + account + R"(","currency":")" + currency + "\"}");
                break;
            case 1:
                r = f.call("POST", "/v1/billing/entries",
                           with_currency(entry(id, others[rng() % others.size()], account, amount),
                                         currency));
                break;
            case 2:
                r = f.call("POST", "/v1/billing/entries",
                           with_currency(entry(id, account, others[rng() % others.size()], amount),
                                         currency));
                break;
            case 3: {
                const auto& to = guarded[rng() % guarded.size()].first;
                r = f.call("POST", "/v1/billing/entries",
                           with_currency(entry(id, account, to, amount), currency));
                break;
            }
            default:
                if (posted.empty()) continue;
                r = f.call("POST",
                           "/v1/billing/entries/" + posted[rng() % posted.size()] + "/reversal",
                           R"({"memo":"correction"})");
        }
        CAPTURE(step);
        CAPTURE(r.body);
        CHECK(r.status < 500);
        if (r.status == 201) {
            ++accepted;
            auto id_field = parse_json(p, r.body)["entry_id"];
            if (!id_field.error()) {
                std::string posted_id(id_field.get_string().value());
                if (posted_id.find(".reversal") == std::string::npos) posted.push_back(posted_id);
            }
        } else if (r.status >= 400) {
            ++refused;
        }
        auto tb = f.call("GET", "/v1/billing/trial-balance");
        REQUIRE(tb.status == 200);
        for (auto c : parse_json(p, tb.body)["currencies"].get_array()) {
            CHECK(c["balanced"].get_bool().value());
            CHECK(c["debit_balances_micros"].get_int64().value() ==
                  c["credit_balances_micros"].get_int64().value());
        }
        for (const auto& [code, cur] : guarded) {
            auto a = f.call("GET", "/v1/billing/accounts/" + code + "?currency=" + cur);
            if (a.status != 200) continue;
            auto g = parse_json(p, a.body)["guarded"];
            if (!g.error()) CHECK(g["available_micros"].get_int64().value() >= 0);
        }
    }
    CHECK(accepted > 10);
    CHECK(refused > 0);
}
