#include "core/voice/cdr_formats.hpp"

#include <charconv>
#include <optional>

#include "core/voice/csv.hpp"

namespace switchyard::core::voice {

namespace {

std::optional<std::int64_t> parse_seconds(std::string_view text) {
    text = trim_blanks(text);
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || p != end || value < 0) return std::nullopt;
    return value;
}

/// Reads up to `max` digits at `pos`; advances `pos`.
std::optional<int> read_number(std::string_view text, std::size_t& pos, std::size_t max) {
    const std::size_t start = pos;
    int v = 0;
    while (pos < text.size() && pos - start < max && text[pos] >= '0' && text[pos] <= '9') {
        v = v * 10 + (text[pos] - '0');
        ++pos;
    }
    if (pos == start) return std::nullopt;
    return v;
}

/// The caller name of an Asterisk clid `"name" <number>`: the quoted part, else the text
/// before `<`, else the whole clid.
std::string clid_name(std::string_view clid) {
    clid = trim_blanks(clid);
    if (!clid.empty() && clid.front() == '"') {
        const auto close = clid.find('"', 1);
        if (close != std::string_view::npos) return std::string(clid.substr(1, close - 1));
    }
    const auto lt = clid.find('<');
    if (lt != std::string_view::npos) return std::string(trim_blanks(clid.substr(0, lt)));
    return std::string(clid);
}

Disposition asterisk_disposition(std::string_view text) {
    text = trim_blanks(text);
    if (text == "ANSWERED") return Disposition::Answered;
    if (text == "NO ANSWER") return Disposition::NoAnswer;
    if (text == "BUSY") return Disposition::Busy;
    if (text == "CONGESTION") return Disposition::Congestion;
    return Disposition::Failed;
}

/// Reads the three times, duration and billsec of a row; the field at fault on failure.
struct TimeFields {
    std::string_view start, answer, end, duration, billsec;
};

std::optional<RowError> read_times(CallRecord& r, const TimeFields& f,
                                   const CdrParseOptions& options, std::int64_t line) {
    auto refuse = [&](const char* field, std::string reason) {
        return RowError{options.file_name, line, field, std::move(reason)};
    };
    const auto start = parse_cdr_time(f.start);
    if (!start) return refuse("start", "'" + std::string(f.start) + "' is not a date-time");
    const auto end = parse_cdr_time(f.end);
    if (!end) return refuse("end", "'" + std::string(f.end) + "' is not a date-time");
    r.start = *start - options.utc_offset;
    r.end = *end - options.utc_offset;
    if (!trim_blanks(f.answer).empty()) {
        const auto answer = parse_cdr_time(f.answer);
        if (!answer) return refuse("answer", "'" + std::string(f.answer) + "' is not a date-time");
        r.answer = *answer - options.utc_offset;
    }
    const auto duration = parse_seconds(f.duration);
    if (!duration) {
        return refuse("duration",
                      "'" + std::string(f.duration) + "' is not a whole number of seconds");
    }
    const auto billsec = parse_seconds(f.billsec);
    if (!billsec) {
        return refuse("billsec",
                      "'" + std::string(f.billsec) + "' is not a whole number of seconds");
    }
    r.duration_s = *duration;
    r.billsec = *billsec;
    return std::nullopt;
}

}  // namespace

const char* to_string(CdrFormat f) noexcept {
    switch (f) {
        case CdrFormat::Auto:
            return "auto";
        case CdrFormat::Asterisk:
            return "asterisk";
        case CdrFormat::FreeswitchCsv:
            return "freeswitch-csv";
        case CdrFormat::FreeswitchJson:
            return "freeswitch-json";
        case CdrFormat::Json:
            return "json";
    }
    return "auto";
}

bool parse_cdr_format(std::string_view text, CdrFormat& out) noexcept {
    for (const auto f : {CdrFormat::Auto, CdrFormat::Asterisk, CdrFormat::FreeswitchCsv,
                         CdrFormat::FreeswitchJson, CdrFormat::Json}) {
        if (text == to_string(f)) {
            out = f;
            return true;
        }
    }
    return false;
}

