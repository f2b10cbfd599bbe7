#include "events/hotspot/controller_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::hotspot {

using namespace core::hotspot;

namespace {

constexpr auto kController = fields(
    field("controller_id", &ControllerDefinition::controller_id),
    field("name", &ControllerDefinition::name),
    field("vendor", &ControllerDefinition::vendor, parse_controller_vendor),
    field("nas_id", &ControllerDefinition::nas_id), field("site", &ControllerDefinition::site),
    field("owner_path", &ControllerDefinition::owner_path),
    field("timeout_ms", &ControllerDefinition::timeout_ms),
    field("address", &ControllerDefinition::address), field("tls", &ControllerDefinition::tls),
    field("verify_tls", &ControllerDefinition::verify_tls),
    field("username", &ControllerDefinition::username),
    field("hotspot_server", &ControllerDefinition::hotspot_server),
    field("base_url", &ControllerDefinition::base_url),
    field("portal_base_url", &ControllerDefinition::portal_base_url),
    field("omadac_id", &ControllerDefinition::omadac_id),
    field("site_id", &ControllerDefinition::site_id),
    field("client_id", &ControllerDefinition::client_id),
    field("operator_name", &ControllerDefinition::operator_name),
    field("network_id", &ControllerDefinition::network_id),
    field("ssid_number", &ControllerDefinition::ssid_number));

constexpr auto kSealed =
    fields(field("password_sealed", &ControllerDefinition::password_sealed),
           field("client_secret_sealed", &ControllerDefinition::client_secret_sealed),
           field("operator_password_sealed", &ControllerDefinition::operator_password_sealed),
           field("api_key_sealed", &ControllerDefinition::api_key_sealed));

constexpr auto kOutcome =
    fields(field("ok", &OperationOutcome::ok), field("error_code", &OperationOutcome::error_code),
           field("field", &OperationOutcome::field), field("message", &OperationOutcome::message));

constexpr auto kFailure =
    fields(field("user", &SyncFailure::user), field("error_code", &SyncFailure::error_code),
           field("message", &SyncFailure::message));

json::object put_definition(const ControllerDefinition& c) {
    auto o = to_json(c, kController);
    o["port"] = c.port;
    return o;
}

ControllerDefinition get_definition(const JsonObject& o) {
    auto c = from_json<ControllerDefinition>(o, kController);
    const auto port = o.i64("port");
    if (port < 0 || port > 65535) throw FieldError{"port"};
    c.port = static_cast<std::uint16_t>(port);
    return c;
}

struct Codec {
    template <class E>
    static json::object put_defined(const E& e) {
        auto o = put_definition(e.controller);
        put_fields(o, e.controller, kSealed);
        o["command_id"] = e.command_id;
        return o;
    }
    template <class E>
    static E get_defined(const JsonObject& o) {
        E e{get_definition(o), o.str("command_id")};
        get_fields(o, e.controller, kSealed);
        return e;
    }
    static json::object put(const ControllerDefined& e) { return put_defined(e); }
    static ControllerDefined get(const JsonObject& o, As<ControllerDefined>) {
        return get_defined<ControllerDefined>(o);
    }
    static json::object put(const ControllerChanged& e) { return put_defined(e); }
    static ControllerChanged get(const JsonObject& o, As<ControllerChanged>) {
        return get_defined<ControllerChanged>(o);
    }
    static auto payload(As<ControllerRemoved>) {
        return fields(field("controller_id", &ControllerRemoved::controller_id),
                      field("command_id", &ControllerRemoved::command_id));
    }
    static auto payload(As<ControllerOperationRun>) {
        return fields(field("controller_id", &ControllerOperationRun::controller_id),
                      field("operation", &ControllerOperationRun::operation),
                      field("target", &ControllerOperationRun::target),
                      flat(&ControllerOperationRun::outcome, kOutcome),
                      field("duration_ms", &ControllerOperationRun::duration_ms),
                      field("broadcast_id", &ControllerOperationRun::broadcast_id));
    }
    static auto payload(As<ControllerSynced>) {
        return fields(field("controller_id", &ControllerSynced::controller_id),
                      field("added", &ControllerSynced::added),
                      field("removed", &ControllerSynced::removed),
                      field("changed", &ControllerSynced::changed),
                      objects("failed", &ControllerSynced::failed, kFailure),
                      field("unchanged", &ControllerSynced::unchanged),
                      field("desired", &ControllerSynced::desired),
                      flat(&ControllerSynced::outcome, kOutcome),
                      field("duration_ms", &ControllerSynced::duration_ms));
    }
};

}  // namespace

EncodedEvent encode(const ControllerEvent& event) { return encode_as<Codec>(event); }

core::Result<ControllerEvent> decode_controller_event(const RecordedEvent& event) {
    return decode_as<Codec, ControllerEvent>(event);
}

json::object controller_json(const ControllerDefinition& c) {
    auto o = put_definition(c);
    o["port"] = c.vendor == ControllerVendor::Mikrotik ? api_port(c) : c.port;
    o["password_set"] = !c.password_sealed.empty();
    o["client_secret_set"] = !c.client_secret_sealed.empty();
    o["operator_password_set"] = !c.operator_password_sealed.empty();
    o["api_key_set"] = !c.api_key_sealed.empty();
    return o;
}

core::Result<ControllerDefinition> parse_controller(std::string_view text) {
    return with_json_object(text, [](const JsonObject& o) { return get_definition(o); });
}

json::object outcome_json(const OperationOutcome& out) {
    json::object o;
    o["ok"] = out.ok;
    if (!out.ok) {
        o["error_code"] = out.error_code;
        if (!out.field.empty()) o["field"] = out.field;
        o["message"] = out.message;
    }
    return o;
}

}  // namespace switchyard::events::hotspot
