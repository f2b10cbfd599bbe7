#pragma once
/// The `hotspot_vouchers` read model: voucher batches with their counts by state, and each
/// voucher with its state, found by code or listed by batch (CSV export, printable sheets, the
/// voucher sales report). Fed by the batch events (core/hotspot/voucher.hpp).
///
/// Keys: `b/<batch_id>` -> BatchRow JSON; `v/<code>` -> VoucherRow JSON; `c/<batch_id>/<code>`
/// -> empty (the batch's vouchers in code order).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/hotspot/model.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::hotspot {

inline constexpr const char* kHotspotVouchers = "hotspot_vouchers.v1";

std::unique_ptr<Projector> make_hotspot_vouchers_projector();

/// A batch and how many of its vouchers are in each state.
struct BatchRow {
    core::hotspot::VoucherBatch batch;
    bool revoked = false;
    std::int64_t unused = 0;
    std::int64_t active = 0;
    std::int64_t expired = 0;
    std::int64_t revoked_count = 0;
    friend bool operator==(const BatchRow&, const BatchRow&) = default;
};

/// One voucher.
struct VoucherRow {
    std::string code;
    std::string batch_id;
    std::string plan_id;
    core::hotspot::VoucherState state = core::hotspot::VoucherState::Unused;
    std::string username;                        ///< The account it went to, once redeemed.
    std::optional<core::Timestamp> redeemed_at;  ///< The redemption's event time.
    std::string owner_path = "/";
    friend bool operator==(const VoucherRow&, const VoucherRow&) = default;
};

std::optional<BatchRow> find_batch(const ReadModelView& view, const std::string& batch_id);
/// Up to `limit` batches with ids after `after` (the cursor), in id order, in `scope`.
std::vector<BatchRow> list_batches(const ReadModelView& view, const std::string& after,
                                   std::size_t limit, const std::string& scope = "/");
/// The voucher with this code (as stored: upper case), or nullopt.
std::optional<VoucherRow> find_voucher(const ReadModelView& view, const std::string& code);
/// Up to `limit` vouchers of a batch with codes after `after`, in code order; only those in
/// `state` when given.
std::vector<VoucherRow> list_vouchers(const ReadModelView& view, const std::string& batch_id,
                                      const std::string& after, std::size_t limit,
                                      std::optional<core::hotspot::VoucherState> state = {});

}  // namespace switchyard::projections::hotspot
