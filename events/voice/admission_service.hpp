#pragma once
/// Call admission (issue 14 item 4; CGRateS SessionS prepaid, research note §4 and §5.3): the
/// `CallAdmission` of the call path (core/voice/call_path.hpp). In memory, per process: the
/// open calls, their channels per customer, trunk and carrier, the CPS token buckets per
/// customer and trunk, and the prepaid money each open call holds.
///
/// Order of the checks in admit(), each a refusal: CPS (customer, then trunk; an attempt spends
/// a token even when a later check refuses it, as Kamailio's pike and MagnusBilling count
/// attempts) -> 503 `cps_limit`; channels (customer, then trunk) -> 503 `channel_limit` (503,
/// not 486: the customer's capacity, not the callee, is busy, and 503 lets its switch fail over
/// to another trunk); money -> 402 `balance_exhausted`.
///
/// Money: available = balance - floor - the reservations of the customer's open calls (floor
/// 0 prepaid, -credit limit postpaid). A call is granted the longest whole-second duration
/// whose price at the customer's sell rate (connect fee included) is within available, capped
/// at `max_duration_s`, and that price is reserved. Postpaid without a credit limit: the cap,
/// nothing reserved. The check and the reservation happen under the customer's shard mutex, so
/// N concurrent calls never hold more than available.
///
/// Settling: the CDR debit (CdrService) charges the call; the call path calls release() only
/// after that debit was appended. Until then the reservation still holds the money, so there is
/// no moment in which neither the reservation nor the debit holds it (the customer may
/// briefly be held twice, never zero times).
///
/// After a restart the call path replays the open calls of the log into restore().

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/call_path.hpp"
#include "core/voice/rating.hpp"

namespace switchyard::events::voice {

class VoiceService;
class TariffRegistry;
class AccountService;
class TrunkService;

/// A channel and calls-per-second limit; 0 = none.
struct CallLimits {
    std::int64_t channels = 0;
    std::int64_t cps = 0;
};

/// What a customer may spend. `held` false: postpaid without a credit limit (nothing held).
struct Funds {
    core::voice::Micros balance_micros = 0;
    core::voice::Micros floor_micros = 0;  ///< 0 prepaid, -credit limit postpaid.
    bool held = true;
};

/// The rate card a call is sold against: a compiled tariff and its rating plan.
struct SellPrice {
    std::shared_ptr<const core::voice::RatingIndex> index;  ///< Never null.
    std::string rating_plan_id;
};

/// Where admission reads limits, money and prices. Each may fail with the store's errors.
struct AdmissionSources {
    /// The customer's channel plan (effective `channel_plan` assignment); {0, 0} when none.
    std::function<core::Result<CallLimits>(std::int64_t customer_id)> customer_limits;
    /// The trunk's own limits; {0, 0} when it has none.
    std::function<core::Result<CallLimits>(const std::string& trunk_id)> trunk_limits;
    /// The customer's balance and floor, as the log has them now.
    std::function<core::Result<Funds>(std::int64_t customer_id)> funds;
    /// The customer's rate card at `at`; none when no usable one is assigned.
    std::function<core::Result<std::optional<SellPrice>>(const core::voice::TrunkMatch&,
                                                         core::Timestamp at)>
        sell_price;
};

/// The sources over the voice module's services: channel plans from
/// VoiceService::effective_config and the reference data, trunk limits from TrunkService,
/// funds from AccountService (an account never opened is prepaid with 0), the rate card's
/// current version from the TariffRegistry (`trunk.sell_deck_id`). All must outlive the sources.
AdmissionSources admission_sources(VoiceService& voice, const TariffRegistry& tariffs,
                                   AccountService& accounts, TrunkService& trunks);

/// The admission service's options.
struct AdmissionOptions {
    /// The longest grant, seconds. Default: 10,800 (3 h).
    std::int64_t max_duration_s = 3 * 3600;
    /// The clock the CPS buckets run on. Default: the system clock.
    std::function<core::Timestamp()> now;
};

/// One open call.
struct OpenCall {
    std::string call_id;
    std::int64_t customer_id = 0;
    std::string trunk_id;
    std::string carrier_id;  ///< The carrier its channel counts on; may be empty.
    core::voice::Admission admission;
    core::Timestamp admitted_at{};
};

/// What is held now for one customer.
struct CustomerLoad {
    std::int64_t customer_id = 0;
    std::int64_t channels = 0;
    core::voice::Micros reserved_micros = 0;
    std::map<std::string, std::int64_t> trunk_channels;
    std::vector<OpenCall> calls;  ///< By call id.
};

/// Everything held now (the operators' view, `GET /v1/voice/admission`).
struct AdmissionSnapshot {
    std::vector<CustomerLoad> customers;  ///< By customer id; customers with open calls only.
    std::map<std::string, std::int64_t> carrier_channels;
};

/// Holds channels, CPS and prepaid money across concurrent calls.
/// @thread safe: admit, moved, release, restore and the reads from any thread.
class AdmissionService : public core::voice::CallAdmission {
  public:
    AdmissionService(AdmissionSources sources, AdmissionOptions options = {});
    ~AdmissionService() override;

    /// core::voice::CallAdmission (see the top of this file for the checks and their codes).
    /// Idempotent on `setup.call_id`: a repeated admit returns the first grant, holds nothing
    /// twice and spends no CPS token. Other refusals: a destination the rate card does not
    /// price -> 404 `no_route`; a prepaid or credit-limited customer without a usable rate card
    /// -> 503 `unavailable`.
    /// @errors the sources' errors (the call path answers them as 500).
    core::Result<std::variant<core::voice::Admission, core::voice::CallRefusal>> admit(
        const core::voice::CallSetup& setup, const core::voice::TrunkMatch& trunk,
        const core::voice::RoutePlan& plan) override;
    void moved(const std::string& call_id, const std::string& carrier_id) override;
    void release(const std::string& call_id) override;

    /// Rebuilds an open call after a restart, without checks; a call already open is kept.
    void restore(const std::string& call_id, std::int64_t customer_id, const std::string& trunk_id,
                 const std::string& carrier_id, core::voice::Micros reserved_micros,
                 std::int64_t max_duration_s);
    /// core::voice::CallAdmission: the open call `routed` holds again, on `carrier_id` (the
    /// carrier of its last attempt), with its recorded grant.
    void restore(const core::voice::CallRouted& routed, const std::string& carrier_id) override;

    /// The open call `call_id`; none when not open.
    std::optional<OpenCall> call(const std::string& call_id) const;
    /// Open calls on `carrier_id` (the router skips a carrier at its limit).
    std::int64_t carrier_channels(const std::string& carrier_id) const;
    /// Everything held now.
    AdmissionSnapshot snapshot() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