Result<std::chrono::seconds> parse_utc_offset(std::string_view text) {
    text = trim_blanks(text);
    if (text.empty() || text == "UTC" || text == "Z" || text == "GMT" || text == "Etc/UTC") {
        return std::chrono::seconds(0);
    }
    auto refuse = [&] {
        return fail(Errc::Invalid, "timezone",
                    "'" + std::string(text) +
                        "' is not a UTC offset (+03:00, -0500); time zone names are not "
                        "resolved here");
    };
    if (text.front() != '+' && text.front() != '-') return refuse();
    const int sign = text.front() == '-' ? -1 : 1;
    std::size_t pos = 1;
    const auto hours = read_number(text, pos, 2);
    if (!hours) return refuse();
    int minutes = 0;
    if (pos < text.size()) {
        if (text[pos] == ':') ++pos;
        const std::size_t before = pos;
        const auto m = read_number(text, pos, 2);
        if (!m || pos - before != 2) return refuse();
        minutes = *m;
    }
    if (pos != text.size() || *hours > 14 || minutes > 59) return refuse();
    return std::chrono::seconds(sign * (*hours * 3600 + minutes * 60));
}

std::optional<Timestamp> parse_cdr_time(std::string_view text) {
    text = trim_blanks(text);
    std::size_t pos = 0;
    const auto y = read_number(text, pos, 4);
    if (!y || pos != 4 || pos >= text.size() || (text[pos] != '-' && text[pos] != '/')) {
        return std::nullopt;
    }
    const char sep = text[pos++];
    const auto m = read_number(text, pos, 2);
    if (!m || pos >= text.size() || text[pos] != sep) return std::nullopt;
    ++pos;
    const auto d = read_number(text, pos, 2);
    if (!d || pos >= text.size() || (text[pos] != ' ' && text[pos] != 'T')) return std::nullopt;
    ++pos;
    const auto hh = read_number(text, pos, 2);
    if (!hh || pos >= text.size() || text[pos] != ':') return std::nullopt;
    ++pos;
    const auto mi = read_number(text, pos, 2);
    if (!mi) return std::nullopt;
    int ss = 0;
    if (pos < text.size()) {
        if (text[pos] != ':') return std::nullopt;
        ++pos;
        const auto s = read_number(text, pos, 2);
        if (!s || pos != text.size()) return std::nullopt;
        ss = *s;
    }
    using namespace std::chrono;
    const year_month_day ymd{year(*y), month(unsigned(*m)), day(unsigned(*d))};
    if (!ymd.ok() || *hh > 23 || *mi > 59 || ss > 60) return std::nullopt;
    return Timestamp(sys_days(ymd)) + hours(*hh) + minutes(*mi) + seconds(ss);
}

Disposition disposition_of_hangup_cause(std::string_view cause, std::int64_t billsec) {
    if (cause == "NORMAL_CLEARING")
        return billsec > 0 ? Disposition::Answered : Disposition::NoAnswer;
    if (cause == "USER_BUSY") return Disposition::Busy;
    if (cause == "NO_ANSWER" || cause == "NO_USER_RESPONSE" || cause == "ORIGINATOR_CANCEL") {
        return Disposition::NoAnswer;
    }
    return Disposition::Failed;
}

std::optional<RowError> check_call_record(const CallRecord& r, const std::string& file) {
    if (trim_blanks(r.destination).empty()) {
        return RowError{file, r.line, "destination", "the CDR has no destination"};
    }
    if (r.end < r.start) {
        return RowError{file, r.line, "end", "the call ends before it starts"};
    }
    if (r.billsec > r.duration_s) {
        return RowError{file, r.line, "billsec",
                        "billsec " + std::to_string(r.billsec) + " is greater than duration " +
                            std::to_string(r.duration_s)};
    }
    return std::nullopt;
}

Result<CdrFormat> detect_cdr_format(std::string_view text) {
    std::size_t i = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) {
        ++i;
    }
    if (i < text.size() && (text[i] == '{' || text[i] == '[')) {
        // The batch's top-level key; FreeSWITCH documents have none named so.
        const auto head = text.substr(i, 4096);
        if (head.find("\"cdrs\"") != std::string_view::npos) return CdrFormat::Json;
        return CdrFormat::FreeswitchJson;
    }
    CsvOptions options;
    options.separator = ',';
    options.comments = false;
    const auto table = read_csv(text.substr(0, 64 * 1024), options);
    if (!table.rows.empty()) {
        const auto n = table.rows.front().fields.size();
        if (n == 18 || n == 21) return CdrFormat::Asterisk;
        if (n == 15) return CdrFormat::FreeswitchCsv;
    }
    return fail(Errc::Invalid, "format",
                "the file is neither JSON nor CSV with 18 or 21 (Asterisk) or 15 (FreeSWITCH) "
                "columns");
}

