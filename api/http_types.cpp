#include "api/http_types.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace switchyard::api {

namespace {
const std::string kEmpty;
}

const std::string& HttpRequest::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? kEmpty : it->second;
}

const std::string& HttpRequest::query_param(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? kEmpty : it->second;
}

bool parse_target(HttpRequest& request) {
    auto parsed = boost::urls::parse_origin_form(request.target);
    if (!parsed) return false;
    const auto& u = *parsed;
    request.path = u.path();
    request.query.clear();
    for (auto p : u.params()) request.query[std::string(p.key)] = std::string(p.value);
    return true;
}

HttpResponse json_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

}  // namespace switchyard::api
