#include "events/voice/cdr_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto kRecord = fields(
    field("source", &CallRecord::source, parse_cdr_source),
    field("switch_key", &CallRecord::switch_key),
    optional_field("switch_name", &CallRecord::switch_name),
    optional_field("accountcode", &CallRecord::accountcode), field("caller", &CallRecord::caller),
    optional_field("caller_name", &CallRecord::caller_name),
    field("destination", &CallRecord::destination), optional_field("context", &CallRecord::context),
    optional_field("channel", &CallRecord::channel),
    optional_field("dst_channel", &CallRecord::dst_channel),
    optional_field("source_ip", &CallRecord::source_ip),
    optional_field("trunk", &CallRecord::trunk), field("start", &CallRecord::start),
    field("answer", &CallRecord::answer), field("end", &CallRecord::end),
    field("duration_s", &CallRecord::duration_s), field("billsec", &CallRecord::billsec),
    field("disposition", &CallRecord::disposition, parse_disposition),
    optional_field("hangup_cause", &CallRecord::hangup_cause),
    optional_field("uniqueid", &CallRecord::uniqueid),
    optional_field("linkedid", &CallRecord::linkedid), field("sequence", &CallRecord::sequence),
    optional_field("codec", &CallRecord::codec), field("line", &CallRecord::line));

constexpr auto kSide = fields(
    field("deck_id", &SideCost::deck_id), field("deck_version", &SideCost::deck_version),
    field("currency", &SideCost::currency), field("cost_micros", &SideCost::cost_micros),
    field("matched_prefix", &SideCost::matched_prefix),
    field("destination_id", &SideCost::destination_id),
    field("rating_plan_id", &SideCost::rating_plan_id), field("rate_id", &SideCost::rate_id),
    field("billed_usage_s", &SideCost::billed_usage_s), field("explain", &SideCost::explain));

json::value side_json(const std::optional<SideCost>& s) {
    if (!s) return nullptr;
    return to_json(*s, kSide);
}

std::optional<SideCost> get_side(const JsonObject& o, const char* key) {
    if (!o.is_set(key)) return std::nullopt;
    return from_json<SideCost>(o.obj(key), kSide);
}

struct Codec {
    static json::object put(const CdrRated& e) {
        return {{"cdr_id", e.cdr_id},
                {"record", to_json(e.record, kRecord)},
                {"customer_id", e.customer_id},
                {"carrier_id", e.carrier_id},
                {"destination", e.destination},
                {"sell", to_json(e.sell, kSide)},
                {"buy", side_json(e.buy)},
                {"buy_error", e.buy_error},
                {"margin_micros", opt(e.margin_micros)},
                {"debit_micros", e.debit_micros}};
    }
    static CdrRated get(const JsonObject& o, As<CdrRated>) {
        CdrRated e;
        e.cdr_id = o.str("cdr_id");
        e.record = from_json<CallRecord>(o.obj("record"), kRecord);
        e.customer_id = o.str("customer_id");
        e.carrier_id = o.opt_str("carrier_id");
        e.destination = o.str("destination");
        e.sell = from_json<SideCost>(o.obj("sell"), kSide);
        e.buy = get_side(o, "buy");
        e.buy_error = o.opt_str("buy_error");
        e.margin_micros = o.opt_i64("margin_micros");
        e.debit_micros = o.i64("debit_micros");
        return e;
    }
    static json::object put(const CdrUnrated& e) {
        return {{"cdr_id", e.cdr_id},
                {"record", to_json(e.record, kRecord)},
                {"customer_id", e.customer_id},
                {"reason", to_string(e.reason)},
                {"message", e.message}};
    }
    static CdrUnrated get(const JsonObject& o, As<CdrUnrated>) {
        CdrUnrated e;
        e.cdr_id = o.str("cdr_id");
        e.record = from_json<CallRecord>(o.obj("record"), kRecord);
        e.customer_id = o.opt_str("customer_id");
        e.reason = o.enumerated("reason", parse_unrated_reason);
        e.message = o.opt_str("message");
        return e;
    }
    static json::object put(const CdrRerated& e) {
        return {{"cdr_id", e.cdr_id},
                {"rerating", e.rerating},
                {"customer_id", e.customer_id},
                {"old_sell_micros", e.old_sell_micros},
                {"old_buy_micros", opt(e.old_buy_micros)},
                {"sell", to_json(e.sell, kSide)},
                {"buy", side_json(e.buy)},
                {"margin_micros", opt(e.margin_micros)},
                {"delta_micros", e.delta_micros}};
    }
    static CdrRerated get(const JsonObject& o, As<CdrRerated>) {
        CdrRerated e;
        e.cdr_id = o.str("cdr_id");
        e.rerating = o.i64("rerating");
        e.customer_id = o.str("customer_id");
        e.old_sell_micros = o.i64("old_sell_micros");
        e.old_buy_micros = o.opt_i64("old_buy_micros");
        e.sell = from_json<SideCost>(o.obj("sell"), kSide);
        e.buy = get_side(o, "buy");
        e.margin_micros = o.opt_i64("margin_micros");
        e.delta_micros = o.i64("delta_micros");
        return e;
    }
};

}  // namespace

EncodedEvent encode(const CdrEvent& event) { return encode_as<Codec>(event); }

core::Result<CdrEvent> decode_cdr_event(const RecordedEvent& event) {
    return decode_as<Codec, CdrEvent>(event);
}

std::string cdr_of_stream(std::string_view stream) {
    constexpr std::string_view kPrefix = "voice_cdr-";
    if (stream.substr(0, kPrefix.size()) != kPrefix) return {};
    return std::string(stream.substr(kPrefix.size()));
}

}  // namespace switchyard::events::voice
