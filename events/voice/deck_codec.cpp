#include "events/voice/deck_codec.hpp"

#include "events/codec_kit.hpp"
#include "events/voice/tariff_json.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto kCounts = fields(
    field("destinations", &TariffCounts::destinations), field("prefixes", &TariffCounts::prefixes),
    field("rate_groups", &TariffCounts::rate_groups),
    field("destination_rates", &TariffCounts::destination_rates),
    field("timings", &TariffCounts::timings), field("rating_plans", &TariffCounts::rating_plans),
    field("rating_profiles", &TariffCounts::rating_profiles));

constexpr auto kPrefixRate = fields(
    field("prefix", &PrefixRate::prefix), field("destination_name", &PrefixRate::destination_name),
    field("rate_per_minute_micros", &PrefixRate::rate_per_minute_micros),
    field("connect_fee_micros", &PrefixRate::connect_fee_micros),
    field("effective_from", &PrefixRate::effective_from));

constexpr auto kPriceChange =
    fields(field("prefix", &PriceChange::prefix),
           field("destination_name", &PriceChange::destination_name),
           field("old_rate_per_minute_micros", &PriceChange::old_rate_per_minute_micros),
           field("new_rate_per_minute_micros", &PriceChange::new_rate_per_minute_micros),
           field("old_connect_fee_micros", &PriceChange::old_connect_fee_micros),
           field("new_connect_fee_micros", &PriceChange::new_connect_fee_micros),
           field("effective_from", &PriceChange::effective_from),
           field("short_notice", &PriceChange::short_notice));

struct Codec {
    static json::object put(const DeckCreated& e) {
        const auto& d = e.deck;
        json::object o{{"deck_id", d.deck_id},
                       {"name", d.name},
                       {"kind", to_string(d.kind)},
                       {"carrier_id", d.carrier_id},
                       {"currency", d.currency},
                       {"format", to_string(d.format)},
                       {"source_deck_id", d.source_deck_id}};
        if (d.markup) {
            o["markup"] = json::object{
                {"percent_bp", d.markup->percent_bp},
                {"fixed_micros_per_minute", d.markup->fixed_micros_per_minute},
                {"minimum_margin_micros_per_minute", d.markup->minimum_margin_micros_per_minute},
                {"rounding_decimals", d.markup->rounding_decimals}};
        } else {
            o["markup"] = nullptr;
        }
        return o;
    }
    static DeckCreated get(const JsonObject& o, As<DeckCreated>) {
        DeckInfo d;
        d.deck_id = o.str("deck_id");
        d.name = o.str("name");
        d.kind = o.enumerated("kind", parse_deck_kind);
        d.carrier_id = o.opt_str("carrier_id");
        d.currency = o.str("currency");
        d.format = o.enumerated("format", parse_deck_format);
        d.source_deck_id = o.opt_str("source_deck_id");
        if (o.is_set("markup")) {
            const auto m = o.obj("markup");
            d.markup = MarkupRule{m.i64("percent_bp"), m.i64("fixed_micros_per_minute"),
                                  m.i64("minimum_margin_micros_per_minute"),
                                  static_cast<int>(m.i64("rounding_decimals"))};
        }
        return DeckCreated{std::move(d)};
    }
    static auto payload(As<DeckVersionImported>) {
        return fields(field("version", &DeckVersionImported::version),
                      field("effective_from", &DeckVersionImported::effective_from),
                      field("imported_at", &DeckVersionImported::imported_at),
                      field("files", &DeckVersionImported::files),
                      flat(&DeckVersionImported::counts, kCounts),
                      field("content_sha256", &DeckVersionImported::content_sha256),
                      field("rating_plan_id", &DeckVersionImported::rating_plan_id),
                      field("currency", &DeckVersionImported::currency),
                      field("chunks", &DeckVersionImported::chunks));
    }
    static json::object put(const DeckRatesLoaded& e) {
        json::object o{{"version", e.version}, {"chunk", e.chunk}};
        put_tariff(o, e.rates);
        return o;
    }
    static DeckRatesLoaded get(const JsonObject& o, As<DeckRatesLoaded>) {
        return DeckRatesLoaded{o.i64("version"), o.i64("chunk"), get_tariff(o)};
    }
    static auto payload(As<DeckVersionPublished>) {
        return fields(field("version", &DeckVersionPublished::version));
    }
    static auto payload(As<DeckVersionDiffed>) {
        return fields(field("version", &DeckVersionDiffed::version),
                      field("against_version", &DeckVersionDiffed::against_version),
                      objects("added", &DeckVersionDiffed::added, kPrefixRate),
                      objects("removed", &DeckVersionDiffed::removed, kPrefixRate),
                      objects("increases", &DeckVersionDiffed::increases, kPriceChange),
                      objects("decreases", &DeckVersionDiffed::decreases, kPriceChange),
                      field("unchanged", &DeckVersionDiffed::unchanged));
    }
};

}  // namespace

EncodedEvent encode(const DeckEvent& event) { return encode_as<Codec>(event); }

core::Result<DeckEvent> decode_deck_event(const RecordedEvent& event) {
    return decode_as<Codec, DeckEvent>(event);
}

std::string deck_of_stream(std::string_view stream) {
    constexpr std::string_view kPrefix = "voice_deck-";
    if (stream.substr(0, kPrefix.size()) != kPrefix) return {};
    return std::string(stream.substr(kPrefix.size()));
}

}  // namespace switchyard::events::voice
