#include "events/voice/kamailio_json.hpp"

#include <charconv>
#include <cmath>
#include <optional>

#include <simdjson.h>
#include <boost/json.hpp>

namespace switchyard::events::voice {

using core::Errc;
using core::fail;
using core::voice::CallReport;
using core::voice::CallSetup;

namespace {

namespace json = boost::json;

constexpr std::size_t kMaxCallId = 255;
constexpr std::size_t kMaxText = 1024;

core::Result<simdjson::dom::object> object_of(simdjson::dom::parser& parser,
                                              std::string_view body) {
    auto doc = parser.parse(body.data(), body.size());
    if (doc.error())
        return fail(Errc::Invalid, "body",
                    std::string("body is not JSON: ") + simdjson::error_message(doc.error()));
    auto obj = doc.value().get_object();
    if (obj.error()) return fail(Errc::Invalid, "body", "body must be a JSON object");
    return obj.value();
}

/// A string member: empty when absent or null. @errors Invalid when another type or too long.
core::Result<std::string> text(simdjson::dom::object o, const char* key,
                               std::size_t max = kMaxText) {
    auto v = o[key];
    if (v.error() || v.value().is_null()) return std::string{};
    auto s = v.value().get_string();
    if (s.error()) return fail(Errc::Invalid, key, std::string(key) + " must be a string");
    if (s.value().size() > max)
        return fail(Errc::Invalid, key,
                    std::string(key) + " is longer than " + std::to_string(max) + " bytes");
    return std::string(s.value());
}

core::Result<std::string> required_text(simdjson::dom::object o, const char* key,
                                        std::size_t max = kMaxText) {
    auto t = SY_TRY(text(o, key, max));
    if (t.empty()) return fail(Errc::Invalid, key, std::string(key) + " is required");
    return t;
}

/// An integer member (also accepted as decimal text, as `jansson_set("string")` writes it);
/// `fallback` when absent or null.
core::Result<std::int64_t> integer(simdjson::dom::object o, const char* key,
                                   std::int64_t fallback = 0) {
    auto v = o[key];
    if (v.error() || v.value().is_null()) return fallback;
    if (auto i = v.value().get_int64(); !i.error()) return i.value();
    if (auto s = v.value().get_string(); !s.error()) {
        std::int64_t out = 0;
        const auto t = s.value();
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
        if (ec == std::errc() && p == t.data() + t.size() && !t.empty()) return out;
    }
    return fail(Errc::Invalid, key, std::string(key) + " must be an integer");
}

/// `sec` or `sec.usec` text, or a number of seconds: a time. nullopt when absent, null, 0 or "".
core::Result<std::optional<core::Timestamp>> time_of(simdjson::dom::object o, const char* key) {
    auto v = o[key];
    if (v.error() || v.value().is_null()) return std::optional<core::Timestamp>{};
    const auto bad = [key] {
        return fail(Errc::Invalid, key,
                    std::string(key) + " must be Unix seconds (`1767268800.123456`)");
    };
    std::int64_t us = 0;
    if (auto i = v.value().get_int64(); !i.error()) {
        if (i.value() < 0 || i.value() > 100'000'000'000) return bad();
        us = i.value() * 1'000'000;
    } else if (auto d = v.value().get_double(); !d.error()) {
        if (!(d.value() >= 0 && d.value() < 1e11)) return bad();
        us = static_cast<std::int64_t>(std::llround(d.value() * 1e6));
    } else if (auto s = v.value().get_string(); !s.error()) {
        const auto t = s.value();
        if (t.empty()) return std::optional<core::Timestamp>{};
        const auto dot = t.find('.');
        const auto whole = t.substr(0, dot);
        std::int64_t sec = 0;
        auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), sec);
        if (ec != std::errc() || p != whole.data() + whole.size() || whole.empty() ||
            whole.size() > 11)
            return bad();
        std::int64_t frac = 0;
        if (dot != std::string_view::npos) {
            auto f = t.substr(dot + 1);
            if (f.empty() || f.size() > 6) return bad();
            for (char c : f)
                if (c < '0' || c > '9') return bad();
            std::from_chars(f.data(), f.data() + f.size(), frac);
            for (auto n = f.size(); n < 6; ++n) frac *= 10;
        }
        us = sec * 1'000'000 + frac;
    } else {
        return bad();
    }
    if (us == 0) return std::optional<core::Timestamp>{};
    return std::optional<core::Timestamp>{core::Timestamp(std::chrono::microseconds(us))};
}

/// The user part of a P-Asserted-Identity value (`<sip:+4930123@host>`, `tel:+4930123`) or the
/// text itself when it is no URI.
std::string user_of(std::string_view v) {
    if (auto lt = v.find('<'); lt != std::string_view::npos) {
        v.remove_prefix(lt + 1);
        v = v.substr(0, v.find('>'));
    }
    for (std::string_view scheme : {"sips:", "sip:", "tel:"})
        if (v.starts_with(scheme)) {
            v.remove_prefix(scheme.size());
            break;
        }
    v = v.substr(0, v.find_first_of("@;"));
    return std::string(v);
}

}  // namespace

