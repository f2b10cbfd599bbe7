#include "events/hotspot/rlm_rest_json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

#include <fmt/format.h>
#include <simdjson.h>
#include <boost/json.hpp>

namespace switchyard::events::hotspot {

using core::Errc;
using core::fail;
using namespace core::hotspot;

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
        return lower(x) == lower(y);
    });
}

/// FreeRADIUS 3.2 attribute type names (src/lib/dict.c dict_attr_types).
constexpr std::array<std::string_view, 26> kTypes = {
    "string",       "octets",  "ipaddr",  "ipv4prefix", "ipv6addr", "ipv6prefix",    "combo-ip",
    "combo-prefix", "ifid",    "ether",   "date",       "integer",  "integer64",     "short",
    "byte",         "signed",  "abinary", "tlv",        "extended", "long-extended", "evs",
    "vsa",          "timeval", "boolean", "decimal",    "struct"};

/// Types whose values rlm_rest may write as JSON numbers (rest.c uses vp_prints_value_json:
/// raw numbers for integer, short and byte; the other integer types are accepted as well).
bool numeric_type(std::string_view t) {
    return t == "integer" || t == "short" || t == "byte" || t == "integer64" || t == "signed";
}

core::Error invalid(std::string field, std::string message) {
    return core::Error{Errc::Invalid, std::move(field), std::move(message)};
}

core::Result<RestAttribute> read_attribute(const std::string& name, simdjson::dom::element el) {
    simdjson::dom::object obj;
    if (el.get(obj))
        return fail(invalid(name, fmt::format("attribute {} must be an object "
                                              "{{\"type\":...,\"value\":[...]}}",
                                              name)));
    RestAttribute attr;
    bool have_type = false;
    bool have_value = false;
    simdjson::dom::array values;
    for (auto [key, value] : obj) {
        if (key == "type") {
            std::string_view t;
            if (value.get(t))
                return fail(invalid(name, fmt::format("the type of {} must be a string", name)));
            if (std::find(kTypes.begin(), kTypes.end(), t) == kTypes.end())
                return fail(invalid(
                    name, fmt::format("{} has type \"{}\", not a FreeRADIUS type", name, t)));
            attr.type = std::string(t);
            have_type = true;
        } else if (key == "value") {
            if (value.get(values))
                return fail(invalid(name, fmt::format("the value of {} must be an array", name)));
            have_value = true;
        } else if (key == "attr_num") {
            std::uint64_t n = 0;
            if (value.get(n))
                return fail(invalid(name, fmt::format("attr_num of {} must be a number", name)));
        } else {
            return fail(invalid(name, fmt::format("{} has an unknown member \"{}\"", name, key)));
        }
    }
    if (!have_type) return fail(invalid(name, fmt::format("{} has no type", name)));
    if (!have_value) return fail(invalid(name, fmt::format("{} has no value", name)));
    for (auto v : values) {
        switch (v.type()) {
            case simdjson::dom::element_type::STRING: {
                std::string_view s;
                [[maybe_unused]] auto err = v.get(s);
                attr.values.emplace_back(s);
                break;
            }
            case simdjson::dom::element_type::UINT64:
            case simdjson::dom::element_type::INT64: {
                if (!numeric_type(attr.type))
                    return fail(invalid(name, fmt::format("{} is of type {} but has a number "
                                                          "value; rlm_rest writes it as a string",
                                                          name, attr.type)));
                if (v.type() == simdjson::dom::element_type::INT64) {
                    std::int64_t n = 0;
                    [[maybe_unused]] auto err = v.get(n);
                    if (n < 0 && attr.type != "signed")
                        return fail(
                            invalid(name, fmt::format("{} has a negative value {}", name, n)));
                    attr.values.push_back(std::to_string(n));
                } else {
                    std::uint64_t n = 0;
                    [[maybe_unused]] auto err = v.get(n);
                    attr.values.push_back(std::to_string(n));
                }
                break;
            }
            default:
                return fail(invalid(
                    name, fmt::format("each value of {} must be a string or an integer", name)));
        }
        if (attr.values.size() > 256)
            return fail(invalid(name, fmt::format("{} has more than 256 values", name)));
    }
    if (attr.values.empty())
        return fail(invalid(name, fmt::format("{} has an empty value array", name)));
    return attr;
}

std::optional<std::int64_t> parse_decimal(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty()) return std::nullopt;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

