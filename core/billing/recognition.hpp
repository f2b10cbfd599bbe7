#pragma once
/// Revenue recognition (ASC 606 / IFRS 15, "over time" for a service delivered evenly): money
/// paid for a service period is a liability, `deferred_revenue:<line>`, when it is charged, and
/// becomes revenue, `revenue:<line>`, as the period passes. An entry that credits
/// `deferred_revenue:<line>` and says the period it pays for (JournalEntry::earned_from,
/// earned_until) is a deferral; the billing worker posts its recognition once per UTC day:
/// entry `rec:<entry id>:<YYYY-MM-DD>` (Dr deferred_revenue, Cr revenue) for what was earned
/// through the start of that day and not yet recognized, so the books as of any day show what
/// was earned by then (Stripe Revenue Recognition and Chargebee recognize the same way, daily
/// and pro rata by time).

#include <optional>
#include <string>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// What one entry deferred on one deferred_revenue account.
struct Deferral {
    std::string entry_id;  ///< The entry that deferred it.
    std::string account;   ///< `deferred_revenue:<line>`.
    std::string currency;
    Micros amount_micros = 0;  ///< Credited net (negative for a proration credit).
    Timestamp earned_from{};
    Timestamp earned_until{};  ///< After earned_from.
    friend bool operator==(const Deferral&, const Deferral&) = default;
};

/// The deferrals of entry `e`: one per deferred_revenue account it credits or debits net, when
/// it has its earning period; none otherwise (and none for a recognition entry).
std::vector<Deferral> deferrals_of(const JournalEntry& e);

/// What of `d` is earned at `at`: its amount times the share of its period passed by then
/// (by the second), rounded to the currency's minor unit; 0 before the period, all of it from
/// its end.
Micros earned_by(const Deferral& d, Timestamp at) noexcept;

/// The start of `t`'s UTC day.
Timestamp day_start(Timestamp t) noexcept;

/// The recognition entry of `d` at `now`, given `recognized` so far: `rec:<entry id>:<day>`
/// (`day` the UTC date of `now`) moving what is earned by the start of `now`'s day less what
/// was recognized from `deferred_revenue:<line>` to `revenue:<line>` (the other way for a
/// negative deferral), `reference` the deferring entry. None when nothing more is due.
std::optional<JournalEntry> recognition_entry(const Deferral& d, Micros recognized, Timestamp now);

/// Makes `e` a deferral earned over [from, until): its `revenue:<line>` postings go to
/// `deferred_revenue:<line>` instead (a ratable plan's charge; discounts stay where they are).
void defer_revenue(JournalEntry& e, Timestamp from, Timestamp until);

/// True for an entry id made by recognition_entry.
bool is_recognition(const JournalEntry& e) noexcept;

}  // namespace switchyard::core::billing
