#include "events/billing/pricing_codec.hpp"

#include "events/billing/plan_tables.hpp"
#include "events/codec_kit.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

namespace {

constexpr auto kTaxRateTable =
    fields(field("jurisdiction", &TaxRate::jurisdiction), field("name", &TaxRate::name),
           field("rate_ppm", &TaxRate::rate_ppm));

struct Codec {
    static auto payload(As<TaxRateSet>) { return fields(flat(&TaxRateSet::rate, kTaxRateTable)); }
    static auto payload(As<PromoDefined>) {
        return fields(flat(&PromoDefined::promo, kPromoTable));
    }
    static auto payload(As<PromoRetired>) { return fields(field("code", &PromoRetired::code)); }
    static auto payload(As<PromoRedeemed>) {
        using E = PromoRedeemed;
        return fields(field("code", &E::code), field("customer_id", &E::customer_id),
                      field("subscription_id", &E::subscription_id), field("plan_id", &E::plan_id),
                      field("redemption", &E::redemption));
    }
};

}  // namespace

EncodedEvent encode(const TaxEvent& event) { return encode_as<Codec>(event); }
EncodedEvent encode(const PromoEvent& event) { return encode_as<Codec>(event); }

core::Result<TaxEvent> decode_tax_event(const RecordedEvent& event) {
    return decode_as<Codec, TaxEvent>(event);
}

core::Result<PromoEvent> decode_promo_event(const RecordedEvent& event) {
    return decode_as<Codec, PromoEvent>(event);
}

}  // namespace switchyard::events::billing
