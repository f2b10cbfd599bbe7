#include "adapters/radius/enforcer.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <type_traits>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/hotspot/dae.hpp"
#include "core/hotspot/enforcement.hpp"
#include "core/hotspot/session.hpp"
#include "events/command_handler.hpp"
#include "events/hotspot/dae_codec.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "events/hotspot/session_codec.hpp"

namespace switchyard::adapters::radius {

using namespace core::hotspot;
using core::Errc;
using core::Timestamp;
using events::RecordedEvent;

namespace {

constexpr std::size_t kMaxStreamRead = 100000;

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

std::string attribute_text(const ReplyAttribute& a) {
    if (const auto* i = std::get_if<std::int64_t>(&a.value)) return std::to_string(*i);
    return std::get<std::string>(a.value);
}

Timestamp to_timestamp(std::chrono::system_clock::time_point t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}

/// A request id `<base>#<n>` as (base, n); (id, 1) for an id without a number.
std::pair<std::string, int> split_request_id(const std::string& id) {
    const auto hash = id.rfind('#');
    if (hash == std::string::npos || hash + 1 >= id.size()) return {id, 1};
    int n = 0;
    for (std::size_t i = hash + 1; i < id.size(); ++i) {
        if (id[i] < '0' || id[i] > '9' || n > 100000) return {id, 1};
        n = n * 10 + (id[i] - '0');
    }
    return {id.substr(0, hash), n};
}

/// A request ready to send.
struct Job {
    DaeRequested request;
    std::string causation_id;
    /// Set for a job that records a crossing on the account instead of sending a request.
    std::function<void()> task;
};

/// What triggered an evaluation.
struct Trigger {
    std::string event_id;  ///< The event that caused it, or `timer:...`.
    std::optional<Plan> previous_plan;
    std::string only_session;  ///< Staff end: this session only.
    bool staff_ended = false;
};

}  // namespace

struct Enforcer::Impl {
    Impl(events::EventStore& s, events::hotspot::HotspotService& h,
         const events::hotspot::VendorProfiles& p, const DaeClient& c, const core::Clock& k,
         EnforcerOptions o)
        : store(s), hotspot(h), profiles(p), client(c), clock(k), options(o) {}

    events::EventStore& store;
    events::hotspot::HotspotService& hotspot;
    const events::hotspot::VendorProfiles& profiles;
    const DaeClient& client;
    const core::Clock& clock;
    EnforcerOptions options;

    // ---- state followed from the log (mu) ----
    mutable std::mutex mu;
    std::map<std::string, Session> open;                ///< By unique_id.
    std::map<std::string, Usage> closed_usage;          ///< By username: of closed sessions.
    std::map<std::string, Usage> baseline;              ///< By username: usage at the plan change.
    std::map<std::string, std::string> account_plan;    ///< By username.
    std::map<std::string, Plan> plans;                  ///< By plan_id, as last defined.
    std::map<std::string, Timestamp> expiry;            ///< By username: expires_at of active ones.
    std::map<std::string, Timestamp> session_deadline;  ///< By username, from enforce().
    std::set<std::string> requested;                    ///< `<unique_id>/<request_id>`.
    /// Requests whose last numbered try ended in timeout, by `<unique_id>/<base request id>`:
    /// the try's number (1 for `<id>`, n for `<id>#n`) and when it completed.
    std::map<std::string, std::pair<int, Timestamp>> timed_out;
    /// By username: the id of the `hotspot.account.disabled` event in force (the request id of
    /// its Disconnects is `disabled:<event id>`, so each disable cuts once).
    std::map<std::string, std::string> disabled_by;
    /// Met while catching up: end requests by unique_id (-> their event id) not yet answered.
    std::map<std::string, std::string> pending_end;
    events::Checkpoint checkpoint;
    events::Checkpoint start_head;
    bool live = false;
    EnforcerStats stats;

    // ---- workers and timer ----
    std::mutex qmu;
    mutable std::condition_variable qcv;
    std::deque<Job> queue;
    int busy = 0;
    bool stopping = false;
    std::vector<std::thread> workers;
    std::thread timer;
    std::condition_variable timer_cv;
    std::unique_ptr<events::Subscription> subscription;
    bool started = false;
    mutable std::condition_variable idle_cv;

