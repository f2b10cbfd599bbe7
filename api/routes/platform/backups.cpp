// GET /v1/admin/backups: the scheduled backups of this server.
#include "api/routes/platform/backups.hpp"

#include <boost/json.hpp>

#include "api/route_table.hpp"

namespace switchyard::api {

namespace {

core::Result<HttpResponse> list_backups(BackupsApi& api, HttpRequest&) {
    boost::json::object out;
    boost::json::array items;
    if (api.backup_dir.empty() || !api.list) {
        out["backup_dir"] = nullptr;
    } else {
        out["backup_dir"] = api.backup_dir;
        out["every_s"] = api.every_s;
        out["keep"] = api.keep;
        for (const auto& b : SY_TRY(api.list())) {
            boost::json::object o{{"name", b.name},          {"size_bytes", b.size_bytes},
                                  {"created", b.created},    {"digest", b.digest},
                                  {"log_head", b.log_head},  {"log_events", b.log_events},
                                  {"encrypted", b.encrypted}};
            if (!b.problem.empty()) o["problem"] = b.problem;
            items.push_back(std::move(o));
        }
    }
    out["backups"] = std::move(items);
    return json_response(200, boost::json::serialize(out));
}

}  // namespace

void add_backup_routes(Router& router, BackupsApi& api) {
    add_routes<BackupsApi>(router, api, "platform",
                           {
                               {"GET", "/v1/admin/backups", roles::admin, list_backups,
                                "Backups in the scheduled-backup directory, newest first: name, "
                                "size, created, digest and log head from each manifest."},
                           });
}

}  // namespace switchyard::api
