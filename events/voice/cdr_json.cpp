#include "events/voice/cdr_json.hpp"

#include <charconv>
#include <optional>
#include <string>

#include <simdjson.h>

namespace switchyard::events::voice {

using core::Errc;
using core::Result;
using core::Timestamp;
using core::voice::CallRecord;
using core::voice::CdrFormat;
using core::voice::CdrParseOptions;
using core::voice::CdrSource;
using core::voice::Disposition;
using core::voice::Parsed;
using core::voice::RowError;

namespace {

/// A string member, or empty when absent, null or not a string.
std::string str(simdjson::dom::element parent, const char* key) {
    auto v = parent[key];
    if (v.error()) return {};
    auto s = v.value().get_string();
    if (s.error()) return {};
    return std::string(s.value());
}

std::optional<std::int64_t> to_int(std::string_view text) {
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || p != end) return std::nullopt;
    return value;
}

/// A whole number written as a JSON integer or as its decimal text; none otherwise. Sets
/// `present` when the key exists and is not null.
std::optional<std::int64_t> integer(simdjson::dom::element parent, const char* key, bool& present) {
    auto v = parent[key];
    present = !v.error() && !v.value().is_null();
    if (!present) return std::nullopt;
    if (auto i = v.value().get_int64(); !i.error()) return i.value();
    if (auto s = v.value().get_string(); !s.error()) return to_int(s.value());
    return std::nullopt;
}

Timestamp from_micros(std::int64_t us) { return Timestamp(std::chrono::microseconds(us)); }

/// A FreeSWITCH time: `<name>_uepoch` (µs) else `<name>_epoch` (s); none when absent or 0.
std::optional<Timestamp> fs_time(simdjson::dom::element vars, const std::string& name, bool& bad) {
    bool present = false;
    if (const auto us = integer(vars, (name + "_uepoch").c_str(), present); present) {
        if (!us || *us < 0) {
            bad = true;
            return std::nullopt;
        }
        if (*us > 0) return from_micros(*us);
        return std::nullopt;
    }
    if (const auto s = integer(vars, (name + "_epoch").c_str(), present); present) {
        if (!s || *s < 0 || *s > 253'402'300'799) {
            bad = true;
            return std::nullopt;
        }
        if (*s > 0) return core::from_unix_seconds(*s);
    }
    return std::nullopt;
}

std::int64_t whole_seconds(Timestamp from, Timestamp to) {
    return std::chrono::floor<std::chrono::seconds>(to - from).count();
}

/// Reads one mod_json_cdr document; a row error on refusal.
std::optional<RowError> read_freeswitch(simdjson::dom::element doc, std::int64_t number,
                                        const CdrParseOptions& options, CallRecord& r) {
    auto refuse = [&](const char* field, std::string reason) {
        return RowError{options.file_name, number, field, std::move(reason)};
    };
    if (!doc.is_object()) return refuse("", "the CDR is not a JSON object");
    auto vars_result = doc["variables"];
    if (vars_result.error() || !vars_result.value().is_object()) {
        return refuse("variables", "the CDR has no variables object");
    }
    const auto vars = vars_result.value();
    r.source = CdrSource::FreeswitchJson;
    r.line = number;
    r.switch_key = str(vars, "uuid");
    r.switch_name = str(doc, "switchname");
    r.accountcode = str(vars, "accountcode");
    r.hangup_cause = str(vars, "hangup_cause");
    r.codec = str(vars, "read_codec");
    r.source_ip = str(vars, "sip_network_ip");
    r.trunk = str(vars, "sip_gateway_name");
    r.caller = str(vars, "caller_id_number");
    r.caller_name = str(vars, "caller_id_name");
    r.destination = str(vars, "destination_number");
    // The caller profile of the first callflow entry (an array, or one object).
    auto callflow = doc["callflow"];
    if (!callflow.error()) {
        simdjson::dom::element flow = callflow.value();
        if (flow.is_array()) {
            auto first = flow.at(0);
            if (!first.error()) flow = first.value();
        }
        auto profile = flow["caller_profile"];
        if (!profile.error() && profile.value().is_object()) {
            const auto p = profile.value();
            if (auto v = str(p, "caller_id_number"); !v.empty()) r.caller = v;
            if (auto v = str(p, "caller_id_name"); !v.empty()) r.caller_name = v;
            if (auto v = str(p, "destination_number"); !v.empty()) r.destination = v;
            r.context = str(p, "context");
            r.channel = str(p, "chan_name");
            if (r.source_ip.empty()) r.source_ip = str(p, "network_addr");
        }
    }
    if (r.switch_key.empty()) return refuse("uuid", "the CDR has no variables.uuid");
    bool bad = false;
    const auto start = fs_time(vars, "start", bad);
    if (bad || !start) return refuse("start_epoch", "the CDR has no readable start time");
    const auto end = fs_time(vars, "end", bad);
    if (bad || !end) return refuse("end_epoch", "the CDR has no readable end time");
    r.answer = fs_time(vars, "answer", bad);
    if (bad) return refuse("answer_epoch", "the answer time does not read");
    r.start = *start;
    r.end = *end;
    bool present = false;
    const auto duration = integer(vars, "duration", present);
    if (present && (!duration || *duration < 0)) {
        return refuse("duration", "is not a whole number of seconds");
    }
    r.duration_s = present ? *duration : std::max<std::int64_t>(0, whole_seconds(r.start, r.end));
    const auto billsec = integer(vars, "billsec", present);
    if (present && (!billsec || *billsec < 0)) {
        return refuse("billsec", "is not a whole number of seconds");
    }
    r.billsec = present
                    ? *billsec
                    : (r.answer ? std::max<std::int64_t>(0, whole_seconds(*r.answer, r.end)) : 0);
    r.disposition = core::voice::disposition_of_hangup_cause(r.hangup_cause, r.billsec);
    return core::voice::check_call_record(r, options.file_name);
}

std::optional<Disposition> batch_disposition(std::string_view text) {
    Disposition d{};
    if (core::voice::parse_disposition(text, d)) return d;
    if (text == "ANSWERED") return Disposition::Answered;
    if (text == "NO ANSWER") return Disposition::NoAnswer;
    if (text == "BUSY") return Disposition::Busy;
    if (text == "FAILED") return Disposition::Failed;
    if (text == "CONGESTION") return Disposition::Congestion;
    return std::nullopt;
}

std::optional<RowError> read_batch_record(simdjson::dom::element item, std::int64_t number,
                                          const CdrParseOptions& options, CallRecord& r) {
    auto refuse = [&](const char* field, std::string reason) {
        return RowError{options.file_name, number, field, std::move(reason)};
    };
    if (!item.is_object()) return refuse("", "the CDR is not a JSON object");
    r.source = CdrSource::Json;
    r.line = number;
    bool present = false;
    if (auto id = item["id"]; !id.error()) {
        if (auto i = id.value().get_int64(); !i.error()) {
            r.switch_key = std::to_string(i.value());
        } else if (auto t = id.value().get_string(); !t.error()) {
            r.switch_key = std::string(t.value());
        }
    }
    if (r.switch_key.empty()) return refuse("id", "the CDR has no id");
    r.accountcode = str(item, "accountcode");
    r.caller = str(item, "caller");
    r.destination = str(item, "destination");
    r.source_ip = str(item, "source_ip");
    r.trunk = str(item, "trunk");
    const auto start = core::parse_rfc3339(str(item, "start"));
    if (!start) return refuse("start", "is not an RFC 3339 time");
    const auto end = core::parse_rfc3339(str(item, "end"));
    if (!end) return refuse("end", "is not an RFC 3339 time");
    r.start = *start;
    r.end = *end;
    if (const auto answer = str(item, "answer"); !answer.empty()) {
        r.answer = core::parse_rfc3339(answer);
        if (!r.answer) return refuse("answer", "is not an RFC 3339 time");
    }
    r.duration_s = std::max<std::int64_t>(0, whole_seconds(r.start, r.end));
    const auto billsec = integer(item, "billsec", present);
    if (present && (!billsec || *billsec < 0)) {
        return refuse("billsec", "is not a whole number of seconds");
    }
    r.billsec = present
                    ? *billsec
                    : (r.answer ? std::max<std::int64_t>(0, whole_seconds(*r.answer, r.end)) : 0);
    const auto disposition = str(item, "disposition");
    r.hangup_cause = disposition;
    if (disposition.empty()) {
        r.disposition = r.billsec > 0 ? Disposition::Answered : Disposition::NoAnswer;
    } else if (const auto d = batch_disposition(disposition)) {
        r.disposition = *d;
    } else {
        return refuse("disposition", "'" + disposition + "' is not a disposition");
    }
    return core::voice::check_call_record(r, options.file_name);
}

}  // namespace

