#include "events/voice/did_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto table(As<DidCountry>) {
    return fields(field("country", &DidCountry::country), field("name", &DidCountry::name),
                  field("kyc_documents", &DidCountry::kyc_documents));
}
constexpr auto table(As<DidProvider>) {
    return fields(field("provider_id", &DidProvider::provider_id),
                  field("name", &DidProvider::name), field("currency", &DidProvider::currency),
                  field("api_notes", &DidProvider::api_notes));
}
constexpr auto table(As<DidInventory>) {
    return fields(field("number", &DidInventory::number), field("country", &DidInventory::country),
                  field("provider_id", &DidInventory::provider_id),
                  field("type", &DidInventory::type, parse_did_type),
                  field("area", &DidInventory::area), field("currency", &DidInventory::currency),
                  field("setup_cost_micros", &DidInventory::setup_cost),
                  field("monthly_cost_micros", &DidInventory::monthly_cost),
                  field("setup_price_micros", &DidInventory::setup_price),
                  field("monthly_price_micros", &DidInventory::monthly_price),
                  field("channels", &DidInventory::channels));
}
constexpr auto table(As<DidTarget>) {
    return fields(field("kind", &DidTarget::kind, parse_did_target_kind),
                  field("value", &DidTarget::value));
}
constexpr auto table(As<KycDocument>) {
    return fields(
        field("document_id", &KycDocument::document_id), field("doc_type", &KycDocument::doc_type),
        field("sha256", &KycDocument::sha256), field("content_type", &KycDocument::content_type),
        field("size_bytes", &KycDocument::size_bytes),
        field("status", &KycDocument::status, parse_kyc_status),
        field("reason", &KycDocument::reason), field("submitted_at", &KycDocument::submitted_at),
        field("decided_at", &KycDocument::decided_at));
}

struct Wire {
    static auto payload(As<DidCountryDefined>) {
        return fields(flat(&DidCountryDefined::country, table(As<DidCountry>{})));
    }
    static auto payload(As<DidProviderDefined>) {
        return fields(flat(&DidProviderDefined::provider, table(As<DidProvider>{})));
    }
    static auto payload(As<DidImported>) {
        return fields(flat(&DidImported::did, table(As<DidInventory>{})),
                      field("command_id", &DidImported::command_id), field("at", &DidImported::at));
    }
    static auto payload(As<DidReserved>) {
        return fields(field("number", &DidReserved::number),
                      field("customer_id", &DidReserved::customer_id),
                      field("at", &DidReserved::at));
    }
    static auto payload(As<DidOrdered>) {
        return fields(
            field("number", &DidOrdered::number), field("customer_id", &DidOrdered::customer_id),
            field("kyc_required", &DidOrdered::kyc_required), field("at", &DidOrdered::at));
    }
    static auto payload(As<DidActivated>) {
        return fields(field("number", &DidActivated::number),
                      field("customer_id", &DidActivated::customer_id),
                      field("at", &DidActivated::at));
    }
    static auto payload(As<DidSuspended>) {
        return fields(field("number", &DidSuspended::number),
                      field("reason", &DidSuspended::reason), field("at", &DidSuspended::at));
    }
    static auto payload(As<DidResumed>) {
        return fields(field("number", &DidResumed::number), field("at", &DidResumed::at));
    }
    static auto payload(As<DidReleased>) {
        return fields(field("number", &DidReleased::number),
                      field("customer_id", &DidReleased::customer_id),
                      field("at", &DidReleased::at));
    }
    static auto payload(As<DidRoutingSet>) {
        return fields(field("number", &DidRoutingSet::number),
                      objects("targets", &DidRoutingSet::targets, table(As<DidTarget>{})),
                      field("at", &DidRoutingSet::at));
    }
    static auto payload(As<DidPortStatusChanged>) {
        return fields(field("number", &DidPortStatusChanged::number),
                      field("port_status", &DidPortStatusChanged::port_status, parse_port_status),
                      field("at", &DidPortStatusChanged::at));
    }
    static auto payload(As<DidFeeCharged>) {
        return fields(field("number", &DidFeeCharged::number),
                      field("customer_id", &DidFeeCharged::customer_id),
                      field("kind", &DidFeeCharged::kind, parse_fee_kind),
                      field("period", &DidFeeCharged::period),
                      field("amount_micros", &DidFeeCharged::amount_micros),
                      field("currency", &DidFeeCharged::currency), field("at", &DidFeeCharged::at));
    }
    static auto payload(As<KycSubmitted>) {
        return fields(
            field("number", &KycSubmitted::number),
            field("customer_id", &KycSubmitted::customer_id),
            field("document_id", &KycSubmitted::document_id),
            field("doc_type", &KycSubmitted::doc_type), field("sha256", &KycSubmitted::sha256),
            field("content_type", &KycSubmitted::content_type),
            field("size_bytes", &KycSubmitted::size_bytes), field("at", &KycSubmitted::at));
    }
    static auto payload(As<KycApproved>) {
        return fields(field("number", &KycApproved::number),
                      field("document_id", &KycApproved::document_id),
                      field("at", &KycApproved::at));
    }
    static auto payload(As<KycRejected>) {
        return fields(field("number", &KycRejected::number),
                      field("document_id", &KycRejected::document_id),
                      field("reason", &KycRejected::reason), field("at", &KycRejected::at));
    }
};

}  // namespace

EncodedEvent encode(const DidEvent& event) { return encode_as<Wire>(event); }

core::Result<DidEvent> decode_did_event(const RecordedEvent& event) {
    return decode_as<Wire, DidEvent>(event);
}

json::object did_country_json(const DidCountry& c) { return to_json(c, table(As<DidCountry>{})); }
json::object did_provider_json(const DidProvider& p) {
    return to_json(p, table(As<DidProvider>{}));
}
json::object did_inventory_json(const DidInventory& d) {
    return to_json(d, table(As<DidInventory>{}));
}
json::object kyc_document_json(const KycDocument& d) {
    return to_json(d, table(As<KycDocument>{}));
}

json::object did_json(const Did& d, const std::vector<std::string>& missing_kyc) {
    auto o = did_inventory_json(d.inventory);
    o["status"] = to_string(d.status);
    o["status_since"] = core::format_rfc3339(d.status_since);
    o["customer_id"] = d.customer_id;
    o["port_status"] = to_string(d.port_status);
    o["port_status_since"] = opt_time(d.port_status_since);
    json::array routing;
    for (const auto& t : d.routing) routing.push_back(to_json(t, table(As<DidTarget>{})));
    o["routing"] = std::move(routing);
    json::array kyc;
    for (const auto& doc : d.kyc) kyc.push_back(kyc_document_json(doc));
    o["kyc"] = std::move(kyc);
    o["missing_kyc"] = strings(missing_kyc);
    o["activated_at"] = opt_time(d.activated_at);
    return o;
}

core::Result<DidCountry> parse_did_country(std::string_view text) {
    return with_json_object(text, [](const JsonObject& o) {
        return from_json<DidCountry>(o, table(As<DidCountry>{}));
    });
}

core::Result<DidProvider> parse_did_provider(std::string_view text) {
    return with_json_object(text, [](const JsonObject& o) {
        return from_json<DidProvider>(o, table(As<DidProvider>{}));
    });
}

core::Result<std::vector<DidTarget>> parse_did_targets(std::string_view text) {
    return with_json_object(text, [](const JsonObject& o) {
        std::vector<DidTarget> out;
        for (const auto& t : o.obj_list("targets"))
            out.push_back(from_json<DidTarget>(t, table(As<DidTarget>{})));
        return out;
    });
}

}  // namespace switchyard::events::voice
