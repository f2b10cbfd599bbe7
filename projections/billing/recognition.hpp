#pragma once
/// The `billing_recognition.v1` read model: the deferrals of the ledger (entries that credit
/// `deferred_revenue:<line>` for a service period, core/billing/recognition.hpp) and how much
/// of each was recognized, which the billing worker reads to post the day's recognitions.
///
/// Keys (entry ids hold no `/`; accounts hold no `/`):
/// - `r/<entry id>/<account>` -> the deferral, `recognized_micros`, `next_due`;
/// - `q/<be64 next due, microseconds since the epoch>/<entry id>/<account>` -> empty, while
///   part of it is still to be recognized: the UTC day start from which more is earned.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/recognition.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::billing {

inline constexpr const char* kBillingRecognition = "billing_recognition.v1";

std::unique_ptr<Projector> make_billing_recognition_projector();

/// A deferral and its recognition so far.
struct DeferralRow {
    core::billing::Deferral deferral;
    core::billing::Micros recognized_micros = 0;
    core::Timestamp next_due{};  ///< The UTC day start from which more is earned.
};

std::optional<DeferralRow> find_deferral(const ReadModelView& view, const std::string& entry_id,
                                         const std::string& account);
/// Up to `limit` deferrals with something to recognize by `now` (next_due <= now), earliest
/// first.
std::vector<DeferralRow> due_deferrals(const ReadModelView& view, core::Timestamp now,
                                       std::size_t limit);

}  // namespace switchyard::projections::billing