Result<Parsed<CallRecord>> parse_freeswitch_json(std::string_view text,
                                                 const CdrParseOptions& options) {
    simdjson::dom::parser parser;
    auto doc = parser.parse(text.data(), text.size());
    if (doc.error()) {
        return core::fail(Errc::Invalid, options.file_name,
                          std::string("is not JSON: ") + simdjson::error_message(doc.error()));
    }
    Parsed<CallRecord> out;
    auto one = [&](simdjson::dom::element e) {
        ++out.lines_read;
        CallRecord r;
        if (auto error = read_freeswitch(e, out.lines_read, options, r)) {
            out.errors.push_back(std::move(*error));
        } else {
            out.rows.push_back(std::move(r));
        }
    };
    const auto root = doc.value();
    if (root.is_array()) {
        const simdjson::dom::array items = root.get_array().value();
        for (auto e : items) one(e);
    } else if (root.is_object()) {
        one(root);
    } else {
        return core::fail(Errc::Invalid, options.file_name,
                          "is not a mod_json_cdr object or an array of them");
    }
    return out;
}

Result<Parsed<CallRecord>> parse_json_batch(std::string_view text, const CdrParseOptions& options) {
    simdjson::dom::parser parser;
    auto doc = parser.parse(text.data(), text.size());
    if (doc.error()) {
        return core::fail(Errc::Invalid, options.file_name,
                          std::string("is not JSON: ") + simdjson::error_message(doc.error()));
    }
    auto cdrs = doc.value()["cdrs"];
    if (cdrs.error() || !cdrs.value().is_array()) {
        return core::fail(Errc::Invalid, options.file_name, "has no \"cdrs\" array");
    }
    Parsed<CallRecord> out;
    const simdjson::dom::array items = cdrs.value().get_array().value();
    for (auto item : items) {
        ++out.lines_read;
        CallRecord r;
        if (auto error = read_batch_record(item, out.lines_read, options, r)) {
            out.errors.push_back(std::move(*error));
        } else {
            out.rows.push_back(std::move(r));
        }
    }
    return out;
}

Result<Parsed<CallRecord>> parse_cdrs(std::string_view text, CdrFormat format,
                                      const CdrParseOptions& options) {
    if (format == CdrFormat::Auto) format = SY_TRY(core::voice::detect_cdr_format(text));
    switch (format) {
        case CdrFormat::Asterisk:
            return core::voice::parse_asterisk_csv(text, options);
        case CdrFormat::FreeswitchCsv:
            return core::voice::parse_freeswitch_csv(text, options);
        case CdrFormat::FreeswitchJson:
            return parse_freeswitch_json(text, options);
        case CdrFormat::Json:
            return parse_json_batch(text, options);
        case CdrFormat::Auto:
            break;
    }
    return core::fail(Errc::Invalid, "format", "unknown CDR format");
}

}  // namespace switchyard::events::voice
