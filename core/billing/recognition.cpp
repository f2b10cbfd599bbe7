#include "core/billing/recognition.hpp"

#include <chrono>
#include <map>

#include "core/billing/plan.hpp"

namespace switchyard::core::billing {

namespace {

constexpr std::string_view kDeferred = "deferred_revenue:";

}  // namespace

std::vector<Deferral> deferrals_of(const JournalEntry& e) {
    std::vector<Deferral> out;
    if (!e.earned_from || !e.earned_until || is_recognition(e)) return out;
    std::map<std::string, Micros> net;  // credits minus debits per deferred account
    for (const auto& p : e.postings)
        if (p.account.starts_with(kDeferred)) net[p.account] += p.credit_micros - p.debit_micros;
    for (const auto& [account, amount] : net)
        if (amount != 0)
            out.push_back(
                {e.entry_id, account, e.currency, amount, *e.earned_from, *e.earned_until});
    return out;
}

Micros earned_by(const Deferral& d, Timestamp at) noexcept {
    if (at <= d.earned_from) return 0;
    if (at >= d.earned_until) return d.amount_micros;
    using std::chrono::duration_cast;
    using std::chrono::seconds;
    const auto passed = duration_cast<seconds>(at - d.earned_from).count();
    const auto whole = duration_cast<seconds>(d.earned_until - d.earned_from).count();
    return prorate(d.amount_micros, passed, whole, d.currency);
}

Timestamp day_start(Timestamp t) noexcept { return std::chrono::floor<std::chrono::days>(t); }

std::optional<JournalEntry> recognition_entry(const Deferral& d, Micros recognized, Timestamp now) {
    const auto day = day_start(now);
    const Micros due = earned_by(d, day) - recognized;
    if (due == 0) return std::nullopt;
    const auto line = d.account.substr(kDeferred.size());
    JournalEntry e;
    e.entry_id = "rec:" + d.entry_id + ":" + format_rfc3339(day).substr(0, 10);
    e.currency = d.currency;
    e.memo = "revenue recognized through " + format_rfc3339(day).substr(0, 10);
    e.reference = d.entry_id;
    const Micros amount = due > 0 ? due : -due;
    if (due > 0)
        e.postings = {{d.account, amount, 0}, {"revenue:" + line, 0, amount}};
    else
        e.postings = {{"revenue:" + line, amount, 0}, {d.account, 0, amount}};
    return e;
}

void defer_revenue(JournalEntry& e, Timestamp from, Timestamp until) {
    constexpr std::string_view kRevenue = "revenue:";
    for (auto& p : e.postings)
        if (p.account.starts_with(kRevenue))
            p.account = std::string(kDeferred) + p.account.substr(kRevenue.size());
    e.earned_from = from;
    e.earned_until = until;
}

bool is_recognition(const JournalEntry& e) noexcept { return e.entry_id.starts_with("rec:"); }

}  // namespace switchyard::core::billing
