#pragma once
/// `switchyard import deck PATH... --format cdrtool|cgrates|csv [--mapping FILE] --name NAME
/// [--carrier ID] [--currency EUR] [--effective-from T] [--partial] --server URL [--data-dir
/// DIR]`: reads a rate deck's files and imports them through `POST /v1/voice/decks/imports`
/// (api/routes/voice/decks.cpp) of a running server, with the admin API key of `--data-dir`
/// (DIR/admin.key) or `$SWITCHYARD_API_KEY`.

#include <string>
#include <vector>

#include "app/modules/module.hpp"
#include "core/result.hpp"

namespace switchyard::app {

/// The options of `import deck`.
struct DeckImportOptions {
    /// Files, or folders whose `*.csv` files are read (a CGRateS plan folder; the CDRTool deck's
    /// folder or its four files).
    std::vector<std::string> paths;
    std::string format;    ///< `cdrtool`, `cgrates` or `csv`.
    std::string mapping;   ///< `csv`: the TOML column mapping file (events/voice/column_mapping).
    std::string name;      ///< The deck's name: found by it, or created with it.
    std::string carrier;   ///< A carrier id: the deck is that carrier's buy deck; else a sell card.
    std::string currency;  ///< ISO 4217; default the carrier's (server side).
    std::string effective_from;  ///< RFC 3339; default the time of the import.
    std::string tenant;          ///< `cgrates`: keep only this tenant's rating profiles.
    bool partial = false;        ///< Import the accepted rows when some are refused.
    std::string server;          ///< Base URL, e.g. `http://127.0.0.1:8080`.
    std::string data_dir;        ///< Where admin.key is.
};

/// Adds `deck` under the `import` subcommand of `app` (created when no module added it yet).
void add_import_deck_command(CLI::App& app, std::vector<Subcommand>& out);

/// The JSON body of the import request: the files (as `content_base64`, so any bytes travel)
/// and the options. Prints `read <file>: <n> bytes` per file to stderr.
/// @errors Invalid naming the path that cannot be read, `paths` when a folder holds no `.csv`
///         file, `mapping` when a csv import has no mapping, the mapping file's errors.
core::Result<std::string> deck_import_body(const DeckImportOptions& options);

/// Runs `import deck`: the server's report on stdout as JSON, progress and refused rows
/// (`file:line: field: reason`) on stderr. @returns 0 when the import succeeded (HTTP 200 or
/// 201), else 1.
int run_import_deck(const DeckImportOptions& options);

}  // namespace switchyard::app