    core::DecisionContext context(const std::string& correlation) const {
        core::DecisionContext ctx;
        ctx.now = clock.now();
        ctx.actor = core::Actor{core::ActorKind::System, "hotspot-enforcer", ""};
        ctx.correlation_id = correlation;
        return ctx;
    }

    Usage usage_of(const std::string& username) const {
        Usage u;
        if (auto it = closed_usage.find(username); it != closed_usage.end()) u = it->second;
        for (const auto& [id, s] : open) {
            if (s.username != username) continue;
            u.input_bytes += s.counters.input_bytes;
            u.output_bytes += s.counters.output_bytes;
            u.online_seconds += s.counters.session_seconds;
        }
        if (auto it = baseline.find(username); it != baseline.end()) {
            u.input_bytes = std::max<std::int64_t>(0, u.input_bytes - it->second.input_bytes);
            u.output_bytes = std::max<std::int64_t>(0, u.output_bytes - it->second.output_bytes);
            u.online_seconds =
                std::max<std::int64_t>(0, u.online_seconds - it->second.online_seconds);
        }
        return u;
    }

    // ---- following the log ----

    void on_batch(std::span<const RecordedEvent> batch) {
        std::vector<std::pair<std::string, Trigger>> todo;
        {
            std::lock_guard lock(mu);
            for (const auto& e : batch) {
                checkpoint.advance(e.position);
                try {
                    if (e.tenant == hotspot.tenant() && starts_with(e.type, "hotspot."))
                        apply_locked(e, todo);
                } catch (const std::exception& ex) {
                    spdlog::error("hotspot enforcer: event {} ({}): {}", e.id, e.type, ex.what());
                }
                if (!live && checkpoint.covers(start_head)) {
                    live = true;
                    todo.clear();
                    std::set<std::string> users;
                    for (const auto& [id, s] : open) users.insert(s.username);
                    for (const auto& [u, t] : expiry) users.insert(u);
                    for (const auto& u : users) todo.emplace_back(u, Trigger{"catch-up"});
                    // End requests the log has without their Disconnect-Request (a restart
                    // between the two).
                    for (const auto& [id, event_id] : pending_end) {
                        const auto it = open.find(id);
                        if (it == open.end()) continue;
                        Trigger t{event_id};
                        t.only_session = id;
                        t.staff_ended = true;
                        todo.emplace_back(it->second.username, std::move(t));
                    }
                    pending_end.clear();
                }
            }
            if (!live) todo.clear();
            for (auto& [username, trigger] : todo) evaluate_locked(username, trigger);
        }
        timer_cv.notify_all();
        idle_cv.notify_all();
    }

    void apply_locked(const RecordedEvent& e, std::vector<std::pair<std::string, Trigger>>& todo) {
        if (e.type == SessionEndRequested::kType || starts_with(e.type, "hotspot.dae.")) {
            auto ev = events::hotspot::decode_dae_event(e);
            if (!ev) return;
            if (const auto* end = std::get_if<SessionEndRequested>(&*ev)) {
                const auto it = open.find(end->unique_id);
                if (it != open.end()) {
                    Trigger t{e.id};
                    t.only_session = end->unique_id;
                    t.staff_ended = true;
                    todo.emplace_back(it->second.username, std::move(t));
                    if (!live) pending_end[end->unique_id] = e.id;
                }
            } else if (const auto* req = std::get_if<DaeRequested>(&*ev)) {
                requested.insert(req->unique_id + "/" + req->request_id);
                if (req->reason == EnforcementReason::StaffEnded) pending_end.erase(req->unique_id);
            } else if (const auto* done = std::get_if<DaeCompleted>(&*ev)) {
                const auto [base, number] = split_request_id(done->request_id);
                const auto key = done->unique_id + "/" + base;
                if (done->outcome == "timeout") {
                    auto& t = timed_out[key];
                    if (number >= t.first) t = {number, done->completed_at};
                } else {
                    timed_out.erase(key);
                }
                if (options.health) {
                    if (done->outcome == "ack" || done->outcome == "nak")
                        options.health->heard(done->nas_id, done->completed_at, "dae");
                    else
                        options.health->failed(done->nas_id, done->completed_at,
                                               done->outcome + " " + done->message);
                }
            }
            return;
        }
        if (starts_with(e.type, "hotspot.session.")) {
            auto ev = events::hotspot::decode_session_event(e);
            if (!ev) return;
            std::visit([&](const auto& x) { apply_session(e, x, todo); }, *ev);
            return;
        }
        if (starts_with(e.type, "hotspot.account.")) {
            auto ev = events::hotspot::decode_account_event(e);
            if (!ev) return;
            std::visit([&](const auto& x) { apply_account(e, x, todo); }, *ev);
            return;
        }
        if (e.type == PlanDefined::kType) {
            auto ev = events::hotspot::decode_catalog_event(e);
            if (!ev) return;
            const auto& plan = std::get<PlanDefined>(*ev).plan;
            const auto before = plans.find(plan.plan_id);
            if (before != plans.end()) {
                const auto& old = before->second;
                if (old.download_kbps != plan.download_kbps ||
                    old.upload_kbps != plan.upload_kbps || old.burst != plan.burst) {
                    std::set<std::string> users;
                    for (const auto& [id, s] : open) {
                        const auto p = account_plan.find(s.username);
                        if (p != account_plan.end() && p->second == plan.plan_id)
                            users.insert(s.username);
                    }
                    for (const auto& u : users) {
                        Trigger t{e.id};
                        t.previous_plan = old;
                        todo.emplace_back(u, std::move(t));
                    }
                }
            }
            plans[plan.plan_id] = plan;
        }
    }

