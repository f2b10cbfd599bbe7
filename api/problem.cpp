#include "api/problem.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

namespace switchyard::api {

using core::Errc;

int http_status(Errc code) noexcept {
    switch (code) {
        case Errc::Invalid:
            return 400;
        case Errc::Unauthorized:
            return 401;
        case Errc::Forbidden:
            return 403;
        case Errc::NotFound:
            return 404;
        case Errc::Conflict:
            return 409;
        case Errc::Rejected:
            return 422;
        case Errc::Timeout:
            return 504;
        case Errc::TooMany:
            return 429;
        case Errc::UnsupportedMediaType:
            return 415;
        case Errc::Unavailable:
            return 503;
        case Errc::Internal:
            return 500;
    }
    return 500;
}

namespace {
const char* title(Errc code) {
    switch (code) {
        case Errc::Invalid:
            return "Invalid request";
        case Errc::Unauthorized:
            return "Authentication required";
        case Errc::Forbidden:
            return "Forbidden";
        case Errc::NotFound:
            return "Not found";
        case Errc::Conflict:
            return "Conflict";
        case Errc::Rejected:
            return "Rejected by a business rule";
        case Errc::Timeout:
            return "Timed out";
        case Errc::TooMany:
            return "Too many requests";
        case Errc::UnsupportedMediaType:
            return "Unsupported media type";
        case Errc::Unavailable:
            return "Unavailable";
        case Errc::Internal:
            return "Internal error";
    }
    return "Internal error";
}

boost::json::object problem_object(int status, const std::string& type, const std::string& title,
                                   const std::string& field, const std::string& message) {
    boost::json::object o{{"type", "https://switchyard.dev/problems/" + type},
                          {"title", title},
                          {"status", status},
                          {"detail", field.empty() ? message : field + ": " + message}};
    if (!field.empty()) o["field"] = field;
    return o;
}

HttpResponse problem_response(int status, const boost::json::object& document) {
    HttpResponse r;
    r.status = status;
    r.content_type = "application/problem+json";
    r.body = boost::json::serialize(document);
    return r;
}

/// The problem document of an error (Internal errors logged and answered without detail).
boost::json::object error_object(const core::Error& error) {
    std::string detail = error.message;
    if (error.code == Errc::Internal) {
        spdlog::error("internal error: {}: {}", error.field, error.message);
        detail = "the server failed; the event log is unchanged";
    }
    return problem_object(http_status(error.code), core::to_string(error.code), title(error.code),
                          error.field, detail);
}

HttpResponse error_response(const core::Error& error, const boost::json::object& document) {
    auto r = problem_response(http_status(error.code), document);
    if (error.code == Errc::Unauthorized) r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
}

}  // namespace

HttpResponse protocol_problem(int status, const std::string& type, const std::string& title,
                              const std::string& field, const std::string& message) {
    return problem_response(status, problem_object(status, type, title, field, message));
}

HttpResponse problem(const core::Error& error) {
    return error_response(error, error_object(error));
}

HttpResponse problem(const core::Error& error, const boost::json::object& members) {
    auto doc = error_object(error);
    for (const auto& [key, value] : members) {
        if (!doc.contains(key)) doc.emplace(key, value);
    }
    return error_response(error, doc);
}

HttpResponse problem(Errc code, std::string field, std::string message) {
    return problem(core::Error{code, std::move(field), std::move(message)});
}

}  // namespace switchyard::api
