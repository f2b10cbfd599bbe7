#pragma once
/// Voucher batches: one aggregate per batch, stream `hotspot_batch-<tenant>-<batch id>`, holding
/// each voucher's state (unused, active, expired, revoked); and the tenant's voucher code index,
/// stream `hotspot_voucher_codes-<tenant>`, which keeps codes unique within the tenant, maps a
/// code to its batch, and remembers which request generated which batch.
///
/// Codes are drawn in the events layer from a CSPRNG over kVoucherAlphabet (the decider checks
/// what it is given). A generation appends to the batch stream and the index in one append; a
/// redemption appends to the batch stream and the account stream in one append, both with
/// expected revisions, so a code is redeemed once even under concurrent requests.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/hotspot/model.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

// ---- batch events ----

/// A batch of vouchers was generated; each code starts unused.
struct VoucherBatchGenerated {
    static constexpr std::string_view kType = "hotspot.voucher_batch.generated";
    VoucherBatch batch;
    std::vector<std::string> codes;  ///< `count` codes, each prefix + `length` characters.
    std::string command_id;
};
/// A voucher was redeemed: onto a new account (username = password = code) or, when the plan
/// allows stacking, onto an existing account (`stacked`).
struct VoucherRedeemed {
    static constexpr std::string_view kType = "hotspot.voucher.redeemed";
    std::string batch_id;
    std::string code;
    std::string username;  ///< The account it went to.
    bool stacked = false;
    std::string command_id;
};
/// A redeemed voucher's time ran out (its account expired).
struct VoucherExpired {
    static constexpr std::string_view kType = "hotspot.voucher.expired";
    std::string batch_id;
    std::string code;
    std::string command_id;
};
/// A batch was revoked: its unused vouchers (listed) can no longer be redeemed; redeemed ones
/// keep running.
struct VoucherBatchRevoked {
    static constexpr std::string_view kType = "hotspot.voucher_batch.revoked";
    std::string batch_id;
    std::string reason;
    std::vector<std::string> revoked_codes;
    std::string command_id;
};

using BatchEvent =
    std::variant<VoucherBatchGenerated, VoucherRedeemed, VoucherExpired, VoucherBatchRevoked>;

/// One voucher of a batch.
struct Voucher {
    std::string code;
    VoucherState state = VoucherState::Unused;
    std::string username;  ///< The account it went to, once redeemed.
    friend bool operator==(const Voucher&, const Voucher&) = default;
};

/// A batch as its events leave it.
struct BatchState {
    bool exists = false;
    VoucherBatch batch;
    bool revoked = false;
    std::map<std::string, Voucher> vouchers;             ///< By code.
    std::map<std::string, std::string> redeem_commands;  ///< Command id -> code.
    std::set<std::string> command_ids;
};

// ---- code index events ----

/// Codes were taken by a batch (the index's half of a generation).
struct VoucherCodesReserved {
    static constexpr std::string_view kType = "hotspot.voucher_codes.reserved";
    std::string batch_id;
    std::vector<std::string> codes;
    std::string command_id;  ///< The generating request.
};

using CodeIndexEvent = std::variant<VoucherCodesReserved>;

/// The tenant's codes.
struct CodeIndexState {
    std::map<std::string, std::string> batch_of;  ///< Code -> batch id.
    std::map<std::string, std::string> commands;  ///< Generating command id -> batch id.
};

inline std::string batch_stream(const std::string& tenant, const std::string& batch_id) {
    return "hotspot_batch-" + tenant + "-" + batch_id;
}
inline std::string code_index_stream(const std::string& tenant) {
    return "hotspot_voucher_codes-" + tenant;
}

}  // namespace switchyard::core::hotspot
