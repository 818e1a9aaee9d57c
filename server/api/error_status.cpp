#include "server/api/error_status.h"

#include <boost/json.hpp>

#include "model/task/error_codes.h"

namespace duban::server {

int http_status(std::string_view code) {
  struct Row {
    std::string_view code;
    int status;
  };
  static constexpr Row kTable[] = {
      {api_errc::kBadRequest, 400},
      {task::errc::kInvalidCommand, 400},
      {"invalid_argument", 400},
      {"bad_time", 400},
      {"empty", 400},     // gazette reader: no text
      {"binary", 400},    // gazette reader: NUL bytes
      {"not_utf8", 400},  // gazette reader
      {api_errc::kUnauthorized, 401},
      {task::errc::kForbidden, 403},
      {task::errc::kNotFound, 404},
      {api_errc::kMethodNotAllowed, 405},
      {"version_conflict", 409},
      {task::errc::kIllegalTransition, 409},
      {task::errc::kAlreadyExists, 409},
      {"command_id_reused", 409},
      {api_errc::kTooLarge, 413},
      {api_errc::kUnsupportedMedia, 415},
      {"busy", 503},
      {"read_only", 503},
      {api_errc::kUnavailable, 503},
  };
  for (const Row& r : kTable) {
    if (r.code == code) return r.status;
  }
  return 500;
}

ApiResponse error_response(const Error& error) {
  ApiResponse r;
  r.status = http_status(error.code);
  r.error_code = error.code;
  boost::json::object body;
  body["error"] = error.code;
  body["message"] = error.message;
  r.body = boost::json::serialize(body);
  if (r.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"duban\"");
  return r;
}

}  // namespace duban::server
