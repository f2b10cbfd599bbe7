#pragma once
/// Command handling (STYLE.md rule 4): load -> decide -> append with the expected revision;
/// on Conflict reload and decide again, a bounded number of times.

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/event_store.hpp"

namespace switchyard::events {

/// The writes one attempt decided; empty means the command changes nothing.
using Attempt = std::function<core::Result<std::vector<StreamWrite>>()>;

/// How long a command keeps deciding again after conflicts. Default: up to 200 attempts within
/// 3 s (well inside a request's deadline); from the third attempt on it waits a random 0 to
/// 2^attempt ms (at most 20 ms) first, so that writers contending for one stream spread out.
struct RetryPolicy {
    int max_attempts = 200;
    std::chrono::milliseconds budget{3000};
};

/// Runs `attempt` and appends its writes; when the append answers Conflict (another writer got
/// there first) runs `attempt` again, within `policy`.
/// @returns the append result (no writes when the attempt decided nothing).
/// @errors the attempt's own error; Conflict when every attempt conflicted; the store's errors.
core::Result<AppendResult> execute_command(EventStore& store, const Attempt& attempt,
                                           RetryPolicy policy = {});
/// As above with at most `max_attempts` attempts.
core::Result<AppendResult> execute_command(EventStore& store, const Attempt& attempt,
                                           int max_attempts);

/// The streams holding at least one event of `type`, found by reading the whole log (for rare
/// maintenance such as resealing secrets). @errors the store's read errors.
core::Result<std::set<std::string>> streams_with_event(EventStore& store, std::string_view type);

/// Builds the envelope fields of a new event from a decision context.
NewEvent make_new_event(std::string type, int schema, std::string data,
                        const core::DecisionContext& ctx, const std::string& tenant);
/// As above for a payload a codec wrote.
NewEvent make_new_event(EncodedEvent event, const core::DecisionContext& ctx,
                        const std::string& tenant);

/// Decided core events as new events of `tenant`: each encoded by the module's codec
/// (`encode`, e.g. events::iptv::encode) and given the envelope fields of `ctx`, in order.
template <class Event>
std::vector<NewEvent> to_new_events(const std::vector<Event>& events,
                                    std::type_identity_t<EncodedEvent (*)(const Event&)> encode,
                                    const core::DecisionContext& ctx, const std::string& tenant) {
    std::vector<NewEvent> out;
    out.reserve(events.size());
    for (const auto& e : events) out.push_back(make_new_event(encode(e), ctx, tenant));
    return out;
}

/// What a command gives back when it gives back nothing but where it wrote.
struct NoDetail {};

/// What a command did: whether it appended anything and where in the log (for read-your-writes),
/// with the fields of `Detail`: what the command gives back beyond its events (the id it
/// addressed, a secret shown once, the decider's details). Every service answers with it.
template <class Detail = NoDetail>
struct CommandOutcome : Detail {
    /// Something was appended: false when the command decided nothing, or when it was a retry
    /// whose events the log already held (deduplicated by event id).
    bool changed = false;
    std::vector<Position> positions;  ///< Last position per partition; empty when unchanged.
};

/// The outcome of a command whose append (execute_command, EventStore::append) answered
/// `appended`.
template <class Detail = NoDetail>
CommandOutcome<Detail> outcome_of(const AppendResult& appended, Detail detail = {}) {
    CommandOutcome<Detail> out{std::move(detail)};
    out.changed = !appended.writes.empty() && !appended.deduplicated;
    out.positions = appended.last_positions();
    return out;
}

/// Loads aggregate state by folding a stream's events, keeping folded states in memory so that
/// the next load reads only what was appended since.
/// @tparam State default-constructible; `evolve(State&, const Event&)` found by ADL.
/// @thread safe; each load returns a copy, each snapshot a shared immutable state.
template <class State, class Event>
class AggregateLoader {
  public:
    using Decode = std::function<core::Result<Event>(const RecordedEvent&)>;

    AggregateLoader(EventStore& store, Decode decode) : store_(store), decode_(std::move(decode)) {}

    /// The state of `stream` and the revision of its last event (-1 when it does not exist).
    /// @errors the store's read errors; Invalid when an event cannot be decoded.
    core::Result<std::pair<State, std::int64_t>> load(const std::string& stream) {
        auto [state, revision] = SY_TRY(snapshot(stream));
        return std::make_pair(*state, revision);
    }

    /// As load(), without copying the state when nothing was appended since the last load:
    /// the answer shares the cached state, which never changes once handed out.
    core::Result<std::pair<std::shared_ptr<const State>, std::int64_t>> snapshot(
        const std::string& stream) {
        Entry entry;
        {
            std::lock_guard lock(mu_);
            if (auto it = cache_.find(stream); it != cache_.end()) entry = it->second;
        }
        if (!entry.state) entry.state = std::make_shared<const State>();
        const auto start_revision = entry.revision;
        std::shared_ptr<State> next;
        for (;;) {
            auto batch = SY_TRY(store_.read_stream(stream, entry.revision + 1, 4096));
            if (!batch.empty() && !next) next = std::make_shared<State>(*entry.state);
            for (const auto& e : batch) {
                evolve(*next, SY_TRY(decode_(e)));
                entry.revision = e.revision;
            }
            if (batch.size() < 4096) break;
        }
        if (entry.revision != start_revision) {
            entry.state = std::move(next);
            std::lock_guard lock(mu_);
            auto& slot = cache_[stream];
            if (slot.revision < entry.revision) slot = entry;
        }
        return std::make_pair(entry.state, entry.revision);
    }

  private:
    struct Entry {
        std::shared_ptr<const State> state;
        std::int64_t revision = -1;
    };
    EventStore& store_;
    Decode decode_;
    std::mutex mu_;
    std::unordered_map<std::string, Entry> cache_;
};

}  // namespace switchyard::events