Result<Parsed<CallRecord>> parse_asterisk_csv(std::string_view text,
                                              const CdrParseOptions& options) {
    CsvOptions csv;
    csv.separator = ',';
    csv.comments = false;
    csv.decimal_comma = false;
    const auto table = read_csv(text, csv);
    Parsed<CallRecord> out;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const auto& row = table.rows[i];
        const auto& f = row.fields;
        if (i == 0 && trim_blanks(f[0]) == "accountcode") continue;
        ++out.lines_read;
        if (f.size() != 18 && f.size() != 21) {
            out.errors.push_back(RowError{options.file_name, row.line, "",
                                          "the row has " + std::to_string(f.size()) +
                                              " columns; Asterisk cdr_csv has 18 or 21"});
            continue;
        }
        CallRecord r;
        r.source = CdrSource::Asterisk;
        r.line = row.line;
        r.accountcode = f[0];
        r.caller = f[1];
        r.destination = f[2];
        r.context = f[3];
        r.caller_name = clid_name(f[4]);
        r.channel = f[5];
        r.dst_channel = f[6];
        r.hangup_cause = f[14];
        r.disposition = asterisk_disposition(f[14]);
        r.uniqueid = f[16];
        if (auto e = read_times(r, {f[9], f[10], f[11], f[12], f[13]}, options, row.line)) {
            out.errors.push_back(std::move(*e));
            continue;
        }
        if (f.size() == 21) {
            r.linkedid = f[19];
            const auto sequence = parse_seconds(f[20]);
            if (!sequence) {
                out.errors.push_back(RowError{options.file_name, row.line, "sequence",
                                              "'" + f[20] + "' is not a whole number"});
                continue;
            }
            r.sequence = *sequence;
            r.switch_key = r.uniqueid + "/" + std::to_string(r.sequence);
        } else {
            r.switch_key = r.uniqueid + "/" + r.dst_channel + "/" + std::string(trim_blanks(f[9]));
        }
        if (trim_blanks(r.uniqueid).empty()) {
            out.errors.push_back(
                RowError{options.file_name, row.line, "uniqueid", "the CDR has no uniqueid"});
            continue;
        }
        if (auto e = check_call_record(r, options.file_name)) {
            out.errors.push_back(std::move(*e));
            continue;
        }
        out.rows.push_back(std::move(r));
    }
    return out;
}

Result<Parsed<CallRecord>> parse_freeswitch_csv(std::string_view text,
                                                const CdrParseOptions& options) {
    CsvOptions csv;
    csv.separator = ',';
    csv.comments = false;
    csv.decimal_comma = false;
    const auto table = read_csv(text, csv);
    Parsed<CallRecord> out;
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
        const auto& row = table.rows[i];
        const auto& f = row.fields;
        if (i == 0 && trim_blanks(f[0]) == "caller_id_name") continue;
        ++out.lines_read;
        if (f.size() != 15) {
            out.errors.push_back(RowError{options.file_name, row.line, "",
                                          "the row has " + std::to_string(f.size()) +
                                              " columns; the FreeSWITCH default template has 15"});
            continue;
        }
        CallRecord r;
        r.source = CdrSource::FreeswitchCsv;
        r.line = row.line;
        r.caller_name = f[0];
        r.caller = f[1];
        r.destination = f[2];
        r.context = f[3];
        r.hangup_cause = f[9];
        r.switch_key = std::string(trim_blanks(f[10]));
        r.accountcode = f[12];
        r.codec = f[13];
        if (auto e = read_times(r, {f[4], f[5], f[6], f[7], f[8]}, options, row.line)) {
            out.errors.push_back(std::move(*e));
            continue;
        }
        r.disposition = disposition_of_hangup_cause(trim_blanks(f[9]), r.billsec);
        if (r.switch_key.empty()) {
            out.errors.push_back(
                RowError{options.file_name, row.line, "uuid", "the CDR has no uuid"});
            continue;
        }
        if (auto e = check_call_record(r, options.file_name)) {
            out.errors.push_back(std::move(*e));
            continue;
        }
        out.rows.push_back(std::move(r));
    }
    return out;
}

}  // namespace switchyard::core::voice