boost::json::value json_of(const std::variant<std::int64_t, std::string>& v) {
    if (const auto* i = std::get_if<std::int64_t>(&v)) return boost::json::value(*i);
    return boost::json::value(std::get<std::string>(v));
}

void put_list(boost::json::object& out, std::string_view list,
              const std::vector<ReplyAttribute>& attrs) {
    // Group by name, keeping the order of first appearance.
    std::vector<std::pair<std::string, std::vector<const ReplyAttribute*>>> groups;
    for (const auto& a : attrs) {
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const auto& g) { return g.first == a.name; });
        if (it == groups.end()) {
            groups.push_back({a.name, {&a}});
        } else {
            it->second.push_back(&a);
        }
    }
    for (const auto& [name, items] : groups) {
        boost::json::object entry;
        entry["op"] = ":=";
        entry["do_xlat"] = false;
        if (items.size() == 1) {
            entry["value"] = json_of(items[0]->value);
        } else {
            boost::json::array values;
            for (const auto* a : items) values.push_back(json_of(a->value));
            entry["value"] = std::move(values);
        }
        out[fmt::format("{}:{}", list, name)] = std::move(entry);
    }
}

RestAnswer reject_answer(std::string_view message) {
    return {401, write_rlm_rest_reply({{"Reply-Message", std::string(message)}}, {})};
}

}  // namespace

const RestAttribute* RestRequest::find(std::string_view name) const {
    for (const auto& [n, a] : attrs_)
        if (iequals(n, name)) return &a;
    return nullptr;
}

std::optional<std::string_view> RestRequest::first(std::string_view name) const {
    const auto* a = find(name);
    if (a == nullptr || a->values.empty()) return std::nullopt;
    return std::string_view(a->values.front());
}

std::string RestRequest::text(std::string_view name) const {
    return std::string(first(name).value_or(""));
}

core::Result<std::int64_t> RestRequest::integer(std::string_view name,
                                                std::int64_t fallback) const {
    const auto v = first(name);
    if (!v) return fallback;
    const auto n = parse_decimal(*v);
    if (!n)
        return fail(Errc::Invalid, std::string(name),
                    fmt::format("{} must be a decimal integer, not \"{}\"", name, *v));
    return *n;
}

void RestRequest::add(std::string name, RestAttribute attribute) {
    attrs_.emplace_back(std::move(name), std::move(attribute));
}

core::Result<RestRequest> parse_rlm_rest_request(std::string_view body) {
    if (body.empty()) return fail(Errc::Invalid, "body", "the rlm_rest body is empty");
    if (body.size() > kMaxRestBodyBytes)
        return fail(Errc::Invalid, "body",
                    fmt::format("the rlm_rest body has {} bytes, more than {}", body.size(),
                                kMaxRestBodyBytes));
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (auto err = parser.parse(body.data(), body.size()).get(root))
        return fail(Errc::Invalid, "body",
                    fmt::format("the rlm_rest body is not JSON: {}", simdjson::error_message(err)));
    simdjson::dom::object obj;
    if (root.get(obj))
        return fail(Errc::Invalid, "body", "the rlm_rest body must be a JSON object of attributes");
    RestRequest out;
    for (auto [key, value] : obj) {
        std::string name(key);
        if (name.empty() || name.size() > 253)
            return fail(Errc::Invalid, "body", "an attribute name is empty or too long");
        if (out.find(name) != nullptr)
            return fail(Errc::Invalid, name, fmt::format("attribute {} appears twice", name));
        auto attr = read_attribute(name, value);
        if (!attr) return fail(attr.error());
        out.add(std::move(name), std::move(*attr));
        if (out.attributes().size() > 1024)
            return fail(Errc::Invalid, "body", "the rlm_rest body has more than 1024 attributes");
    }
    return out;
}

core::Result<AcctStatus> acct_status(const RestRequest& request) {
    const auto v = request.first("Acct-Status-Type");
    if (!v)
        return fail(Errc::Invalid, "Acct-Status-Type",
                    "Acct-Status-Type is missing from the accounting request");
    static const std::map<std::string_view, AcctStatus> kNames = {
        {"Start", AcctStatus::Start},
        {"Stop", AcctStatus::Stop},
        {"Interim-Update", AcctStatus::InterimUpdate},
        {"Alive", AcctStatus::InterimUpdate},  // the older name of value 3 (RFC 2866 5.1)
        {"Accounting-On", AcctStatus::AccountingOn},
        {"Accounting-Off", AcctStatus::AccountingOff},
        {"1", AcctStatus::Start},
        {"2", AcctStatus::Stop},
        {"3", AcctStatus::InterimUpdate},
        {"7", AcctStatus::AccountingOn},
        {"8", AcctStatus::AccountingOff},
    };
    for (const auto& [name, status] : kNames)
        if (iequals(name, *v)) return status;
    return fail(Errc::Invalid, "Acct-Status-Type",
                fmt::format("Acct-Status-Type \"{}\" is not Start, Stop, Interim-Update, "
                            "Accounting-On or Accounting-Off",
                            *v));
}

