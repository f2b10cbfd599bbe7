#include "events/envelope_codec.hpp"

#include <iterator>

#include <fmt/format.h>
#include <simdjson.h>

#include "events/json_text.hpp"
#include "events/simdjson_util.hpp"

namespace switchyard::events {

using core::Errc;

EnvelopeParts encode_envelope_parts(const NewEvent& e, std::string_view stream) {
    EnvelopeParts parts;
    auto& out = parts.text;
    out.reserve(224 + e.data.size() + stream.size());
    out += "{\"id\":";
    append_json_string(out, e.id);
    out += ",\"type\":";
    append_json_string(out, e.type);
    out += fmt::format(",\"schema\":{},\"stream\":", e.schema);
    append_json_string(out, stream);
    parts.split = out.size();
    out += ",\"time\":\"";
    out += core::format_rfc3339(e.time);
    out += "\",\"actor\":{\"kind\":\"";
    out += core::to_string(e.actor.kind);
    out += "\",\"id\":";
    append_json_string(out, e.actor.id);
    out += ",\"ip\":";
    append_json_string(out, e.actor.ip);
    out += "},\"correlation_id\":";
    append_json_string(out, e.correlation_id);
    out += ",\"causation_id\":";
    append_json_string(out, e.causation_id);
    out += ",\"tenant\":";
    append_json_string(out, e.tenant);
    out += ",\"data\":";
    out += e.data;
    out += '}';
    return parts;
}

void append_envelope_middle(std::string& out, std::int64_t revision, const Position* position) {
    fmt::format_to(std::back_inserter(out), ",\"revision\":{}", revision);
    if (position != nullptr) {
        out += ",\"position\":{";
        if (!position->topic.empty()) {
            out += "\"topic\":";
            append_json_string(out, position->topic);
            out += ',';
        }
        fmt::format_to(std::back_inserter(out), "\"partition\":{},\"offset\":{}}}",
                       position->partition, position->offset);
    }
}

std::string encode_envelope(const RecordedEvent& e, bool with_position) {
    const auto parts = encode_envelope_parts(e, e.stream);
    std::string out;
    out.reserve(parts.text.size() + 64);
    out += parts.head();
    append_envelope_middle(out, e.revision, with_position ? &e.position : nullptr);
    out += parts.tail();
    return out;
}

core::Result<RecordedEvent> decode_envelope(std::string_view json) {
    RecordedEvent e;
    thread_local PaddedParser parser;
    auto doc_result = parser.parse(json);
    if (!doc_result) return core::fail(Errc::Invalid, "envelope", doc_result.error());
    auto& doc = **doc_result;
    auto bad = [](const char* field) {
        return core::fail(Errc::Invalid, field,
                          fmt::format("envelope field {} is missing or mistyped", field));
    };
    try {
        simdjson::ondemand::object obj = doc.get_object();
        for (auto field : obj) {
            std::string_view key = field.unescaped_key();
            auto v = field.value();
            if (key == "id")
                e.id = std::string(std::string_view(v.get_string()));
            else if (key == "type")
                e.type = std::string(std::string_view(v.get_string()));
            else if (key == "schema")
                e.schema = static_cast<int>(std::int64_t(v.get_int64()));
            else if (key == "stream")
                e.stream = std::string(std::string_view(v.get_string()));
            else if (key == "revision")
                e.revision = v.get_int64();
            else if (key == "position") {
                simdjson::ondemand::object p = v.get_object();
                for (auto pf : p) {
                    std::string_view pk = pf.unescaped_key();
                    if (pk == "partition") {
                        e.position.partition =
                            static_cast<std::int32_t>(std::int64_t(pf.value().get_int64()));
                    } else if (pk == "offset") {
                        e.position.offset = pf.value().get_int64();
                    } else if (pk == "topic") {
                        e.position.topic = std::string(std::string_view(pf.value().get_string()));
                    }
                }
            } else if (key == "time") {
                auto t = core::parse_rfc3339(std::string_view(v.get_string()));
                if (!t) return bad("time");
                e.time = *t;
            } else if (key == "actor") {
                simdjson::ondemand::object a = v.get_object();
                for (auto af : a) {
                    std::string_view ak = af.unescaped_key();
                    std::string s(std::string_view(af.value().get_string()));
                    if (ak == "kind") {
                        if (!core::parse_actor_kind(s, e.actor.kind)) return bad("actor.kind");
                    } else if (ak == "id")
                        e.actor.id = std::move(s);
                    else if (ak == "ip")
                        e.actor.ip = std::move(s);
                }
            } else if (key == "correlation_id")
                e.correlation_id = std::string(std::string_view(v.get_string()));
            else if (key == "causation_id")
                e.causation_id = std::string(std::string_view(v.get_string()));
            else if (key == "tenant")
                e.tenant = std::string(std::string_view(v.get_string()));
            else if (key == "data") {
                simdjson::ondemand::object d = v.get_object();
                e.data = std::string(std::string_view(d.raw_json()));
            }
        }
    } catch (const simdjson::simdjson_error& err) {
        return core::fail(Errc::Invalid, "envelope", err.what());
    }
    if (e.id.empty()) return bad("id");
    if (e.type.empty()) return bad("type");
    if (e.data.empty()) return bad("data");
    return e;
}

}  // namespace switchyard::events
