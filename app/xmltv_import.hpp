#pragma once
/// `switchyard import xmltv FILE|URL... --server URL [--source NAME] [--priority N]`: posts each
/// XMLTV guide to POST /v1/iptv/epg/imports of a running server.

#include <cstdint>
#include <string>
#include <vector>

namespace switchyard::app {

struct XmltvImportOptions {
    std::vector<std::string> guides;  ///< Files or http(s) URLs; `.gz` files are sent as they are.
    std::string server;
    std::string data_dir;
    std::string source;  ///< Default: each guide's file name up to its first dot.
    std::int64_t priority = 0;
};

/// Fetches each URL (libcurl, redirects followed, gzip accepted) or reads each file, posts it,
/// reports progress on stderr (channels, programmes, mapped, unmapped) and the reports as JSON
/// on stdout. @returns 0, or 1 when a guide cannot be read or a request fails.
int run_import_xmltv(const XmltvImportOptions& options);

/// The default source name of a guide path or URL: its last path segment up to the first dot
/// (`https://x/guides/tvplus.com.tr.xml.gz` -> `tvplus`).
std::string default_guide_source(const std::string& guide);

}  // namespace switchyard::app