core::Result<CallSetup> parse_route_request(std::string_view body, core::Timestamp now) {
    simdjson::dom::parser parser;
    auto o = SY_TRY(object_of(parser, body));
    CallSetup s;
    s.call_id = SY_TRY(required_text(o, "call_id", kMaxCallId));
    s.source_ip = SY_TRY(required_text(o, "source_ip", 64));
    s.source_port = SY_TRY(integer(o, "source_port"));
    if (s.source_port < 0 || s.source_port > 65535)
        return fail(Errc::Invalid, "source_port", "source_port must be 0 to 65535");
    s.ruri_user = SY_TRY(required_text(o, "ruri_user", 128));
    s.from_user = SY_TRY(text(o, "from_user", 128));
    s.from_display = SY_TRY(text(o, "from_display", 256));
    s.pai_user = user_of(SY_TRY(text(o, "pai", 512)));
    s.auth_user = SY_TRY(text(o, "auth_user", 128));
    if (auto c = o["codecs"]; !c.error() && !c.value().is_null()) {
        auto arr = c.value().get_array();
        if (arr.error()) return fail(Errc::Invalid, "codecs", "codecs must be a list of names");
        for (auto item : arr.value()) {
            auto name = item.get_string();
            if (name.error() || name.value().empty() || name.value().size() > 32)
                return fail(Errc::Invalid, "codecs", "codecs must be a list of names");
            s.codecs.emplace_back(name.value());
        }
    }
    auto at = SY_TRY(time_of(o, "setup_ts"));
    s.setup_at = at ? *at : now;
    return s;
}

core::Result<CallReport> parse_call_report(std::string_view body, core::Timestamp now) {
    simdjson::dom::parser parser;
    auto o = SY_TRY(object_of(parser, body));
    CallReport r;
    const auto kind = SY_TRY(required_text(o, "kind", 32));
    if (!core::voice::parse_call_report_kind(kind, r.kind))
        return fail(Errc::Invalid, "kind",
                    "kind must be answered, attempt_failed, ended or failed, not '" + kind + "'");
    r.call_id = SY_TRY(required_text(o, "call_id", kMaxCallId));
    r.attempt = SY_TRY(integer(o, "attempt"));
    if (r.attempt < 0 || r.attempt > 100)
        return fail(Errc::Invalid, "attempt", "attempt must be 0 to 100");
    const auto code = SY_TRY(integer(o, "sip_code"));
    if (code < 0 || code > 699) return fail(Errc::Invalid, "sip_code", "sip_code must be 0 to 699");
    r.sip_code = static_cast<int>(code);
    r.reason = SY_TRY(text(o, "reason", 256));
    auto at = SY_TRY(time_of(o, "event_ts"));
    r.event_at = at ? *at : now;
    r.answered_at = SY_TRY(time_of(o, "start_ts"));
    return r;
}

core::Result<CredentialsRequest> parse_credentials_request(std::string_view body) {
    simdjson::dom::parser parser;
    auto o = SY_TRY(object_of(parser, body));
    CredentialsRequest r;
    r.username = SY_TRY(required_text(o, "username", 128));
    r.realm = SY_TRY(required_text(o, "realm", 128));
    r.source_ip = SY_TRY(text(o, "source_ip", 64));
    return r;
}

namespace {

std::string decimal(core::voice::Micros m) {
    if (m < 0) return "";
    return std::to_string(m / 1'000'000) + "." + [m] {
        auto f = std::to_string(m % 1'000'000);
        return std::string(6 - f.size(), '0') + f;
    }();
}

}  // namespace

std::string write_routing_answer(const RoutingAnswer& a) {
    json::object doc{{"version", "1.0"}, {"routing", "serial"}, {"action", a.action}};
    if (a.action == "reject") {
        doc["code"] = a.code;
        doc["reason"] = a.reason;
        doc["refusal"] = a.refusal;
    }
    if (!a.call_ref.empty()) doc["call_ref"] = a.call_ref;
    if (a.action == "route") {
        doc["max_duration"] = a.max_duration_s;
        doc["max_attempts"] = a.max_attempts;
        json::array routes;
        json::array explain;
        bool local = false;
        for (const auto& r : a.routes) {
            json::object route{{"uri", r.uri}};
            if (!r.dst_uri.empty()) route["dst_uri"] = r.dst_uri;
            if (!r.extra_headers.empty())
                route["headers"] = json::object{{"extra", r.extra_headers}};
            if (r.fr_inv_timer_ms > 0) route["fr_inv_timer"] = r.fr_inv_timer_ms;
            if (r.location) {
                local = true;
                route["location"] = 1;
                json::array ring;
                for (const auto& aor : r.ring) ring.push_back(json::value(aor));
                route["ring"] = std::move(ring);
            }
            if (r.on_busy > 0) route["on_busy"] = r.on_busy;
            if (r.on_no_answer > 0) route["on_no_answer"] = r.on_no_answer;
            if (r.on_unavailable > 0) route["on_unavailable"] = r.on_unavailable;
            routes.push_back(std::move(route));
            explain.push_back(json::object{{"carrier", r.carrier_id},
                                           {"gateway", r.gateway_id},
                                           {"prefix", r.matched_prefix},
                                           {"buy", decimal(r.buy_per_minute)},
                                           {"sell", decimal(r.sell_per_minute)},
                                           {"why", r.why}});
        }
        for (const auto& s : a.skipped)
            explain.push_back(json::object{{"carrier", s.carrier_id},
                                           {"gateway", s.gateway_id},
                                           {"skipped", s.reason},
                                           {"why", s.detail}});
        doc["routes"] = std::move(routes);
        // extension routing: Kamailio walks the routes itself (location lookups, on_* jumps)
        if (local) doc["local"] = 1;
        doc["explain"] = std::move(explain);
    }
    return json::serialize(doc);
}

}  // namespace switchyard::events::voice
