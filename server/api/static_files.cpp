#include "server/api/static_files.h"

#include <algorithm>
#include <string>

#include "server/api/error_status.h"

namespace duban::server {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Headers every page response carries. The page must not load anything from elsewhere (servers
// run offline, and a token sits in its storage): the policy allows only this origin, and
// WebSockets back to it. No ETag support in the router yet, so browsers revalidate by
// refetching: the files are small and this keeps a new binary's page from mixing with an old
// cached one.
void add_page_headers(ApiResponse& r) {
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                         "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
}

}  // namespace

std::string_view content_type_of(std::string_view path) {
  if (ends_with(path, ".html")) return "text/html; charset=utf-8";
  if (ends_with(path, ".js") || ends_with(path, ".mjs")) return "text/javascript; charset=utf-8";
  if (ends_with(path, ".css")) return "text/css; charset=utf-8";
  if (ends_with(path, ".svg")) return "image/svg+xml; charset=utf-8";
  if (ends_with(path, ".json")) return "application/json; charset=utf-8";
  if (ends_with(path, ".png")) return "image/png";
  return "application/octet-stream";
}

std::optional<ApiResponse> serve_static(const ApiRequest& request, const Target& target) {
  const auto& s = target.segments;
  // parse_target splits "/" into no segments or one empty one; "/app/x" into {"app", "x"}.
  const bool root = s.empty() || (s.size() == 1 && s[0].empty());
  const bool app = s.size() >= 2 && s[0] == "app";
  if (!root && !app) return std::nullopt;
  if (request.method != "GET") {
    return error_response(
        make_error(api_errc::kMethodNotAllowed, request.method + " is not allowed here; use GET"));
  }
  std::string path = "/index.html";
  if (app) {
    path.clear();
    for (const auto& segment : s) {
      // Decoded segments could smuggle "/" or ".." back in: the table has no such names anyway,
      // but refuse them outright so a lookup can never mean a directory walk.
      if (segment.empty() || segment == "." || segment == ".." ||
          segment.find('/') != std::string::npos) {
        path.clear();
        break;
      }
      path += "/" + segment;
    }
  }
  const auto assets = web_assets();
  const auto it = std::find_if(assets.begin(), assets.end(),
                               [&](const WebAsset& a) { return !path.empty() && a.path == path; });
  if (it == assets.end()) {
    return error_response(make_error(
        "not_found", "no page file " + request.target.substr(0, request.target.find('?'))));
  }
  ApiResponse r;
  r.content_type = std::string(content_type_of(it->path));
  r.body = std::string(it->bytes);
  add_page_headers(r);
  return r;
}

}  // namespace duban::server
