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
      {"too_many_cancellations", 409},  // ingest: service/gazette_ingest.h
      {api_errc::kTooLarge, 413},
      {api_errc::kUnsupportedMedia, 415},
      {"busy", 503},
      {"read_only", 503},
      {api_errc::kUnavailable, 503},
      {"too_many_connections", 503},  // net/listener.cpp: over a connection cap
      {"locked_out", 429},            // service/sessions.h: too many failed sign-ins
      {"rate_limited", 429},          // service/sessions.h: this address failed too often
  };
  for (const Row& r : kTable) {
    if (r.code == code) return r.status;
  }
  return 500;
}

namespace {

// `text` with every byte that does not start a well-formed UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    unsigned min = 0;
    if (b < 0x80) {
      out.push_back(text[i++]);
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3, min = 0x10000;
    }
    bool ok = n > 0 && i + n < text.size();
    unsigned cp = n == 1 ? (b & 0x1F) : n == 2 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; ok && k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) ok = false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if (ok && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) ok = false;
    if (ok) {
      out.append(text.substr(i, n + 1));
      i += n + 1;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace

ApiResponse error_response(const Error& error) {
  ApiResponse r;
  r.status = http_status(error.code);
  r.error_code = error.code;
  boost::json::object body;
  body["error"] = error.code;
  body["message"] = valid_utf8(error.message);
  r.body = boost::json::serialize(body);
  if (r.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"duban\"");
  return r;
}

}  // namespace duban::server
