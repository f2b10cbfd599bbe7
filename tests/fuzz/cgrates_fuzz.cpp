// Fuzz target: a CGRateS tariff plan folder of arbitrary bytes is read, compiled and used to
// rate a few calls; nothing may crash, and every refused row names its file and line. The input
// is split on the line `~~~` into Destinations, Rates, DestinationRates, Timings, RatingPlans
// and RatingProfiles (in that order).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include "core/voice/cgrates_plan.hpp"
#include "core/voice/rating.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard::core;
    using namespace switchyard::core::voice;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    static const char* const kFiles[] = {"Destinations.csv",     "Rates.csv",
                                         "DestinationRates.csv", "Timings.csv",
                                         "RatingPlans.csv",      "RatingProfiles.csv"};
    std::map<std::string, std::string> files;
    std::size_t pos = 0;
    for (const char* name : kFiles) {
        std::size_t sep = text.find("\n~~~\n", pos);
        if (sep == std::string_view::npos) sep = text.size();
        files[name] = std::string(text.substr(pos, sep - pos));
        pos = sep >= text.size() ? text.size() : sep + 5;
    }
    auto plan = parse_cgrates_plan(files, "");
    if (!plan) return 0;
    for (const auto& e : plan->errors)
        if (e.file.empty() || e.reason.empty()) std::abort();
    auto index = RatingIndex::build(plan->tariff);
    if (!index) return 0;
    static const char* const kNumbers[] = {"1002", "4930901820", ""};
    static const char* const kTimes[] = {"2014-08-04T07:59:30Z", "2016-01-06T23:59:59Z"};
    for (const char* number : kNumbers) {
        for (const char* when : kTimes) {
            for (std::int64_t usage : {61, 7'200}) {
                CostQuery q;
                q.tenant = plan->tariff.rating_profiles.empty()
                               ? std::string("cgrates.org")
                               : plan->tariff.rating_profiles.front().tenant;
                q.subject = "1001";
                q.destination = number;
                q.caller = "79247239112";
                q.setup_time = *parse_rfc3339(when);
                q.usage_s = usage;
                auto r = (*index)->rate(q);
                if (r && (r->cost_micros < 0 || r->rated_usage_s > usage)) std::abort();
                for (const auto& entry : plan->tariff.rating_plans) {
                    auto p = (*index)->rate_plan(entry.rating_plan_id, q);
                    if (p && p->cost_micros < 0) std::abort();
                    break;
                }
            }
        }
    }
    return 0;
}
