#pragma once
/// Request metrics in Prometheus text exposition format 0.0.4.

#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace switchyard::api {

/// Counts requests by route and status and keeps a latency histogram per route.
/// @thread safe.
class Metrics {
  public:
    /// Upper bounds of the latency buckets, in seconds.
    static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

    /// Records one request on `route` (the route pattern, e.g. `/v1/iptv/lines/{id}`).
    void record(const std::string& route, int status, std::chrono::nanoseconds latency);

    /// Adds a source of gauges computed at scrape time (log head, projection lag, a module's
    /// own), as `name{labels} value` pairs; a name ending in `_total` is rendered as a counter.
    /// Each call adds a source; a scrape renders all of them, one TYPE line per metric.
    void set_gauges(std::function<std::map<std::string, double>()> gauges);

    /// The exposition text.
    std::string render() const;

  private:
    struct Histogram {
        std::array<std::uint64_t, kBuckets.size()> counts{};
        std::uint64_t count = 0;
        double sum = 0;
    };
    mutable std::mutex mu_;
    std::map<std::pair<std::string, int>, std::uint64_t> requests_;
    std::map<std::string, Histogram> latency_;
    std::function<std::map<std::string, double>()> gauges_;
};

}  // namespace switchyard::api
