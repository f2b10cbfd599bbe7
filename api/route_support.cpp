#include "api/route_support.hpp"

#include <charconv>
#include <memory>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/access.hpp"
#include "api/line_auth.hpp"
#include "api/problem.hpp"
#include "events/uuid.hpp"

namespace switchyard::api {

using core::Errc;

core::DecisionContext decision_context(ApiContext& ctx, const HttpRequest& request,
                                       const core::Actor& actor) {
    core::DecisionContext d;
    d.now = ctx.clock.now();
    d.actor = actor;
    const auto& rid = request.header("x-request-id");
    d.correlation_id = !rid.empty() && rid.size() <= 100 ? rid : events::new_uuid_v7(d.now);
    d.random_secret = events::random_token(18);
    d.hash_secret = [secret = ctx.line_secret](const std::string& password) {
        return line_password_hash(secret, password);
    };
    return d;
}

core::Result<std::vector<events::Position>> requested_position(ApiContext& ctx,
                                                               const HttpRequest& request) {
    std::string text = request.header("x-switchyard-after");
    if (text.empty()) text = request.query_param("after");
    if (text.empty()) return std::vector<events::Position>{};
    auto positions = SY_TRY(events::parse_positions(text));
    const auto head = ctx.store.head();
    for (const auto& p : positions) {
        if (!head.covers(p)) {
            return core::fail(
                Errc::Invalid, "after",
                fmt::format("position {} is beyond the head of the log ({}): no such event",
                            events::format_positions({p}), head.to_string()));
        }
    }
    return positions;
}

namespace {

std::string timeout_message(const std::vector<events::Position>& positions,
                            std::chrono::milliseconds max_wait) {
    return fmt::format("the read models did not reach {} within {} ms",
                       events::format_positions(positions), max_wait.count());
}

/// Waits held per caller, shared by the admitter and its waits.
class WaitSlots {
  public:
    explicit WaitSlots(int max) : max_(max) {}
    bool try_take(const std::string& caller) {
        std::lock_guard lock(mu_);
        auto& n = held_[caller];
        if (n >= max_) return false;
        ++n;
        return true;
    }
    void give_back(const std::string& caller) {
        std::lock_guard lock(mu_);
        auto it = held_.find(caller);
        if (it != held_.end() && --it->second <= 0) held_.erase(it);
    }
    int max() const { return max_; }

  private:
    const int max_;
    std::mutex mu_;
    std::unordered_map<std::string, int> held_;
};

/// A wait on the projection runner; gives the caller's slot back when destroyed.
class RunnerWait final : public ReadWait {
  public:
    RunnerWait(ApiContext& ctx, std::vector<events::Position> positions,
               std::shared_ptr<WaitSlots> slots, std::string caller)
        : ctx_(ctx),
          positions_(std::move(positions)),
          slots_(std::move(slots)),
          caller_(std::move(caller)) {}
    ~RunnerWait() override {
        ctx_.runner.cancel_notify(ticket_);
        slots_->give_back(caller_);
    }
    void notify(std::function<void()> ready) override {
        ticket_ = ctx_.runner.notify_when(positions_, std::move(ready));
    }
    std::chrono::milliseconds timeout() const override { return ctx_.max_wait; }
    HttpResponse timed_out() const override {
        return problem(Errc::Timeout, "after", timeout_message(positions_, ctx_.max_wait));
    }

  private:
    ApiContext& ctx_;
    std::vector<events::Position> positions_;
    std::shared_ptr<WaitSlots> slots_;
    std::string caller_;
    std::uint64_t ticket_ = 0;
};

}  // namespace

core::Result<void> wait_for_position(ApiContext& ctx, const HttpRequest& request) {
    auto positions = SY_TRY(requested_position(ctx, request));
    if (positions.empty()) return {};
    if (!ctx.runner.wait_for(positions, ctx.max_wait))
        return core::fail(Errc::Timeout, "after", timeout_message(positions, ctx.max_wait));
    return {};
}

Admitter read_your_writes(ApiContext& ctx, int max_waits_per_caller) {
    auto slots = std::make_shared<WaitSlots>(std::max(1, max_waits_per_caller));
    return [&ctx, slots](HttpRequest& request, const Route&) -> Admission {
        if (request.method != "GET" && request.method != "HEAD") return {};
        auto positions = requested_position(ctx, request);
        if (!positions) return {problem(positions.error()), nullptr};
        if (positions->empty() || ctx.runner.low_watermark().covers(*positions)) return {};
        const std::string caller = request.caller ? "principal:" + request.caller->principal.id
                                                  : "ip:" + request.remote_ip;
        if (!slots->try_take(caller)) {
            auto r = problem(Errc::TooMany, "after",
                             fmt::format("at most {} read-your-writes waits at once per caller; "
                                         "retry when one has answered",
                                         slots->max()));
            r.headers.emplace_back("Retry-After", "1");
            return {std::move(r), nullptr};
        }
        return {std::nullopt,
                std::make_unique<RunnerWait>(ctx, std::move(*positions), slots, caller)};
    };
}

HttpResponse command_response(int status, std::string body,
                              const std::vector<events::Position>& positions) {
    auto r = json_response(status, std::move(body));
    if (!positions.empty())
        r.headers.emplace_back("X-Switchyard-Position", events::format_positions(positions));
    return r;
}

std::string with_position(boost::json::object o, const std::vector<events::Position>& positions) {
    o["position"] = positions.empty() ? boost::json::value(nullptr)
                                      : boost::json::value(events::format_positions(positions));
    return boost::json::serialize(o);
}

core::Result<std::int64_t> id_param(const HttpRequest& request, const char* name) {
    auto it = request.params.find(name);
    std::int64_t v = 0;
    if (it != request.params.end()) {
        const auto& s = it->second;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        if (ec == std::errc() && p == s.data() + s.size() && v > 0) return v;
    }
    return core::fail(Errc::Invalid, name, "must be a positive integer");
}

}  // namespace switchyard::api
