// POST /v1/iptv/imports/m3u: a playlist into the catalogue (streams, and categories by
// group-title or country), answered with counts and the refused entries by line.
#include <boost/json.hpp>

#include "api/routes/iptv/iptv_support.hpp"
#include "core/iptv/epg_mapping.hpp"
#include "core/iptv/m3u.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::Errc;
using core::iptv::CategoryFrom;

namespace {

/// `?category_from=`: group-title (the default), country or none.
core::Result<CategoryFrom> category_from(const HttpRequest& r) {
    CategoryFrom from = CategoryFrom::GroupTitle;
    if (r.has_query("category_from") && !parse_category_from(r.query_param("category_from"), from))
        return core::fail(Errc::Invalid, "category_from", "must be group-title, country or none");
    return from;
}

/// POST /v1/iptv/imports/m3u?source=<name>&category_from= with the playlist as the body.
core::Result<HttpResponse> import_m3u(IptvApi& api, HttpRequest& r) {
    const auto& source = r.query_param("source");
    if (source.empty())
        return core::fail(Errc::Invalid, "source", "name the playlist source, e.g. ?source=us");
    const auto from = SY_TRY(category_from(r));
    std::vector<core::iptv::M3uProblem> invalid;
    auto cmd = make_import(core::iptv::parse_m3u(r.body), source, from, invalid);
    if (api.logo_directory) {
        // Streams without a logo of their own get their channel's from the iptv-org table.
        for (auto& e : cmd.entries) {
            if (e.fields.logo.empty())
                e.fields.logo = core::iptv::logo_for(*api.logo_directory, e.fields.tvg_id);
        }
    }
    json::array problems;
    for (const auto& p : invalid) problems.push_back({{"line", p.line}, {"reason", p.reason}});
    const auto entries = static_cast<std::int64_t>(cmd.entries.size() + invalid.size());
    if (cmd.entries.empty()) {
        // The counts go with the refusal, so that the caller sees why each entry was refused.
        return problem(
            core::Error{Errc::Rejected, "body", "the playlist has no usable #EXTINF entry"},
            {{"entries", entries},
             {"created", 0},
             {"unchanged", 0},
             {"invalid", std::move(problems)}});
    }
    auto o = SY_TRY(execute(api, r, cmd));
    return answer(200,
                  {{"source", source},
                   {"entries", entries},
                   {"created", o.summary ? o.summary->created : 0},
                   {"unchanged", o.summary ? o.summary->unchanged : 0},
                   {"invalid", std::move(problems)}},
                  o.positions);
}

}  // namespace

IptvRoutes import_routes() {
    return {
        {"POST", "/v1/iptv/imports/m3u", roles::admin, import_m3u,
         "Imports an M3U playlist (`source` names it; categories from `category_from`); answers "
         "the counts and the refused entries by line, 422 when no entry is usable."},
    };
}

}  // namespace switchyard::api::iptv
