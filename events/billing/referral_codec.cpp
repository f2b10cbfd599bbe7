#include "events/billing/referral_codec.hpp"

#include "events/billing/referral_tables.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

struct Codec {
    static auto payload(As<ReferralCodeDefined>) {
        return fields(flat(&ReferralCodeDefined::terms, kReferralCodeTable));
    }
    static auto payload(As<ReferralCodeRetired>) {
        return fields(field("code", &ReferralCodeRetired::code));
    }
    static auto payload(As<ReferralCodeUsed>) {
        using E = ReferralCodeUsed;
        return fields(field("code", &E::code), field("customer_id", &E::customer_id),
                      field("referral", &E::referral));
    }
    static auto payload(As<ReferralRegistered>) {
        return fields(field("customer_id", &ReferralRegistered::customer_id),
                      flat(&ReferralRegistered::terms, kReferralCodeTable));
    }
    static auto payload(As<ReferralRewarded>) { return kReferralRewardedTable; }
};

}  // namespace

EncodedEvent encode(const ReferralCodeEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const ReferralEvent& event) { return encode_as<Codec>(event); }

core::Result<ReferralCodeEvent> decode_referral_code_event(const RecordedEvent& event) {
    return decode_as<Codec, ReferralCodeEvent>(event);
}

core::Result<ReferralEvent> decode_referral_event(const RecordedEvent& event) {
    return decode_as<Codec, ReferralEvent>(event);
}

}  // namespace switchyard::events::billing