    void heard(const std::string& nas_id, Timestamp at) {
        if (options.health && !nas_id.empty()) options.health->heard(nas_id, at, "accounting");
    }

    void apply_session(const RecordedEvent& e, const SessionStarted& x,
                       std::vector<std::pair<std::string, Trigger>>& todo) {
        if (!x.session.active) return;
        open[x.session.unique_id] = x.session;
        heard(x.session.nas_id, e.time);
        todo.emplace_back(x.session.username, Trigger{e.id});
    }
    void apply_session(const RecordedEvent& e, const SessionUpdated& x,
                       std::vector<std::pair<std::string, Trigger>>& todo) {
        const auto it = open.find(x.unique_id);
        if (it == open.end()) return;
        it->second.counters = x.counters;
        if (!x.framed_ip.empty()) it->second.framed_ip = x.framed_ip;
        it->second.updated_at = x.updated_at;
        heard(it->second.nas_id, e.time);
        todo.emplace_back(it->second.username, Trigger{e.id});
    }
    void close(const std::string& unique_id, const SessionCounters* counters) {
        const auto it = open.find(unique_id);
        if (it == open.end()) return;
        const auto c = counters ? *counters : it->second.counters;
        auto& u = closed_usage[it->second.username];
        u.input_bytes += c.input_bytes;
        u.output_bytes += c.output_bytes;
        u.online_seconds += c.session_seconds;
        open.erase(it);
    }
    void apply_session(const RecordedEvent& e, const SessionStopped& x,
                       std::vector<std::pair<std::string, Trigger>>&) {
        if (const auto it = open.find(x.unique_id); it != open.end())
            heard(it->second.nas_id, e.time);
        close(x.unique_id, &x.counters);
    }
    void apply_session(const RecordedEvent& e, const SessionClosedByNas& x,
                       std::vector<std::pair<std::string, Trigger>>&) {
        heard(x.nas_id, e.time);
        close(x.unique_id, nullptr);
    }

    void set_expiry(const std::string& username, const std::optional<Timestamp>& at,
                    AccountStatus status) {
        if (at && status == AccountStatus::Active)
            expiry[username] = *at;
        else
            expiry.erase(username);
    }

