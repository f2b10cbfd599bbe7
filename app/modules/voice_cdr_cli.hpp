#pragma once
/// The voice module's CDR subcommands, clients of a running server:
/// - `switchyard import cdrs FILE... --format asterisk|freeswitch-csv|freeswitch-json|json|auto
///   [--utc-offset +03:00] [--partial] [--accountcode CODE] [--area-code DIGITS]
///   [--batch-lines N] --server URL
///   [--data-dir DIR]` posts each file to `POST /v1/voice/cdrs/imports` in batches of N lines
///   (5,000 by default; a CSV header line goes with every batch; JSON files go whole), prints a
///   progress line per batch on stderr (`[file] 45,000/1,000,000 CDRs, 12,345/s`) and the summed
///   report as JSON on stdout (line numbers of refused rows counted in the whole file). Exit 0
///   only when every batch was accepted (HTTP 200). A batch refused for a bad row appends
///   nothing, but the batches before it stay appended: run with --partial, or fix the file and
///   import it again (the CDRs already in are answered as duplicates).
/// - `switchyard rerate --from T --to T [--customer ID] [--deck ID] [--tariffs-at T] --server URL
///   [--data-dir DIR]` posts `POST /v1/voice/reratings` and prints its report (count, old and new
///   totals, delta per customer) as JSON on stdout.
/// The API key comes from SWITCHYARD_API_KEY or `<data dir>/admin.key`.

#include <string>
#include <vector>

#include "app/modules/module.hpp"

namespace switchyard::app {

/// Options of `import cdrs`.
struct CdrImportOptions {
    std::vector<std::string> files;
    std::string format = "auto";
    std::string utc_offset;
    bool partial = false;
    std::string accountcode;
    std::string area_code;
    std::size_t batch_lines = 5000;
    std::string server, data_dir;
};

/// Options of `rerate`.
struct RerateOptions {
    std::string from, to, customer, deck, tariffs_at;
    std::string server, data_dir;
};

/// Adds `import cdrs` (under the `import` subcommand, created when no other module has) and
/// `rerate` to `app`.
void add_voice_cdr_subcommands(CLI::App& app, std::vector<Subcommand>& out);

/// Runs `import cdrs`; returns the exit code.
int run_import_cdrs(const CdrImportOptions& options);
/// Runs `rerate`; returns the exit code.
int run_rerate(const RerateOptions& options);

/// The batches of a CDR file: each at most `lines` data lines, each starting with the file's
/// header line when it has one (an Asterisk `accountcode,...` or a FreeSWITCH
/// `caller_id_name,...` first line). Returns (first data line number, text) pairs; line
/// numbers count from 1 over the whole file, the header included.
std::vector<std::pair<std::int64_t, std::string>> cdr_batches(const std::string& text,
                                                              std::size_t lines);

}  // namespace switchyard::app