core::Result<AccountingRequest> accounting_request(const RestRequest& request, std::string nas_id,
                                                   core::Timestamp now) {
    AccountingRequest r;
    r.status = SY_TRY(acct_status(request));
    r.nas_id = std::move(nas_id);
    r.now = now;
    r.unique_id = request.text("Acct-Unique-Session-Id");
    r.acct_session_id = request.text("Acct-Session-Id");
    r.username = request.text("User-Name");
    r.nas_ip = request.text("NAS-IP-Address");
    r.framed_ip = request.text("Framed-IP-Address");
    r.calling_station_id = request.text("Calling-Station-Id");
    r.called_station_id = request.text("Called-Station-Id");
    r.terminate_cause = request.text("Acct-Terminate-Cause");
    const bool session = r.status == AcctStatus::Start || r.status == AcctStatus::Stop ||
                         r.status == AcctStatus::InterimUpdate;
    if (session && r.username.empty())
        return fail(Errc::Invalid, "User-Name", "User-Name is missing from the accounting request");
    if (session && r.unique_id.empty())
        return fail(Errc::Invalid, "Acct-Unique-Session-Id",
                    "Acct-Unique-Session-Id is missing from the accounting request");
    r.input_octets = SY_TRY(request.integer("Acct-Input-Octets"));
    r.input_gigawords = SY_TRY(request.integer("Acct-Input-Gigawords"));
    r.output_octets = SY_TRY(request.integer("Acct-Output-Octets"));
    r.output_gigawords = SY_TRY(request.integer("Acct-Output-Gigawords"));
    r.session_seconds = SY_TRY(request.integer("Acct-Session-Time"));
    return r;
}

core::Result<AccessRequest> access_request(const RestRequest& request) {
    AccessRequest r;
    r.username = request.text("User-Name");
    if (r.username.empty())
        return fail(Errc::Invalid, "User-Name", "User-Name is missing from the Access-Request");
    if (r.username.size() > 253)
        return fail(Errc::Invalid, "User-Name", "User-Name is longer than 253 bytes");
    r.nas_ip = request.text("NAS-IP-Address");
    if (r.nas_ip.empty()) r.nas_ip = request.text("NAS-IPv6-Address");
    r.nas_identifier = request.text("NAS-Identifier");
    r.calling_station_id = request.text("Calling-Station-Id");
    r.called_station_id = request.text("Called-Station-Id");
    r.user_password = request.text("User-Password");
    r.chap = request.find("CHAP-Password") != nullptr;
    return r;
}

std::string write_rlm_rest_reply(const std::vector<ReplyAttribute>& reply,
                                 const std::vector<ReplyAttribute>& control) {
    boost::json::object out;
    put_list(out, "control", control);
    put_list(out, "reply", reply);
    return boost::json::serialize(out);
}

RestAnswer authorize_answer(const AuthorizeDecision& decision) {
    if (!decision.accept) return reject_answer(decision.reply_message);
    auto reply = decision.reply;
    if (decision.expired_pool)
        reply.push_back({"Reply-Message", std::string(reject_message(decision.reason))});
    return {200,
            write_rlm_rest_reply(reply, {{"Cleartext-Password", decision.cleartext_password}})};
}

RestAnswer authenticate_answer(bool password_matched) {
    if (password_matched) return {204, ""};
    return reject_answer(reject_message(RejectReason::WrongPassword));
}

RestAnswer accounting_answer(const core::Result<std::vector<SessionEvent>>& result) {
    if (result) return {204, ""};
    const auto& e = result.error();
    boost::json::object body;
    body["field"] = e.field;
    body["message"] = e.message;
    const int status = e.code == Errc::Invalid || e.code == Errc::Rejected ? 400 : 500;
    return {status, boost::json::serialize(body)};
}

}  // namespace switchyard::events::hotspot