    template <class X>
    void apply_account(const RecordedEvent& e, const X& x,
                       std::vector<std::pair<std::string, Trigger>>& todo) {
        if constexpr (std::is_same_v<X, AccountCreated>) {
            account_plan[x.account.username] = x.account.plan_id;
            set_expiry(x.account.username, x.account.expires_at, x.account.status);
        } else if constexpr (std::is_same_v<X, AccountPlanChanged>) {
            std::optional<Plan> previous;
            if (const auto p = account_plan.find(x.username); p != account_plan.end()) {
                if (const auto old = plans.find(p->second); old != plans.end())
                    previous = old->second;
            }
            // A fresh allowance from now: what was used so far no longer counts. The event
            // carries the base (Account::usage_base, which remaining() subtracts); an event
            // written before it had none, and the base is then taken here.
            baseline.erase(x.username);
            if (x.usage_base_input_bytes == 0 && x.usage_base_output_bytes == 0 &&
                x.usage_base_online_seconds == 0)
                baseline[x.username] = usage_of(x.username);
            account_plan[x.username] = x.plan_id;
            set_expiry(x.username, x.expires_at, x.status);
            Trigger t{e.id};
            t.previous_plan = previous;
            todo.emplace_back(x.username, std::move(t));
        } else if constexpr (std::is_same_v<X, AccountStarted>) {
            set_expiry(x.username, x.expires_at, AccountStatus::Active);
        } else if constexpr (std::is_same_v<X, AccountExtended>) {
            set_expiry(x.username, x.expires_at, x.status);
        } else if constexpr (std::is_same_v<X, AccountEnabled>) {
            if (x.status != AccountStatus::Active) expiry.erase(x.username);
        } else if constexpr (std::is_same_v<X, AccountDisabled>) {
            disabled_by[x.username] = e.id;
            expiry.erase(x.username);
            todo.emplace_back(x.username, Trigger{e.id});
        } else if constexpr (std::is_same_v<X, AccountExpired> ||
                             std::is_same_v<X, AccountExhausted>) {
            expiry.erase(x.username);
            todo.emplace_back(x.username, Trigger{e.id});
        }
    }

    // ---- deciding ----

    /// The next numbered request id after a timed-out `base` of a session (`base#n+1`) when the
    /// backoff has passed and repeats are left, else none. Holds mu.
    std::optional<std::string> repeat_of(const std::string& unique_id, const std::string& base,
                                         Timestamp now) const {
        const auto it = timed_out.find(unique_id + "/" + base);
        if (it == timed_out.end()) return std::nullopt;
        const auto [number, completed_at] = it->second;
        if (number > options.max_repeats) return std::nullopt;  // tries: 1 + max_repeats
        const auto wait = options.repeat_backoff * (std::int64_t{1} << std::min(number - 1, 20));
        if (now < completed_at + std::chrono::duration_cast<std::chrono::microseconds>(wait))
            return std::nullopt;
        auto next = fmt::format("{}#{}", base, number + 1);
        if (requested.count(unique_id + "/" + next) != 0) return std::nullopt;  // in flight
        return next;
    }

    void evaluate_locked(const std::string& username, const Trigger& trigger) {
        auto account = hotspot.account(username);
        if (!account) return;
        auto plan = hotspot.plan(account->plan_id);
        if (!plan) return;
        std::vector<SessionTarget> targets;
        for (const auto& [id, s] : open) {
            if (s.username != username) continue;
            if (!trigger.only_session.empty() && id != trigger.only_session) continue;
            auto nas = hotspot.nas(s.nas_id);
            if (!nas) {
                spdlog::warn("hotspot enforcer: session {} on unknown NAS {}", id, s.nas_id);
                continue;
            }
            const auto* profile = profiles.find(core::hotspot::to_string(nas->vendor));
            if (!profile) continue;
            targets.push_back(SessionTarget{s, *nas, *profile});
        }
        EnforcementInput in;
        in.account = &*account;
        in.plan = &*plan;
        in.usage = usage_of(username);
        in.sessions = std::move(targets);
        in.now = clock.now();
        in.previous_plan = trigger.previous_plan;
        in.staff_ended = trigger.staff_ended;
        const auto d = enforce(in);

        for (const auto& a : d.actions) {
            std::string request_id = enforcement_reason_name(a.reason).data();
            if (a.reason == EnforcementReason::SpeedChanged) request_id += ":" + trigger.event_id;
            if (a.reason == EnforcementReason::Disabled) {
                if (const auto d = disabled_by.find(username); d != disabled_by.end())
                    request_id += ":" + d->second;
            }
            if (requested.count(a.unique_id + "/" + request_id) != 0) {
                // Sent before: again only after a timeout (the session is still open).
                auto repeat = repeat_of(a.unique_id, request_id, in.now);
                if (!repeat) continue;
                request_id = std::move(*repeat);
            }
            if (!requested.insert(a.unique_id + "/" + request_id).second) continue;
            Job job;
            job.causation_id = trigger.event_id;
            auto& r = job.request;
            r.request_id = request_id;
            r.unique_id = a.unique_id;
            r.username = username;
            r.nas_id = a.nas_id;
            r.kind = a.kind;
            r.reason = a.reason;
            r.address = a.address;
            r.port = a.port;
            for (const auto& attr : a.attributes)
                r.attributes.push_back({attr.name, attribute_text(attr)});
            r.requested_at = in.now;
            {
                std::lock_guard q(qmu);
                queue.push_back(std::move(job));
            }
            qcv.notify_one();
        }

        if (d.next_deadline)
            session_deadline[username] = *d.next_deadline;
        else
            session_deadline.erase(username);

        if (!d.reason) return;
        // Record the crossing on the account, so that Access-Requests are refused from now on.
        // On a worker: the append must not hold up the next crossing on this thread.
        const bool expire = *d.reason == EnforcementReason::Expired &&
                            account->status == AccountStatus::Active && account->expires_at &&
                            *account->expires_at <= in.now;
        const bool exhaust =
            *d.reason == EnforcementReason::DataUsed || *d.reason == EnforcementReason::TimeUsed;
        if (!expire && !exhaust) return;
        const auto reason = *d.reason;
        const auto event_id = trigger.event_id;
        Job job;
        job.task = [this, username, reason, event_id, expire] {
            const auto ctx = context(event_id);
            const auto command_id =
                fmt::format("enforcer:{}:{}", enforcement_reason_name(reason), event_id);
            core::Result<events::CommandOutcome<>> r = events::CommandOutcome<>{};
            if (expire) {
                r = hotspot.execute(ExpireAccount{username, command_id}, ctx);
            } else {
                auto st = hotspot.account_state(username);
                if (st && !st->first.exhausted) {
                    r = hotspot.execute(MarkExhausted{username,
                                                      reason == EnforcementReason::DataUsed
                                                          ? ExhaustedLimit::Data
                                                          : ExhaustedLimit::SessionTime,
                                                      command_id},
                                        ctx);
                }
            }
            if (!r)
                spdlog::warn("hotspot enforcer: recording {} of {}: {}",
                             enforcement_reason_name(reason), username, r.error().message);
        };
        {
            std::lock_guard q(qmu);
            queue.push_back(std::move(job));
        }
        qcv.notify_one();
    }

