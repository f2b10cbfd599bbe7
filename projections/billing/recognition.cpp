#include "projections/billing/recognition.hpp"

#include "core/bytes.hpp"
#include "events/billing/ledger_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::billing {

using namespace core::billing;

namespace {

constexpr auto kDeferralTable = fields(
    field("entry_id", &Deferral::entry_id), field("account", &Deferral::account),
    field("currency", &Deferral::currency), field("amount_micros", &Deferral::amount_micros),
    field("earned_from", &Deferral::earned_from), field("earned_until", &Deferral::earned_until));

constexpr auto kRows =
    json_rows<DeferralRow>(fields(flat(&DeferralRow::deferral, kDeferralTable),
                                  field("recognized_micros", &DeferralRow::recognized_micros),
                                  field("next_due", &DeferralRow::next_due)));

std::string row_key(const std::string& entry_id, const std::string& account) {
    return "r/" + entry_id + "/" + account;
}

std::string due_key(core::Timestamp t, const std::string& entry_id, const std::string& account) {
    return "q/" + core::be64(static_cast<std::uint64_t>(t.time_since_epoch().count())) + "/" +
           entry_id + "/" + account;
}

/// Stores `row`, moving its due key from `before` (if any) to its next due day while part of it
/// is still to be recognized.
void store(ProjectionWrites& w, const DeferralRow& row, const DeferralRow* before) {
    const auto& d = row.deferral;
    if (before) w.erase(due_key(before->next_due, d.entry_id, d.account));
    kRows.put(w, row_key(d.entry_id, d.account), row);
    if (row.recognized_micros != d.amount_micros)
        w.put(due_key(row.next_due, d.entry_id, d.account), "");
}

/// A recognition entry: its deferral's recognized amount grows by what it moved off the
/// deferred account, and the next due day follows the recognition's day.
void apply_recognition(const JournalEntry& e, ProjectionWrites& w) {
    constexpr std::string_view kDay = "YYYY-MM-DD";
    if (e.entry_id.size() < kDay.size() + 5) return;
    const auto day =
        core::parse_rfc3339(e.entry_id.substr(e.entry_id.size() - kDay.size()) + "T00:00:00Z");
    if (!day) return;
    for (const auto& p : e.postings) {
        if (!p.account.starts_with("deferred_revenue:")) continue;
        auto row = kRows.find(w, row_key(e.reference, p.account));
        if (!row) continue;
        const auto before = *row;
        row->recognized_micros += p.debit_micros - p.credit_micros;
        row->next_due = std::max(row->next_due, *day + std::chrono::days(1));
        store(w, *row, &before);
    }
}

}  // namespace

std::unique_ptr<Projector> make_billing_recognition_projector() {
    return make_projector(
        kBillingRecognition,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (e.type != EntryPosted::kType) return {};
            const auto decoded = SY_TRY(events::billing::decode_entry_event(e));
            const auto& entry = std::get<EntryPosted>(decoded).entry;
            if (is_recognition(entry)) {
                apply_recognition(entry, w);
                return {};
            }
            for (const auto& d : deferrals_of(entry))
                store(w, DeferralRow{d, 0, day_start(d.earned_from) + std::chrono::days(1)},
                      nullptr);
            return {};
        },
        [](std::string_view type) { return type == EntryPosted::kType; });
}

std::optional<DeferralRow> find_deferral(const ReadModelView& view, const std::string& entry_id,
                                         const std::string& account) {
    return kRows.find(view, row_key(entry_id, account));
}

std::vector<DeferralRow> due_deferrals(const ReadModelView& view, core::Timestamp now,
                                       std::size_t limit) {
    std::vector<DeferralRow> out;
    const auto until = static_cast<std::uint64_t>(now.time_since_epoch().count());
    view.scan("q/", "q/", [&](std::string_view key, std::string_view) {
        if (key.size() < 11 || core::from_be64(key.substr(2, 8)) > until) return false;
        const auto rest = key.substr(11);
        const auto slash = rest.find('/');
        if (slash == std::string_view::npos) return true;
        if (auto row = find_deferral(view, std::string(rest.substr(0, slash)),
                                     std::string(rest.substr(slash + 1))))
            out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::billing
