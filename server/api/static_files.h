// The web inbox page (clients/web/, docs/web.md), served from bytes compiled into the binary so
// `duban serve` needs no files beside it and works offline. GET / answers index.html and
// GET /app/<file> the page's scripts, styles and icon; nothing else is served from here.
//
// The bytes come from a .cpp that clients/web/web_assets.cmake generates at build time from the
// files under clients/web/ (index.html and app/*).
//
// Thread-safety: reentrant; the asset table is immutable.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "server/api/api_types.h"
#include "server/api/target.h"

namespace duban::server {

// One embedded file: its URL path ("/index.html", "/app/main.js"), its bytes, and its entity
// tag (32 hex digits of its SHA-256, computed at build time).
struct WebAsset {
  std::string_view path;
  std::string_view bytes;
  std::string_view etag;
};

// Every embedded file, defined in the generated web_assets.cpp.
std::span<const WebAsset> web_assets();

// Whether an Accept-Encoding header value accepts gzip (listed, or `*`, with a q above zero).
bool accepts_gzip(std::string_view accept_encoding);

// The Content-Type of `path` by its extension (UTF-8 for text); application/octet-stream when
// the extension is unknown.
std::string_view content_type_of(std::string_view path);

// The response for a page request: `/` (index.html) or `/app/...`. nullopt when `target` is not
// a page path (the caller routes it to the API); a 404 or 405 response when it is one but the
// file is missing or the method is neither GET nor HEAD. Files go gzipped to clients that accept
// it (compressed once, on first use), with a strong ETag per encoding; a request whose
// If-None-Match names the current tag gets 304 and no body.
std::optional<ApiResponse> serve_static(const ApiRequest& request, const Target& target);

}  // namespace duban::server
