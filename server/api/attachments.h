// Evidence attachments over HTTP (docs/api.md, "Attachments"): the upload, the download, and
// what a command carrying attachment references needs before it runs. No Beast: the session
// (net/http_session.cpp) only asks is_attachment_upload() to pick the route's body limit.
//
// Thread-safety: like route(): any number of threads with one ApiContext.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"
#include "model/task/attachment.h"
#include "server/api/api_types.h"
#include "server/api/router.h"

namespace duban::server {

// True for the path (no query) "/api/v1/tasks/<id>/attachments": the upload, whose body limit is
// ServerOptions::max_attachment_body.
bool is_attachment_upload(std::string_view path);

// "attachment; filename=\"<ASCII fallback>\"; filename*=UTF-8''<%-encoded name>" (RFC 6266 and
// RFC 5987): a browser saves the file under its Chinese name, an old client under the fallback.
std::string content_disposition(std::string_view name);

// Fills in each reference's size and media type from the stored blob (a client cannot claim
// another type or size than the bytes have). Errors: invalid_command naming an attachment that
// was never uploaded; not_found when the server keeps no attachments.
Result<bool> resolve_attachments(task::Attachments& list, ApiContext& ctx);

}  // namespace duban::server
