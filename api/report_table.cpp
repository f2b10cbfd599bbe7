#include "api/report_table.hpp"

#include <boost/json.hpp>

#include "api/route_support.hpp"
#include "core/text.hpp"

namespace switchyard::api {

namespace {

namespace json = boost::json;

std::string csv_cell(const json::value& v) {
    if (!v.is_string()) return json::serialize(v);
    return core::csv_field(v.as_string());
}

}  // namespace

HttpResponse table_response(const ReportTable& t, bool csv) {
    if (csv) {
        HttpResponse out;
        out.content_type = "text/csv; charset=utf-8";
        for (std::size_t i = 0; i < t.columns.size(); ++i)
            out.body += (i ? "," : "") + t.columns[i];
        out.body += "\r\n";
        for (const auto& row : t.rows) {
            for (std::size_t i = 0; i < row.size(); ++i)
                out.body += (i ? "," : "") + csv_cell(row[i]);
            out.body += "\r\n";
        }
        return out;
    }
    json::array items;
    for (const auto& row : t.rows) {
        json::object o;
        for (std::size_t i = 0; i < row.size() && i < t.columns.size(); ++i)
            o[t.columns[i]] = row[i];
        items.push_back(std::move(o));
    }
    return json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
}

}  // namespace switchyard::api
