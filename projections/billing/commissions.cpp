#include "projections/billing/commissions.hpp"

#include "core/overloaded.hpp"
#include "events/billing/commission_codec.hpp"
#include "events/billing/commission_tables.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::billing {

using namespace core::billing;

namespace {

constexpr auto kRateRows = json_rows<CommissionRateRow>(
    fields(flat(&CommissionRateRow::rate, events::billing::kCommissionRateTable),
           field("set_at", &CommissionRateRow::set_at)));

constexpr auto kCommissionRows = json_rows<CommissionRow>(
    fields(flat(&CommissionRow::earned, events::billing::kCommissionEarnedTable),
           field("status", &CommissionRow::status, parse_commission_status),
           optional_field("reason", &CommissionRow::reason),
           optional_field("payout_id", &CommissionRow::payout_id),
           field("earned_at", &CommissionRow::earned_at),
           field("updated_at", &CommissionRow::updated_at)));

constexpr auto kTotalRows =
    json_rows<CommissionTotals>(fields(field("reseller_id", &CommissionTotals::reseller_id),
                                       field("currency", &CommissionTotals::currency),
                                       field("pending_micros", &CommissionTotals::pending_micros),
                                       field("approved_micros", &CommissionTotals::approved_micros),
                                       field("paid_micros", &CommissionTotals::paid_micros),
                                       field("rejected_micros", &CommissionTotals::rejected_micros),
                                       field("count", &CommissionTotals::count)));

constexpr auto kPayoutRows = json_rows<CommissionPayoutRow>(
    fields(flat(&CommissionPayoutRow::made, events::billing::kCommissionPayoutTable),
           field("made_at", &CommissionPayoutRow::made_at)));

bool is_model_type(std::string_view type) {
    return type.starts_with("billing.commission.") ||
           type.starts_with("billing.commission_rate.") ||
           type.starts_with("billing.commission_payout.");
}

Micros& bucket(CommissionTotals& t, CommissionStatus s) {
    switch (s) {
        case CommissionStatus::Pending:
            return t.pending_micros;
        case CommissionStatus::Approved:
            return t.approved_micros;
        case CommissionStatus::Rejected:
            return t.rejected_micros;
        case CommissionStatus::Paid:
            return t.paid_micros;
    }
    return t.pending_micros;
}

/// Moves the commission `row` from status `from` (none: newly earned) to its present status in
/// the totals and the approved index.
void account(ProjectionWrites& w, const CommissionRow& row, std::optional<CommissionStatus> from) {
    const auto& e = row.earned;
    const auto total_key = key_of("t", e.reseller_id, e.currency);
    auto totals =
        kTotalRows.find(w, total_key).value_or(CommissionTotals{e.reseller_id, e.currency});
    if (from)
        bucket(totals, *from) -= e.amount_micros;
    else
        ++totals.count;
    bucket(totals, row.status) += e.amount_micros;
    kTotalRows.put(w, total_key, totals);
    const auto approved_key = key_of("a", e.reseller_id, e.currency, e.commission_id);
    if (row.status == CommissionStatus::Approved)
        w.put(approved_key, "");
    else
        w.erase(approved_key);
}

core::Result<void> apply_commission(const CommissionEvent& event,
                                    const events::RecordedEvent& recorded, ProjectionWrites& w) {
    if (const auto* earned = std::get_if<CommissionEarned>(&event)) {
        const auto key = key_of("c", earned->commission_id);
        if (w.get(key)) return {};
        CommissionRow row{*earned,
                          earned->approved ? CommissionStatus::Approved : CommissionStatus::Pending,
                          "",
                          "",
                          recorded.time,
                          recorded.time};
        kCommissionRows.put(w, key, row);
        w.put(key_of("r", earned->reseller_id, earned->commission_id), "");
        account(w, row, std::nullopt);
        return {};
    }
    const auto id = std::visit(core::Overloaded{
                                   [](const CommissionEarned& e) { return e.commission_id; },
                                   [](const CommissionApproved& e) { return e.commission_id; },
                                   [](const CommissionRejected& e) { return e.commission_id; },
                                   [](const CommissionPaid& e) { return e.commission_id; },
                               },
                               event);
    const auto key = key_of("c", id);
    auto row = kCommissionRows.find(w, key);
    if (!row) return {};
    const auto from = row->status;
    std::visit(core::Overloaded{
                   [](const CommissionEarned&) {},
                   [&](const CommissionApproved&) { row->status = CommissionStatus::Approved; },
                   [&](const CommissionRejected& r) {
                       row->status = CommissionStatus::Rejected;
                       row->reason = r.reason;
                   },
                   [&](const CommissionPaid& p) {
                       row->status = CommissionStatus::Paid;
                       row->payout_id = p.payout_id;
                   },
               },
               event);
    row->updated_at = recorded.time;
    kCommissionRows.put(w, key, *row);
    if (from != row->status) account(w, *row, from);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_billing_commissions_projector() {
    return make_projector(
        kBillingCommissions,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (e.type.starts_with("billing.commission_rate.")) {
                const auto set = std::get<CommissionRateSet>(
                    SY_TRY(events::billing::decode_commission_rate_event(e)));
                kRateRows.put(w, key_of("k", set.rate.reseller_id), {set.rate, e.time});
                return {};
            }
            if (e.type.starts_with("billing.commission_payout.")) {
                const auto made = std::get<CommissionPayoutMade>(
                    SY_TRY(events::billing::decode_commission_payout_event(e)));
                kPayoutRows.put(w, key_of("o", made.payout_id), {made, e.time});
                return {};
            }
            if (e.type.starts_with("billing.commission."))
                return apply_commission(SY_TRY(events::billing::decode_commission_event(e)), e, w);
            return {};
        },
        &is_model_type);
}

std::optional<CommissionRateRow> find_commission_rate(const ReadModelView& view,
                                                      const std::string& reseller_id) {
    return kRateRows.find(view, key_of("k", reseller_id));
}

std::optional<CommissionRow> find_commission(const ReadModelView& view,
                                             const std::string& commission_id) {
    return kCommissionRows.find(view, key_of("c", commission_id));
}

std::vector<CommissionRow> list_commissions(const ReadModelView& view,
                                            const std::string& reseller_id,
                                            std::optional<CommissionStatus> status,
                                            const std::string& after, std::size_t limit) {
    std::vector<CommissionRow> out;
    if (limit == 0) return out;
    const std::string prefix = reseller_id.empty() ? "c/" : key_of("r", reseller_id) + "/";
    view.scan(prefix, after.empty() ? prefix : prefix + after,
              [&](std::string_view key, std::string_view value) {
                  const auto id = std::string(key.substr(prefix.size()));
                  if (!after.empty() && id <= after) return true;
                  auto row = reseller_id.empty() ? kCommissionRows.decode(value)
                                                 : find_commission(view, id);
                  if (row && (!status || row->status == *status)) out.push_back(std::move(*row));
                  return out.size() < limit;
              });
    return out;
}

std::vector<std::string> approved_commissions(const ReadModelView& view,
                                              const std::string& reseller_id,
                                              const std::string& currency) {
    std::vector<std::string> out;
    const auto prefix = key_of("a", reseller_id, currency) + "/";
    view.scan(prefix, prefix, [&](std::string_view key, std::string_view) {
        out.emplace_back(key.substr(prefix.size()));
        return out.size() < kMaxPayoutCommissions;
    });
    return out;
}

std::vector<CommissionTotals> commission_totals(const ReadModelView& view,
                                                const std::string& reseller_id) {
    std::vector<CommissionTotals> out;
    const auto prefix = key_of("t", reseller_id) + "/";
    view.scan(prefix, prefix, [&](std::string_view, std::string_view value) {
        if (auto row = kTotalRows.decode(value)) out.push_back(std::move(*row));
        return true;
    });
    return out;
}

std::optional<CommissionPayoutRow> find_commission_payout(const ReadModelView& view,
                                                          const std::string& payout_id) {
    return kPayoutRows.find(view, key_of("o", payout_id));
}

}  // namespace switchyard::projections::billing