    // ---- sending ----

    /// Appends to a session's stream at its current revision, reading again on conflict.
    /// `check` sees the stream's events first and may decide to append nothing (returns false).
    core::Result<bool> append_to_session(
        const std::string& unique_id,
        const std::function<bool(const std::vector<DaeEvent>&)>& check,
        const std::function<std::vector<events::NewEvent>()>& make) {
        const auto stream = dae_stream(hotspot.tenant(), unique_id);
        bool appended = false;
        auto result = events::execute_command(
            store,
            [&]() -> core::Result<std::vector<events::StreamWrite>> {
                auto recorded = SY_TRY(store.read_stream(stream, 0, kMaxStreamRead));
                std::vector<DaeEvent> seen;
                for (const auto& e : recorded) {
                    if (auto d = events::hotspot::decode_dae_event(e)) seen.push_back(*d);
                }
                appended = false;
                if (check && !check(seen)) return std::vector<events::StreamWrite>{};
                appended = true;
                const auto last = recorded.empty() ? -1 : recorded.back().revision;
                return std::vector<events::StreamWrite>{
                    {stream, events::ExpectedRevision::at(last), make()}};
            },
            20);
        if (!result) return tl::unexpected(result.error());
        return appended;
    }

    events::NewEvent new_event(const DaeEvent& ev, const core::DecisionContext& ctx,
                               const std::string& causation) const {
        auto e = events::make_new_event(events::hotspot::encode(ev), ctx, hotspot.tenant());
        e.causation_id = causation;
        return e;
    }

