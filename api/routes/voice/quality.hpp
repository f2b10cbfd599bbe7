#pragma once
/// Route quality monitoring over HTTP (issue 14 item 6; events/voice/quality_service.hpp), for
/// the operator's admins (changes) and staff (reads):
///
/// - `/v1/voice/quality/rules`: list, `GET {id}`, `POST` (create), `PATCH {id}` (the fields the
///   body names), `DELETE {id}`. A body names the fields of `voice.quality.rule_created`
///   (schemas/events/voice/voice.quality.rule_created.v1.json). 400 names the field.
/// - `/v1/voice/quality/alerts`: list (`?status=open|acknowledged|resolved|active`),
///   `GET {id}`, `POST {id}/acknowledge` (404 unknown, 422 resolved).
/// - `GET /v1/voice/quality/figures?scope=carrier|route|destination&window_s=&window_calls=`:
///   ASR, NER, ACD, PDD and the short-call ratio of every key of the scope.

#include "api/api_context.hpp"
#include "api/router.hpp"
#include "events/voice/quality_service.hpp"

namespace switchyard::api {

/// What the quality routes work with. All references must outlive the router.
struct QualityApi {
    ApiContext& ctx;
    events::voice::QualityService& quality;
};

/// Adds the routes of the file comment (module `voice`).
void add_quality_routes(Router& router, QualityApi& api);

}  // namespace switchyard::api
