#include "events/voice/account_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

struct Codec {
    static auto payload(As<AccountOpened>) {
        return fields(flat(&AccountOpened::terms,
                           fields(field("customer_id", &AccountTerms::customer_id),
                                  field("currency", &AccountTerms::currency),
                                  field("kind", &AccountTerms::kind, parse_account_kind),
                                  field("credit_limit_micros", &AccountTerms::credit_limit_micros),
                                  field("low_balance_threshold_micros",
                                        &AccountTerms::low_balance_threshold_micros))));
    }
    static auto payload(As<AccountTermsChanged>) {
        return fields(field("credit_limit_micros", &AccountTermsChanged::credit_limit_micros),
                      field("low_balance_threshold_micros",
                            &AccountTermsChanged::low_balance_threshold_micros));
    }
    static auto payload(As<AccountToppedUp>) {
        return fields(field("reference", &AccountToppedUp::reference),
                      field("amount_micros", &AccountToppedUp::amount_micros),
                      field("reason", &AccountToppedUp::reason), field("by", &AccountToppedUp::by),
                      field("balance_micros", &AccountToppedUp::balance_micros));
    }
    static auto payload(As<AccountAdjusted>) {
        return fields(field("reference", &AccountAdjusted::reference),
                      field("amount_micros", &AccountAdjusted::amount_micros),
                      field("reason", &AccountAdjusted::reason), field("by", &AccountAdjusted::by),
                      field("balance_micros", &AccountAdjusted::balance_micros));
    }
    static auto payload(As<AccountDebited>) {
        return fields(field("debit_id", &AccountDebited::debit_id),
                      field("cdr_id", &AccountDebited::cdr_id),
                      field("amount_micros", &AccountDebited::amount_micros),
                      field("balance_micros", &AccountDebited::balance_micros));
    }
    static auto payload(As<AccountLowBalance>) {
        return fields(field("balance_micros", &AccountLowBalance::balance_micros),
                      field("threshold_micros", &AccountLowBalance::threshold_micros));
    }
    static auto payload(As<AccountExhausted>) {
        return fields(field("balance_micros", &AccountExhausted::balance_micros),
                      field("floor_micros", &AccountExhausted::floor_micros));
    }
};

}  // namespace

EncodedEvent encode(const AccountEvent& event) { return encode_as<Codec>(event); }

core::Result<AccountEvent> decode_account_event(const RecordedEvent& event) {
    return decode_as<Codec, AccountEvent>(event);
}

}  // namespace switchyard::events::voice
