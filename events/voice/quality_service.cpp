#include "events/voice/quality_service.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "events/voice/call_codec.hpp"
#include "events/voice/quality_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

struct QualityService::Impl {
    Impl(EventStore& s, const core::Clock& c, QualityServiceOptions o)
        : store(s),
          clock(c),
          options(std::move(o)),
          loader(s, decode_quality_event),
          tracker(options.retention_s),
          actions(std::make_shared<const std::map<std::string, RouteAction>>()) {}

    EventStore& store;
    const core::Clock& clock;
    QualityServiceOptions options;
    AggregateLoader<QualityState, QualityEvent> loader;

    mutable std::mutex mu;  ///< Guards tracker, actions, head, seen, live.
    QualityTracker tracker;
    std::shared_ptr<const std::map<std::string, RouteAction>> actions;
    Checkpoint head;  ///< The log's head at start(): until seen covers it, only count.
    Checkpoint seen;
    bool live = true;

    std::mutex eval_mu;  ///< One evaluation at a time (they append to one stream).

    std::unique_ptr<Subscription> subscription;
    std::thread ticker;
    std::mutex tick_mu;
    std::condition_variable tick_cv;
    bool stopping = false;

    std::string stream() const { return quality_stream(options.tenant); }

    core::DecisionContext system_context(std::string correlation) const {
        core::DecisionContext ctx;
        ctx.now = clock.now();
        ctx.actor = {core::ActorKind::System, "voice-quality", ""};
        ctx.correlation_id = std::move(correlation);
        return ctx;
    }

    /// Reloads the actions routing reads.
    core::Result<std::shared_ptr<const QualityState>> refresh() {
        auto [state, rev] = SY_TRY(loader.snapshot(stream()));
        auto next = std::make_shared<const std::map<std::string, RouteAction>>(state->actions);
        std::lock_guard lock(mu);
        actions = std::move(next);
        return state;
    }

    /// Runs a decision against the quality stream and appends it; then refreshes the actions
    /// and notifies about opened and resolved alerts.
    core::Result<CommandOutcome<>> run(
        const core::DecisionContext& ctx,
        const std::function<core::Result<std::vector<QualityEvent>>(const QualityState&)>& fn) {
        std::vector<QualityEvent> decided;
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(loader.snapshot(stream()));
                decided = SY_TRY(fn(*state));
                if (decided.empty()) return std::vector<StreamWrite>{};
                return std::vector<StreamWrite>{
                    {stream(), ExpectedRevision::at(rev),
                     to_new_events(decided, encode, ctx, options.tenant)}};
            }));
        auto out = outcome_of(appended);
        if (!out.changed) return out;
        const auto state = SY_TRY(refresh());
        if (options.on_alert)
            for (const auto& e : decided) {
                std::string id, type;
                if (auto* o = std::get_if<QualityAlertOpened>(&e)) {
                    id = o->alert.alert_id;
                    type = std::string(QualityAlertOpened::kType);
                } else if (auto* r = std::get_if<QualityAlertResolved>(&e)) {
                    id = r->alert_id;
                    type = std::string(QualityAlertResolved::kType);
                } else {
                    continue;
                }
                if (auto a = state->alerts.find(id); a != state->alerts.end())
                    options.on_alert(a->second, type);
            }
        return out;
    }

    core::Result<void> evaluate_keys(const std::vector<QualityKey>& keys, std::string cause) {
        std::lock_guard eval(eval_mu);
        const auto now = clock.now();
        SY_TRY(run(system_context(std::move(cause)),
                   [&](const QualityState& s) -> core::Result<std::vector<QualityEvent>> {
                       std::lock_guard lock(mu);
                       return core::voice::evaluate(s, tracker, now, keys);
                   }));
        return {};
    }
};

QualityService::QualityService(EventStore& store, const core::Clock& clock,
                               QualityServiceOptions options)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options))) {
    (void)impl_->refresh();
}

QualityService::~QualityService() { stop(); }

void QualityService::start() {
    auto& im = *impl_;
    {
        std::lock_guard lock(im.mu);
        im.head = im.store.head();
        im.live = im.seen.covers(im.head);
    }
    im.subscription = im.store.subscribe(Checkpoint(), [this](std::span<const RecordedEvent> b) {
        if (auto r = ingest(b); !r)
            spdlog::warn("voice quality: evaluation failed: {}", r.error().message);
    });
    if (im.options.tick_ms > 0)
        im.ticker = std::thread([this] {
            auto& im = *impl_;
            std::unique_lock lock(im.tick_mu);
            while (!im.tick_cv.wait_for(lock, std::chrono::milliseconds(im.options.tick_ms),
                                        [&] { return im.stopping; })) {
                lock.unlock();
                bool live = false;
                {
                    std::lock_guard l(im.mu);
                    live = im.live;
                }
                if (live)
                    if (auto r = evaluate(); !r)
                        spdlog::warn("voice quality: evaluation failed: {}", r.error().message);
                lock.lock();
            }
        });
}

