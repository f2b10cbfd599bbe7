#include "events/voice/trunk_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto kTrunk = fields(
    field("trunk_id", &Trunk::trunk_id), field("customer_id", &Trunk::customer_id),
    field("name", &Trunk::name), field("source_ips", &Trunk::source_ips),
    field("username", &Trunk::username), field("tech_prefix", &Trunk::tech_prefix),
    field("cli_prefixes", &Trunk::cli_prefixes),
    field("cli_policy", &Trunk::cli_policy, parse_cli_policy),
    field("default_cli", &Trunk::default_cli),
    field("pai_policy", &Trunk::pai_policy, parse_pai_policy),
    field("codec_set_id", &Trunk::codec_set_id), field("channels", &Trunk::channels),
    field("cps", &Trunk::cps), field("pop_id", &Trunk::pop_id),
    field("status", &Trunk::status, parse_trunk_status), field("created_at", &Trunk::created_at));

constexpr auto kCredential =
    fields(field("username", &TrunkCredential::username), field("realm", &TrunkCredential::realm),
           field("ha1_sealed", &TrunkCredential::ha1_sealed));

struct Codec {
    static auto payload(As<TrunkDefined>) {
        return fields(flat(&TrunkDefined::trunk, kTrunk),
                      field("command_id", &TrunkDefined::command_id));
    }
    static auto payload(As<TrunkPasswordSet>) {
        return fields(field("trunk_id", &TrunkPasswordSet::trunk_id),
                      flat(&TrunkPasswordSet::credential, kCredential));
    }
    static auto payload(As<TrunkRemoved>) {
        return fields(field("trunk_id", &TrunkRemoved::trunk_id));
    }
};

}  // namespace

EncodedEvent encode(const TrunkEvent& event) { return encode_as<Codec>(event); }

core::Result<TrunkEvent> decode_trunk_event(const RecordedEvent& event) {
    return decode_as<Codec, TrunkEvent>(event);
}

json::object trunk_json(const Trunk& t) { return to_json(t, kTrunk); }

json::object trunk_entry_json(const TrunkEntry& e) { return trunk_row_json(row_of(e)); }

TrunkRow row_of(const TrunkEntry& e) {
    return TrunkRow{e.trunk, e.credential.has_value(),
                    e.credential ? e.credential->realm : std::string()};
}

json::object trunk_row_json(const TrunkRow& row) {
    auto o = trunk_json(row.trunk);
    o["password_set"] = row.password_set;
    o["realm"] = row.realm;
    return o;
}

core::Result<TrunkRow> parse_trunk_row(std::string_view json) {
    return with_json_object(json, [](const JsonObject& o) {
        TrunkRow row;
        row.trunk = from_json<Trunk>(o, kTrunk);
        row.password_set = o.boolean("password_set");
        row.realm = o.str("realm");
        return row;
    });
}

}  // namespace switchyard::events::voice
