#pragma once
/// What report routes answer: a table of named columns, as JSON (`{"items":[{column: value}]}`)
/// or as CSV (RFC 4180: a header line, CRLF line ends, a cell with `,`, `"`, CR or LF quoted and
/// its quotes doubled; numbers and booleans as JSON writes them).

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "api/http_types.hpp"

namespace switchyard::api {

/// A report: column names and rows of values, one value per column.
struct ReportTable {
    std::vector<std::string> columns;
    std::vector<std::vector<boost::json::value>> rows;
};

/// The table as a 200 response: CSV (`text/csv; charset=utf-8`) when `csv`, else JSON.
HttpResponse table_response(const ReportTable& t, bool csv);

}  // namespace switchyard::api