    void run(const Job& job) {
        const auto& req = job.request;
        const auto ctx = context(job.causation_id);
        auto appended = append_to_session(
            req.unique_id,
            [&](const std::vector<DaeEvent>& seen) {
                for (const auto& e : seen) {
                    const auto* r = std::get_if<DaeRequested>(&e);
                    if (r && r->request_id == req.request_id) return false;
                }
                return true;
            },
            [&] { return std::vector<events::NewEvent>{new_event(req, ctx, job.causation_id)}; });
        if (!appended) {
            spdlog::error("hotspot enforcer: recording request {} of {}: {}", req.request_id,
                          req.unique_id, appended.error().message);
            return;
        }
        if (!*appended) {
            std::lock_guard lock(mu);
            ++stats.duplicates_skipped;
            return;
        }

        DaeCompleted done;
        done.request_id = req.request_id;
        done.unique_id = req.unique_id;
        done.nas_id = req.nas_id;
        std::vector<DaeEvent> out;
        auto secret = hotspot.nas_secret(req.nas_id);
        if (!secret) {
            done.outcome = "error";
            done.message = secret.error().message;
        } else {
            std::vector<DaeAttribute> attributes;
            for (const auto& a : req.attributes) attributes.push_back({a.name, a.value});
            const DaeTarget target{req.address, static_cast<std::uint16_t>(req.port), *secret};
            {
                std::lock_guard lock(mu);
                ++stats.requests_sent;
            }
            auto r = client.send(req.kind == DynamicAuthorization::Coa
                                     ? core::radius::Code::CoaRequest
                                     : core::radius::Code::DisconnectRequest,
                                 target, attributes);
            if (!r) {
                done.outcome = "error";
                done.message = r.error().message;
            } else {
                for (const auto& a : r->attempts) {
                    DaeAttempted at;
                    at.request_id = req.request_id;
                    at.unique_id = req.unique_id;
                    at.attempt = a.number;
                    at.identifier = a.identifier;
                    at.sent_at = to_timestamp(a.sent_at);
                    if (a.round_trip) at.round_trip_us = a.round_trip->count();
                    at.outcome = to_string(a.outcome);
                    out.emplace_back(std::move(at));
                }
                done.outcome = to_string(r->outcome);
                if (r->error_cause) done.error_cause = *r->error_cause;
                done.error_cause_name = r->error_cause_name;
                done.attempts = static_cast<std::int64_t>(r->attempts.size());
                done.message = r->message;
                done.session_gone = (r->outcome == DaeOutcome::Ack &&
                                     req.kind == DynamicAuthorization::Disconnect) ||
                                    (r->outcome == DaeOutcome::Nak && r->error_cause &&
                                     *r->error_cause == kSessionContextNotFound);
            }
        }
        done.completed_at = clock.now();
        {
            std::lock_guard lock(mu);
            if (done.outcome == "ack")
                ++stats.acked;
            else if (done.outcome == "nak")
                ++stats.naked;
            else
                ++stats.failed;
        }
        out.emplace_back(done);
        const auto ctx2 = context(job.causation_id);
        auto recorded = append_to_session(req.unique_id, nullptr, [&] {
            std::vector<events::NewEvent> evs;
            for (const auto& e : out) evs.push_back(new_event(e, ctx2, job.causation_id));
            return evs;
        });
        if (!recorded)
            spdlog::error("hotspot enforcer: recording the outcome of {} of {}: {}", req.request_id,
                          req.unique_id, recorded.error().message);
    }

    void worker_loop() {
        for (;;) {
            Job job;
            {
                std::unique_lock q(qmu);
                qcv.wait(q, [&] { return stopping || !queue.empty(); });
                if (stopping && queue.empty()) return;
                job = std::move(queue.front());
                queue.pop_front();
                ++busy;
            }
            try {
                if (job.task)
                    job.task();
                else
                    run(job);
            } catch (const std::exception& ex) {
                spdlog::error("hotspot enforcer: {}", ex.what());
            }
            {
                std::lock_guard q(qmu);
                --busy;
            }
            idle_cv.notify_all();
        }
    }

    // ---- the timer ----

    void timer_loop() {
        std::unique_lock lock(mu);
        while (!stopping_flag.load()) {
            const auto now = clock.now();
            std::optional<Timestamp> next;
            std::vector<std::string> due;
            if (live) {
                auto visit = [&](const std::map<std::string, Timestamp>& m) {
                    for (const auto& [u, t] : m) {
                        if (t <= now)
                            due.push_back(u);
                        else if (!next || t < *next)
                            next = t;
                    }
                };
                visit(expiry);
                visit(session_deadline);
            }
            std::sort(due.begin(), due.end());
            due.erase(std::unique(due.begin(), due.end()), due.end());
            for (const auto& u : due) {
                // Fired once: enforce() gives a new deadline if one is still ahead.
                const auto when = std::max(expiry.count(u) ? expiry[u] : now,
                                           session_deadline.count(u) ? session_deadline[u] : now);
                expiry.erase(u);
                session_deadline.erase(u);
                evaluate_locked(u,
                                Trigger{fmt::format("timer:{}:{}", u, core::format_rfc3339(when))});
            }
            if (!due.empty()) {
                idle_cv.notify_all();
                continue;
            }
            auto wait = options.max_timer_wait;
            if (next) {
                const auto left =
                    std::chrono::duration_cast<std::chrono::milliseconds>(*next - now) +
                    std::chrono::milliseconds(1);
                wait = std::min(wait, left);
            }
            timer_cv.wait_for(lock, wait);
        }
    }

