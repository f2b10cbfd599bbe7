#include "api/metrics.hpp"

#include <fmt/format.h>

namespace switchyard::api {

void Metrics::record(const std::string& route, int status, std::chrono::nanoseconds latency) {
    const double seconds = std::chrono::duration<double>(latency).count();
    std::lock_guard lock(mu_);
    ++requests_[{route, status}];
    auto& h = latency_[route];
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        if (seconds <= kBuckets[i]) ++h.counts[i];
    }
    ++h.count;
    h.sum += seconds;
}

void Metrics::set_gauges(std::function<std::map<std::string, double>()> gauges) {
    std::lock_guard lock(mu_);
    if (!gauges_) {
        gauges_ = std::move(gauges);
        return;
    }
    // Each module adds its own source; a scrape renders all of them.
    gauges_ = [first = std::move(gauges_), second = std::move(gauges)] {
        auto out = first();
        out.merge(second());
        return out;
    };
}

namespace {
std::string label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}
}  // namespace

std::string Metrics::render() const {
    std::function<std::map<std::string, double>()> gauges;
    std::string out;
    {
        std::lock_guard lock(mu_);
        gauges = gauges_;
        out += "# HELP switchyard_http_requests_total HTTP requests by route and status.\n";
        out += "# TYPE switchyard_http_requests_total counter\n";
        for (const auto& [key, n] : requests_) {
            out += fmt::format("switchyard_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                               label(key.first), key.second, n);
        }
        out += "# HELP switchyard_http_request_duration_seconds Time to answer a request.\n";
        out += "# TYPE switchyard_http_request_duration_seconds histogram\n";
        for (const auto& [route, h] : latency_) {
            for (std::size_t i = 0; i < kBuckets.size(); ++i) {
                out += fmt::format(
                    "switchyard_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} "
                    "{}\n",
                    label(route), kBuckets[i], h.counts[i]);
            }
            out += fmt::format(
                "switchyard_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                label(route), h.count);
            out += fmt::format("switchyard_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                               label(route), h.sum);
            out +=
                fmt::format("switchyard_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                            label(route), h.count);
        }
    }
    if (gauges) {
        // One TYPE line per metric (the exposition format allows no second one); a name ending
        // in `_total` is a counter.
        std::map<std::string, std::string> by_metric;
        for (const auto& [name, value] : gauges()) {
            auto base = name.substr(0, name.find('{'));
            by_metric[base] += fmt::format("{} {}\n", name, value);
        }
        for (const auto& [base, lines] : by_metric) {
            const bool counter = base.size() > 6 && base.ends_with("_total");
            out += fmt::format("# TYPE {} {}\n{}", base, counter ? "counter" : "gauge", lines);
        }
    }
    return out;
}

}  // namespace switchyard::api
