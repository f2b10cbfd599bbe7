#pragma once
/// `switchyard import xtream DIR --server URL`: posts a folder of an Xtream Codes provider's
/// player_api.php answers to POST /v1/iptv/imports/xtream.

#include <string>

namespace switchyard::app {

struct XtreamImportOptions {
    std::string dir;       ///< Folder holding get_live_categories.json ... get_series.json.
    std::string server;    ///< Switchyard base URL, e.g. `http://127.0.0.1:8080`.
    std::string data_dir;  ///< Read the API key from DIR/admin.key (else $SWITCHYARD_API_KEY).
    std::string source;    ///< Source name; default: the folder's name.
    std::string provider_url, provider_username, provider_password;  ///< Override auth.json.
};

/// Reads the six answers of `dir` (required), `auth.json` and `get_series_info/<series_id>.json`
/// (optional), posts them as one body keyed by file name, prints the server's report (JSON) on
/// stdout and a summary on stderr. @returns 0 on HTTP 200, else 1.
int run_import_xtream(const XtreamImportOptions& options);

}  // namespace switchyard::app
