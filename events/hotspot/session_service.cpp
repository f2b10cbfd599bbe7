#include "events/hotspot/session_service.hpp"

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "events/hotspot/session_codec.hpp"

namespace switchyard::events::hotspot {

using core::hotspot::AcctStatus;
using core::hotspot::Session;
using core::hotspot::SessionBook;
using core::hotspot::SessionEvent;

std::string session_stream(const std::string& tenant, const std::string& nas_id) {
    return "hotspot_sessions-" + tenant + "-" + nas_id;
}

namespace {

constexpr int kMaxAttempts = 5;

/// The book of one NAS with what bounds it.
struct NasBook {
    std::mutex mu;
    bool loaded = false;
    SessionBook book;
    std::int64_t revision = -1;
    std::deque<std::pair<core::Timestamp, std::string>> closed;  ///< In the order they closed.
    std::deque<std::string> dropped_order;
    std::unordered_set<std::string> dropped;
};

const std::string& unique_id_of(const SessionEvent& e) {
    return std::visit(
        [](const auto& x) -> const std::string& {
            if constexpr (requires { x.session; })
                return x.session.unique_id;
            else
                return x.unique_id;
        },
        e);
}

}  // namespace

struct SessionService::Impl {
    Impl(EventStore& s, std::string t, SessionServiceOptions o)
        : store(s), tenant(std::move(t)), options(o) {}
    EventStore& store;
    std::string tenant;
    SessionServiceOptions options;

    mutable std::shared_mutex books_mu;
    std::map<std::string, std::shared_ptr<NasBook>> books;

    mutable std::mutex usage_mu;
    std::unordered_map<std::string, AccountUsage> totals;
    /// Open sessions of each account: (nas_id, unique_id).
    std::unordered_map<std::string, std::set<std::pair<std::string, std::string>>> open;

    std::shared_ptr<NasBook> book_of(const std::string& nas_id) {
        {
            std::shared_lock lock(books_mu);
            if (auto it = books.find(nas_id); it != books.end()) return it->second;
        }
        std::unique_lock lock(books_mu);
        auto& slot = books[nas_id];
        if (!slot) slot = std::make_shared<NasBook>();
        return slot;
    }

    std::shared_ptr<NasBook> find_book(const std::string& nas_id) const {
        std::shared_lock lock(books_mu);
        auto it = books.find(nas_id);
        return it == books.end() ? nullptr : it->second;
    }

    /// Folds one event into the book and the account totals. Holds nb.mu.
    void fold(NasBook& nb, const SessionEvent& e, std::set<std::string>& touched) {
        const auto& id = unique_id_of(e);
        core::hotspot::SessionCounters before;
        bool was_active = false;
        bool existed = false;
        if (auto it = nb.book.sessions.find(id); it != nb.book.sessions.end()) {
            before = it->second.counters;
            was_active = it->second.active;
            existed = true;
        }
        core::hotspot::evolve(nb.book, e);
        auto it = nb.book.sessions.find(id);
        if (it == nb.book.sessions.end()) return;
        const Session& s = it->second;
        touched.insert(s.username);
        {
            std::lock_guard lock(usage_mu);
            auto& t = totals[s.username];
            t.usage.input_bytes += s.counters.input_bytes - before.input_bytes;
            t.usage.output_bytes += s.counters.output_bytes - before.output_bytes;
            t.usage.online_seconds += s.counters.session_seconds - before.session_seconds;
            auto& mine = open[s.username];
            const auto key = std::make_pair(s.nas_id, s.unique_id);
            if (s.active && (!existed || !was_active)) {
                if (mine.insert(key).second) ++t.active_sessions;
            } else if (!s.active && existed && was_active) {
                if (mine.erase(key) != 0) --t.active_sessions;
            } else if (!s.active && !existed) {
                mine.erase(key);
            }
            if (mine.empty()) open.erase(s.username);
        }
        if (!s.active && (!existed || was_active)) nb.closed.emplace_back(s.updated_at, id);
    }

    /// Drops sessions closed before `now - retain_closed`. Holds nb.mu.
    void prune(NasBook& nb, core::Timestamp now) {
        const auto horizon = now - options.retain_closed;
        while (!nb.closed.empty() && nb.closed.front().first < horizon) {
            const auto id = std::move(nb.closed.front().second);
            nb.closed.pop_front();
            auto it = nb.book.sessions.find(id);
            if (it == nb.book.sessions.end() || it->second.active) continue;
            nb.book.sessions.erase(it);
            if (nb.dropped.insert(id).second) nb.dropped_order.push_back(id);
            while (nb.dropped_order.size() > options.recent_dropped) {
                nb.dropped.erase(nb.dropped_order.front());
                nb.dropped_order.pop_front();
            }
        }
    }

