#pragma once
/// The OpenAPI 3.1 document of the HTTP API, generated from the router's routes (routes are
/// data: method, pattern, roles, summary, module), so that it cannot drift from the code.
/// `switchyard openapi` prints it; schemas/openapi.json is the committed copy and the ctest
/// `openapi:matches_router` fails when the two differ.

#include <string>

#include "api/router.hpp"

namespace switchyard::app {

/// The document for `router`'s routes, as pretty-printed JSON with sorted paths (stable
/// output). Per operation: `summary`, `tags` (the module), path parameters from `{name}`
/// segments, `security` (bearer API key or session token; none for public routes),
/// `x-roles` (who may call it) and `x-session-only`, a request body for POST, PUT and PATCH,
/// and the RFC 9457 problem answer as the default response. HEAD is GET without a body and is
/// not listed.
std::string openapi_document(const api::Router& router);

/// Builds the router of every module (app/modules) on a memory log and temporary read models,
/// as `serve` would, and returns its document.
/// @errors a module that fails to start.
core::Result<std::string> openapi_of_modules();

}  // namespace switchyard::app