    std::atomic<bool> stopping_flag{false};
};

Enforcer::Enforcer(events::EventStore& store, events::hotspot::HotspotService& hotspot,
                   const events::hotspot::VendorProfiles& profiles, const DaeClient& client,
                   const core::Clock& clock, EnforcerOptions options)
    : impl_(std::make_unique<Impl>(store, hotspot, profiles, client, clock, options)) {}

Enforcer::~Enforcer() { stop(); }

void Enforcer::start(events::Checkpoint from) {
    auto& m = *impl_;
    if (m.started) return;
    m.started = true;
    {
        std::lock_guard lock(m.mu);
        m.checkpoint = from;
        m.start_head = m.store.head();
        m.live = from.covers(m.start_head);
    }
    const auto n = std::max<std::size_t>(1, m.options.workers);
    for (std::size_t i = 0; i < n; ++i) m.workers.emplace_back([&m] { m.worker_loop(); });
    m.timer = std::thread([&m] { m.timer_loop(); });
    m.subscription =
        m.store.subscribe(from, [&m](std::span<const RecordedEvent> batch) { m.on_batch(batch); });
}

void Enforcer::stop() {
    auto& m = *impl_;
    if (!m.started) return;
    if (m.subscription) m.subscription->stop();
    m.subscription.reset();
    {
        std::lock_guard lock(m.mu);
        m.stopping_flag = true;
    }
    m.timer_cv.notify_all();
    if (m.timer.joinable()) m.timer.join();
    {
        std::lock_guard q(m.qmu);
        m.stopping = true;
    }
    m.qcv.notify_all();
    for (auto& w : m.workers) w.join();
    m.workers.clear();
    m.started = false;
}

core::Result<bool> Enforcer::request_end(const std::string& unique_id, const std::string& note,
                                         const core::DecisionContext& ctx) {
    auto& m = *impl_;
    if (note.size() > 256) return core::fail(Errc::Invalid, "note", "at most 256 characters");
    {
        std::lock_guard lock(m.mu);
        if (!m.open.count(unique_id))
            return core::fail(Errc::NotFound, "session",
                              fmt::format("no open session '{}'", unique_id));
    }
    SessionEndRequested ev{unique_id, note, ctx.correlation_id, ctx.now};
    return m.append_to_session(
        unique_id,
        [&](const std::vector<DaeEvent>& seen) {
            if (ctx.correlation_id.empty()) return true;
            for (const auto& e : seen) {
                const auto* r = std::get_if<SessionEndRequested>(&e);
                if (r && r->command_id == ctx.correlation_id) return false;
            }
            return true;
        },
        [&] {
            auto e = events::make_new_event(events::hotspot::encode(DaeEvent{ev}), ctx,
                                            m.hotspot.tenant());
            return std::vector<events::NewEvent>{e};
        });
}

std::vector<Session> Enforcer::open_sessions() const {
    std::lock_guard lock(impl_->mu);
    std::vector<Session> out;
    for (const auto& [id, s] : impl_->open) out.push_back(s);
    return out;
}

EnforcerStats Enforcer::stats() const {
    std::lock_guard lock(impl_->mu);
    auto s = impl_->stats;
    s.open_sessions = static_cast<std::int64_t>(impl_->open.size());
    return s;
}

bool Enforcer::wait_idle(std::chrono::milliseconds timeout) const {
    auto& m = *impl_;
    const auto head = m.store.head();
    const auto until = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        bool caught_up = false;
        {
            std::lock_guard lock(m.mu);
            caught_up = m.checkpoint.covers(head);
        }
        {
            std::unique_lock q(m.qmu);
            if (caught_up && m.queue.empty() && m.busy == 0) return true;
            if (std::chrono::steady_clock::now() >= until) return false;
            m.idle_cv.wait_for(q, std::chrono::milliseconds(20));
        }
    }
}

}  // namespace switchyard::adapters::radius
