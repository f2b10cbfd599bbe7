#pragma once
/// A call detail record as a switch wrote it, normalised from any of the input formats
/// (Asterisk `cdr_csv`, FreeSWITCH `mod_cdr_csv` and `mod_json_cdr`, the JSON batch API). It is
/// the input of CDR ingestion; the rated CDR event carries it with its buy and sell costs.
///
/// Times are UTC (local switch times are converted with the import's timezone); durations are
/// whole seconds: `duration_s` from start to end, `billsec` from answer to end (Asterisk and
/// FreeSWITCH spell it `billsec`).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace switchyard::core::voice {

/// Where a record came from. Wire names `asterisk`, `freeswitch-csv`, `freeswitch-json`,
/// `json`, `kamailio`.
enum class CdrSource { Asterisk, FreeswitchCsv, FreeswitchJson, Json, Kamailio };

/// The normalised disposition of a call. Wire names `answered`, `no_answer`, `busy`, `failed`,
/// `congestion` (Asterisk's ANSWERED/NO ANSWER/BUSY/FAILED/CONGESTION; FreeSWITCH hangup causes
/// map onto them: NORMAL_CLEARING with billsec > 0 is answered, USER_BUSY busy, NO_ANSWER and
/// NO_USER_RESPONSE and ORIGINATOR_CANCEL no_answer, anything else failed).
enum class Disposition { Answered, NoAnswer, Busy, Failed, Congestion };

/// One call leg as the switch recorded it.
struct CallRecord {
    CdrSource source = CdrSource::Json;
    /// What identifies the record at its switch, the idempotency key of ingestion. FreeSWITCH:
    /// the call `uuid`. Asterisk writes one CDR per dial attempt and several share a uniqueid:
    /// `uniqueid` + `/` + `sequence` (the newcdrcolumns layout), else uniqueid + `/` +
    /// dstchannel + `/` + start time. JSON batch: the caller's `id`.
    std::string switch_key;
    std::string switch_name;  ///< FreeSWITCH `switchname`/core-uuid host; may be empty.
    std::string accountcode;
    std::string caller;       ///< A-number as sent (Asterisk `src`, FreeSWITCH caller_id_number).
    std::string caller_name;  ///< Bytes as sent, possibly cut mid-UTF-8; never trusted as text.
    std::string destination;  ///< B-number as dialled (Asterisk `dst`), before normalisation.
    std::string context;
    std::string channel, dst_channel;  ///< Asterisk channels (trunk names are read from them).
    std::string source_ip;             ///< Signalling source address where the format has one.
    std::string trunk;                 ///< Trunk / gateway name where the format has one.
    Timestamp start;
    std::optional<Timestamp> answer;
    Timestamp end;
    std::int64_t duration_s = 0;
    std::int64_t billsec = 0;
    Disposition disposition = Disposition::Failed;
    std::string hangup_cause;  ///< As sent: Asterisk disposition text, FreeSWITCH hangup_cause.
    std::string uniqueid, linkedid;
    std::int64_t sequence = -1;  ///< Asterisk newcdrcolumns `sequence`; -1 when absent.
    std::string codec;           ///< FreeSWITCH read_codec; may be empty.
    std::int64_t line = 0;       ///< 1-based line (or record number) in its file.
    friend bool operator==(const CallRecord&, const CallRecord&) = default;
};

/// Makes every text field of `r` valid UTF-8: a field that is not is read as Latin-1 (each
/// byte one code point). Switches write caller names cut mid-character; the log is JSON and
/// holds UTF-8 only. CDR ingestion applies it to every record.
void to_valid_utf8(CallRecord& r);

const char* to_string(CdrSource s) noexcept;
const char* to_string(Disposition d) noexcept;
/// Parses the wire names above; false on anything else.
bool parse_cdr_source(std::string_view text, CdrSource& out) noexcept;
bool parse_disposition(std::string_view text, Disposition& out) noexcept;

}  // namespace switchyard::core::voice