    /// Reads what the stream holds past the book's revision. Holds nb.mu.
    core::Result<void> catch_up(NasBook& nb, const std::string& nas_id) {
        const auto stream = session_stream(tenant, nas_id);
        std::set<std::string> touched;
        for (;;) {
            auto batch = SY_TRY(store.read_stream(stream, nb.revision + 1, 4096));
            for (const auto& r : batch) {
                fold(nb, SY_TRY(decode_session_event(r)), touched);
                nb.revision = r.revision;
            }
            if (batch.size() < 4096) break;
        }
        nb.loaded = true;
        return {};
    }
};

SessionService::SessionService(EventStore& store, std::string tenant, SessionServiceOptions options)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), options)) {}

SessionService::~SessionService() = default;

core::Result<void> SessionService::preload(const std::vector<std::string>& nas_ids) {
    for (const auto& nas_id : nas_ids) {
        auto nb = impl_->book_of(nas_id);
        std::lock_guard lock(nb->mu);
        if (nb->loaded) continue;
        SY_TRY(impl_->catch_up(*nb, nas_id));
    }
    return {};
}

core::Result<AccountingOutcome> SessionService::apply(
    const core::hotspot::AccountingRequest& request, const core::DecisionContext& ctx) {
    if (request.nas_id.empty())
        return core::fail(core::Errc::Invalid, "nas_id", "the request names no NAS");
    auto nb = impl_->book_of(request.nas_id);
    std::lock_guard lock(nb->mu);
    if (!nb->loaded) SY_TRY(impl_->catch_up(*nb, request.nas_id));
    const bool per_session = request.status == AcctStatus::Start ||
                             request.status == AcctStatus::Stop ||
                             request.status == AcctStatus::InterimUpdate;
    // A late retransmission of a session already dropped from memory: nothing to append.
    if (per_session && nb->dropped.count(request.unique_id) != 0) return AccountingOutcome{};
    const auto stream = session_stream(impl_->tenant, request.nas_id);
    for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
        if (attempt > 0) SY_TRY(impl_->catch_up(*nb, request.nas_id));
        auto decided = SY_TRY(core::hotspot::decide_accounting(nb->book, request));
        if (decided.empty()) return AccountingOutcome{};
        std::vector<StreamWrite> writes;
        writes.push_back(StreamWrite{stream, ExpectedRevision::at(nb->revision),
                                     to_new_events(decided, encode, ctx, impl_->tenant)});
        auto appended = impl_->store.append(std::move(writes));
        if (!appended) {
            if (appended.error().code == core::Errc::Conflict) continue;
            return tl::unexpected(appended.error());
        }
        std::set<std::string> touched;
        for (const auto& e : decided) impl_->fold(*nb, e, touched);
        nb->revision = appended->writes.front().last_revision;
        impl_->prune(*nb, ctx.now);
        AccountingOutcome out;
        out.events = std::move(decided);
        out.positions = appended->last_positions();
        out.usernames.assign(touched.begin(), touched.end());
        return out;
    }
    return core::fail(core::Errc::Conflict, "Acct-Unique-Session-Id",
                      fmt::format("the sessions of NAS '{}' kept changing under {} attempts",
                                  request.nas_id, kMaxAttempts));
}

AccountUsage SessionService::usage(const std::string& username) const {
    std::lock_guard lock(impl_->usage_mu);
    auto it = impl_->totals.find(username);
    return it == impl_->totals.end() ? AccountUsage{} : it->second;
}

std::vector<Session> SessionService::active_sessions(const std::string& username) const {
    std::vector<std::pair<std::string, std::string>> keys;
    {
        std::lock_guard lock(impl_->usage_mu);
        auto it = impl_->open.find(username);
        if (it != impl_->open.end()) keys.assign(it->second.begin(), it->second.end());
    }
    std::vector<Session> out;
    for (const auto& [nas_id, id] : keys)
        if (auto s = session(nas_id, id); s && s->active) out.push_back(std::move(*s));
    return out;
}

std::optional<Session> SessionService::session(const std::string& nas_id,
                                               const std::string& unique_id) const {
    auto nb = impl_->find_book(nas_id);
    if (!nb) return std::nullopt;
    std::lock_guard lock(nb->mu);
    auto it = nb->book.sessions.find(unique_id);
    if (it == nb->book.sessions.end()) return std::nullopt;
    return it->second;
}

std::size_t SessionService::sessions_in_memory(const std::string& nas_id) const {
    auto nb = impl_->find_book(nas_id);
    if (!nb) return 0;
    std::lock_guard lock(nb->mu);
    return nb->book.sessions.size();
}

}  // namespace switchyard::events::hotspot
