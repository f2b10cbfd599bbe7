#pragma once
/// CDRs written as JSON, read into normalised CallRecords (core/voice/call_record.hpp), and the
/// one entry point that reads a CDR file of any format (core/voice/cdr_formats.hpp for CSV).
///
/// - FreeSWITCH `mod_json_cdr`: one document per call (or an array of them). `variables.uuid`
///   is the switch_key; times from `variables.start_uepoch`/`answer_uepoch`/`end_uepoch`
///   (microseconds, UTC; else the `*_epoch` seconds; `0` = not answered); `duration`,
///   `billsec`, `hangup_cause`, `accountcode`, `read_codec`, `sip_network_ip` and
///   `sip_gateway_name` (trunk) from `variables`; caller, caller name, destination, context and
///   channel from the first `callflow` entry's `caller_profile` (else `variables`);
///   `switchname` from the top level.
/// - The JSON batch for switches: `{"cdrs":[{"id","accountcode","caller","destination",
///   "start","answer","end","billsec","disposition","source_ip","trunk"}...]}`, times RFC 3339,
///   `answer` optional, `billsec` a whole number (or its decimal text), `disposition` a wire
///   name of core::voice::Disposition (or Asterisk's upper-case words; default answered when
///   billsec > 0, else no_answer); duration = end - start. switch_key = `id`.
///
/// Records are numbered from 1 in `CallRecord::line` and in errors.

#include <string_view>

#include "core/result.hpp"
#include "core/voice/call_record.hpp"
#include "core/voice/cdr_formats.hpp"
#include "core/voice/import_report.hpp"

namespace switchyard::events::voice {

/// Reads a FreeSWITCH mod_json_cdr document (or an array of them).
/// @errors Invalid with field = the file name when the text is not JSON or not an object.
core::Result<core::voice::Parsed<core::voice::CallRecord>> parse_freeswitch_json(
    std::string_view text, const core::voice::CdrParseOptions& options);

/// Reads a JSON batch `{"cdrs":[...]}`; each refused record is a row error.
/// @errors Invalid with field = the file name when the text is not JSON or has no `cdrs` array.
core::Result<core::voice::Parsed<core::voice::CallRecord>> parse_json_batch(
    std::string_view text, const core::voice::CdrParseOptions& options);

/// Reads a CDR file in `format`; `Auto` detects it (core::voice::detect_cdr_format).
/// @errors Invalid with field `format` when auto detection fails; those of the parser chosen.
core::Result<core::voice::Parsed<core::voice::CallRecord>> parse_cdrs(
    std::string_view text, core::voice::CdrFormat format,
    const core::voice::CdrParseOptions& options);

}  // namespace switchyard::events::voice
