#pragma once
/// Call detail records as switches write them, read into normalised CallRecords
/// (core/voice/call_record.hpp): Asterisk `cdr_csv` and FreeSWITCH `mod_cdr_csv` here; the JSON
/// formats (FreeSWITCH `mod_json_cdr`, the JSON batch API) in events/voice/cdr_json.hpp, which
/// also dispatches on a format name or `auto`.
///
/// Rows are refused one by one with line and reason: a time that does not read, an end before
/// the start, a duration or billsec that is not a whole number of seconds >= 0, billsec greater
/// than duration, a missing destination, a wrong column count.

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/voice/call_record.hpp"
#include "core/voice/import_report.hpp"

namespace switchyard::core::voice {

/// An input format of CDRs. Wire names `auto`, `asterisk`, `freeswitch-csv`,
/// `freeswitch-json`, `json`.
enum class CdrFormat { Auto, Asterisk, FreeswitchCsv, FreeswitchJson, Json };

const char* to_string(CdrFormat f) noexcept;
/// Parses the wire names above; false on anything else.
bool parse_cdr_format(std::string_view text, CdrFormat& out) noexcept;

/// How to read a CDR file: its name (for errors) and the UTC offset of the switch's local
/// times (Asterisk and FreeSWITCH CSV write local `YYYY-MM-DD HH:MM:SS`). Default: UTC.
struct CdrParseOptions {
    std::string file_name;
    std::chrono::seconds utc_offset{0};
};

/// Reads a timezone given as a fixed UTC offset: `UTC`, `Z`, `+03:00`, `-0500`, `+3`.
/// IANA names (`Europe/Moscow`) are refused: libstdc++ 12 has no time zone database
/// (std::chrono::locate_zone); the caller resolves them to an offset.
/// @errors Invalid with field `timezone`.
Result<std::chrono::seconds> parse_utc_offset(std::string_view text);

/// Guesses the format of a CDR file from its first bytes: a JSON object with `"cdrs"` is the
/// JSON batch, another JSON object (or array) FreeSWITCH JSON; CSV with 18 or 21 columns
/// Asterisk, with 15 columns FreeSWITCH CSV.
/// @errors Invalid with field `format` when none fits.
Result<CdrFormat> detect_cdr_format(std::string_view text);

/// Asterisk `cdr_csv` Master.csv: the classic 18 columns (accountcode, src, dst, dcontext,
/// clid, channel, dstchannel, lastapp, lastdata, start, answer, end, duration, billsec,
/// disposition, amaflags, uniqueid, userfield) or 21 with `newcdrcolumns` (+ peeraccount,
/// linkedid, sequence), told apart per row by the column count; no header (a first row
/// starting `accountcode` is skipped). switch_key: `uniqueid/sequence` with 21 columns, else
/// `uniqueid/dstchannel/start` (start as written in the file). An empty answer is no answer.
/// @errors never at file level (the Result leaves room for it); rows are refused in `errors`.
Result<Parsed<CallRecord>> parse_asterisk_csv(std::string_view text,
                                              const CdrParseOptions& options);

/// FreeSWITCH `mod_cdr_csv` with the default ("example") template, 15 columns:
/// caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp,
/// end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode, read_codec,
/// write_codec. Times `YYYY-MM-DD HH:MM:SS`, also as a spreadsheet re-saves them
/// (`2020/2/10 22:41`: slashes, no padding, no seconds). switch_key = uuid. Disposition from
/// the hangup cause (call_record.hpp).
Result<Parsed<CallRecord>> parse_freeswitch_csv(std::string_view text,
                                                const CdrParseOptions& options);

/// Reads a local date-time `YYYY-MM-DD HH:MM:SS` (separators `-` or `/`, `T` or a blank,
/// one-digit fields, seconds optional) as UTC; none when it does not read.
std::optional<Timestamp> parse_cdr_time(std::string_view text);

/// The normalised disposition of a FreeSWITCH hangup cause (call_record.hpp).
Disposition disposition_of_hangup_cause(std::string_view cause, std::int64_t billsec);

/// Checks the fields every format shares (destination, end >= start, billsec <= duration);
/// returns the refusal as a RowError of `file` or none.
std::optional<RowError> check_call_record(const CallRecord& record, const std::string& file);

}  // namespace switchyard::core::voice