void QualityService::stop() {
    auto& im = *impl_;
    {
        std::lock_guard lock(im.tick_mu);
        im.stopping = true;
    }
    im.tick_cv.notify_all();
    if (im.ticker.joinable()) im.ticker.join();
    if (im.subscription) im.subscription->stop();
    im.subscription.reset();
}

core::Result<CommandOutcome<>> QualityService::execute(const DefineQualityRule& c,
                                                       const core::DecisionContext& ctx) {
    return impl_->run(ctx, [&](const QualityState& s) { return decide(s, c, ctx); });
}

core::Result<CommandOutcome<>> QualityService::execute(const DeleteQualityRule& c,
                                                       const core::DecisionContext& ctx) {
    return impl_->run(ctx, [&](const QualityState& s) { return decide(s, c, ctx); });
}

core::Result<CommandOutcome<>> QualityService::execute(const AcknowledgeAlert& c,
                                                       const core::DecisionContext& ctx) {
    return impl_->run(ctx, [&](const QualityState& s) { return decide(s, c, ctx); });
}

core::Result<void> QualityService::record(const QualityEvent& notification) {
    SY_TRY(impl_->run(impl_->system_context("voice-quality-webhook"),
                      [&](const QualityState&) -> core::Result<std::vector<QualityEvent>> {
                          return std::vector<QualityEvent>{notification};
                      }));
    return {};
}

core::Result<QualityState> QualityService::state() {
    auto [state, rev] = SY_TRY(impl_->loader.snapshot(impl_->stream()));
    return *state;
}

core::Result<void> QualityService::ingest(std::span<const RecordedEvent> batch,
                                          bool evaluate_after) {
    auto& im = *impl_;
    std::set<QualityKey> touched;
    bool quality_events = false, went_live = false, live = false;
    std::string cause;
    {
        std::lock_guard lock(im.mu);
        for (const auto& e : batch) {
            im.seen.advance(e.position);
            if (e.type.starts_with("voice.quality.")) quality_events = true;
            if (!e.type.starts_with("voice.call.")) continue;
            auto event = decode_call_event(e);
            if (!event) continue;  // a newer schema: not ours to judge
            for (auto& k : im.tracker.apply(*event)) touched.insert(std::move(k));
            cause = e.id;
        }
        if (!im.live && im.seen.covers(im.head)) im.live = went_live = true;
        live = im.live;
    }
    if (quality_events) SY_TRY(im.refresh());
    if (!evaluate_after || !live) return {};
    if (went_live) return im.evaluate_keys({}, "voice-quality-caught-up");
    if (touched.empty()) return {};
    return im.evaluate_keys({touched.begin(), touched.end()}, cause);
}

core::Result<void> QualityService::evaluate() {
    return impl_->evaluate_keys({}, "voice-quality-tick");
}

std::vector<std::pair<QualityKey, WindowFigures>> QualityService::figures(
    QualityScope scope, const QualityWindow& window) const {
    const auto now = impl_->clock.now();
    std::lock_guard lock(impl_->mu);
    std::vector<std::pair<QualityKey, WindowFigures>> out;
    for (auto& k : impl_->tracker.keys(scope))
        out.emplace_back(k, impl_->tracker.figures(k, window, now));
    return out;
}

QualitySource QualityService::quality_source() {
    return [im = impl_.get()](const std::string& carrier_id) -> std::optional<QualityFigures> {
        const auto now = im->clock.now();
        std::lock_guard lock(im->mu);
        const auto f = im->tracker.figures({QualityScope::Carrier, carrier_id, ""},
                                           im->options.routing_window, now);
        if (f.attempts == 0) return std::nullopt;
        return QualityFigures{f.asr_percent, f.acd_s, static_cast<std::int64_t>(f.pdd_ms),
                              f.attempts};
    };
}

RouteQualitySource QualityService::route_quality() {
    return [im = impl_.get()](const std::string& route_id, const std::string& prefix,
                              const std::string& carrier_id) {
        std::shared_ptr<const std::map<std::string, RouteAction>> actions;
        {
            std::lock_guard lock(im->mu);
            actions = im->actions;
        }
        return verdict(*actions, route_id, prefix, carrier_id);
    };
}

}  // namespace switchyard::events::voice
