#include "server/api/static_files.h"

#include <zlib.h>

#include <algorithm>
#include <boost/algorithm/string/trim.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include "server/api/error_status.h"

namespace duban::server {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Headers every page response carries. The page must not load anything from elsewhere (servers
// run offline, and a token sits in its storage): the policy allows only this origin, and
// WebSockets back to it. "no-cache" makes browsers revalidate every file by its ETag (a 304
// costs a few hundred bytes), so a new binary's page never mixes with an old cached one.
void add_page_headers(ApiResponse& r) {
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                         "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
}

// `bytes` as a gzip member (RFC 1952) at zlib's best compression; empty if zlib fails.
std::string gzip(std::string_view bytes) {
  z_stream z{};
  // 15 + 16: the largest window, with a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const bool ok = deflate(&z, Z_FINISH) == Z_STREAM_END;
  out.resize(z.total_out);
  deflateEnd(&z);
  return ok ? out : std::string();
}

// The gzipped form of every asset, in the order of web_assets(); empty where gzip would not
// make the file smaller. Built once, on the first page request.
const std::vector<std::string>& gzipped_assets() {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t;
    for (const auto& a : web_assets()) {
      auto z = gzip(a.bytes);
      t.push_back(z.size() < a.bytes.size() ? std::move(z) : std::string());
    }
    return t;
  }();
  return table;
}

// Whether an If-None-Match value names `etag` (quoted, weak or strong, or `*`). RFC 9110 13.1.2
// compares weakly here.
bool names_etag(std::string_view if_none_match, std::string_view etag) {
  while (!if_none_match.empty()) {
    const auto comma = if_none_match.find(',');
    std::string item(if_none_match.substr(0, comma));
    boost::algorithm::trim(item);
    if (item == "*") return true;
    if (item.starts_with("W/")) item.erase(0, 2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding) {
  bool gzip_listed = false, gzip_ok = false, star_ok = false;
  while (!accept_encoding.empty()) {
    const auto comma = accept_encoding.find(',');
    std::string item(accept_encoding.substr(0, comma));
    std::string coding = item.substr(0, item.find(';'));
    boost::algorithm::trim(coding);
    double q = 1.0;
    if (const auto at = item.find("q="); at != std::string::npos && item.find(';') < at) {
      q = std::strtod(item.c_str() + at + 2, nullptr);
    }
    std::transform(coding.begin(), coding.end(), coding.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (coding == "gzip" || coding == "x-gzip") {
      gzip_listed = true;
      gzip_ok = q > 0;
    } else if (coding == "*") {
      star_ok = q > 0;
    }
    if (comma == std::string_view::npos) break;
    accept_encoding.remove_prefix(comma + 1);
  }
  return gzip_listed ? gzip_ok : star_ok;
}

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
  if (request.method != "GET" && request.method != "HEAD") {
    auto r = error_response(
        make_error(api_errc::kMethodNotAllowed, request.method + " is not allowed here; use GET"));
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
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
  const auto& zipped = gzipped_assets()[static_cast<std::size_t>(it - assets.begin())];
  const bool use_gzip = !zipped.empty() && accepts_gzip(request.accept_encoding);
  // Each encoding is its own representation, so each has its own strong tag.
  const std::string etag = "\"" + std::string(it->etag) + (use_gzip ? "-gzip" : "") + "\"";
  ApiResponse r;
  add_page_headers(r);
  r.headers.emplace_back("ETag", etag);
  if (names_etag(request.if_none_match, etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = std::string(content_type_of(it->path));
  if (use_gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  r.body = use_gzip ? zipped : std::string(it->bytes);
  return r;
}

}  // namespace duban::server
