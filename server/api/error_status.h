// The one place an Error code becomes an HTTP status. Every Error that reaches the HTTP edge maps
// to exactly one status, and its body is {"error": code, "message": text} (docs/api.md lists the
// codes).
#pragma once

#include <string_view>

#include "model/result.h"
#include "server/api/api_types.h"

namespace duban::server {

// Codes the API itself raises (the domain's and the store's codes pass through unchanged).
namespace api_errc {
inline constexpr const char* kBadRequest = "bad_request";     // 400: malformed JSON, query
inline constexpr const char* kUnauthorized = "unauthorized";  // 401: no or unknown token
inline constexpr const char* kMethodNotAllowed = "method_not_allowed";  // 405
inline constexpr const char* kTooLarge = "payload_too_large";           // 413: body over the limit
inline constexpr const char* kUnsupportedMedia = "unsupported_media_type";  // 415
inline constexpr const char* kUnavailable = "shutting_down";                // 503: draining
inline constexpr const char* kInternal = "internal";                        // 500
}  // namespace api_errc

// 400 bad_request/invalid_command/invalid_argument/bad_time, 401 unauthorized, 403 forbidden,
// 404 not_found, 405 method_not_allowed, 409 version_conflict/illegal_transition/already_exists/
// command_id_reused, 413 payload_too_large, 415 unsupported_media_type, 503 busy/read_only/
// shutting_down, 500 anything else (io_error, corrupt, bad_payload, internal, ...).
int http_status(std::string_view code);

// A JSON error response with the status of error.code.
ApiResponse error_response(const Error& error);

}  // namespace duban::server
