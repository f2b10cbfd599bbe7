#include "events/billing/commission_codec.hpp"

#include "events/billing/commission_tables.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

struct Codec {
    static auto payload(As<CommissionRateSet>) {
        return fields(flat(&CommissionRateSet::rate, kCommissionRateTable));
    }
    static auto payload(As<CommissionEarned>) { return kCommissionEarnedTable; }
    static auto payload(As<CommissionApproved>) {
        return fields(field("commission_id", &CommissionApproved::commission_id));
    }
    static auto payload(As<CommissionRejected>) {
        using E = CommissionRejected;
        return fields(field("commission_id", &E::commission_id), field("reason", &E::reason),
                      field("entry_id", &E::entry_id));
    }
    static auto payload(As<CommissionPaid>) {
        return fields(field("commission_id", &CommissionPaid::commission_id),
                      field("payout_id", &CommissionPaid::payout_id));
    }
    static auto payload(As<CommissionPayoutMade>) { return kCommissionPayoutTable; }
};

}  // namespace

EncodedEvent encode(const CommissionRateEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const CommissionEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const CommissionPayoutEvent& event) { return encode_as<Codec>(event); }

core::Result<CommissionRateEvent> decode_commission_rate_event(const RecordedEvent& event) {
    return decode_as<Codec, CommissionRateEvent>(event);
}

core::Result<CommissionEvent> decode_commission_event(const RecordedEvent& event) {
    return decode_as<Codec, CommissionEvent>(event);
}

core::Result<CommissionPayoutEvent> decode_commission_payout_event(const RecordedEvent& event) {
    return decode_as<Codec, CommissionPayoutEvent>(event);
}

}  // namespace switchyard::events::billing
