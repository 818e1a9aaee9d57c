// Evidence attachments over HTTP (docs/api.md, "Attachments"): the upload, the download, and
// what a command carrying attachment references needs before it runs. No Beast: the session
// (net/http_session.cpp) asks is_attachment_upload() to pick the route's body limit, starts an
// AttachmentUpload from the header and feeds it the body in pieces as they arrive, and writes a
// download's body (ApiResponse::stream) chunk by chunk. route() takes a whole body too (tests).
//
// Thread-safety: like route(): any number of threads with one ApiContext.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "model/result.h"
#include "model/task/attachment.h"
#include "server/api/api_types.h"
#include "server/api/router.h"

namespace duban::server {

// True for the path (no query) "/api/v1/tasks/<id>/attachments": the upload, whose body limit is
// ServerOptions::max_attachment_body.
bool is_attachment_upload(std::string_view path);

// One evidence upload whose body is read in pieces (POST /api/v1/tasks/{id}/attachments). The
// checks and the size limit apply as the bytes arrive (service::EvidenceUpload): the answer to
// an over-limit or disguised file comes before the rest of the body is read. Destroying an
// unfinished upload drops what was stored (a database call: do it on the worker pool).
// Not thread-safe: one caller at a time; every call blocks on the store (worker pool).
class AttachmentUpload {
 public:
  virtual ~AttachmentUpload() = default;
  // Takes the next piece of the body; an answer (413, 415, ...) ends the upload: send it and
  // close the connection, the rest of the body unread.
  virtual std::optional<ApiResponse> write(std::string_view piece) = 0;
  // The body ended: 201 with the reference, or an error.
  virtual ApiResponse finish() = 0;
};

// From the header of a POST to an is_attachment_upload() path (`header` has no body):
// authenticates (token or sign-in session), checks the task, the caller's access and the file
// name, and starts the upload; or returns the answer to send instead, the body unread. Counts
// the request in the metrics like route() (at the answer).
std::variant<ApiResponse, std::unique_ptr<AttachmentUpload>> start_attachment_upload(
    const ApiRequest& header, ApiContext& ctx);

// "attachment; filename=\"<ASCII fallback>\"; filename*=UTF-8''<%-encoded name>" (RFC 6266 and
// RFC 5987): a browser saves the file under its Chinese name, an old client under the fallback.
std::string content_disposition(std::string_view name);

// Fills in each reference's size and media type from the stored blob (a client cannot claim
// another type or size than the bytes have). Errors: invalid_command naming an attachment that
// was never uploaded; not_found when the server keeps no attachments.
Result<bool> resolve_attachments(task::Attachments& list, ApiContext& ctx);

}  // namespace duban::server
