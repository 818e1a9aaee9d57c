// The router's view of HTTP: a request and a response as plain values, so routing (router.h)
// and everything it calls compile without Beast, and tests can call route() directly. The
// session (net/http_session.cpp) converts to and from Beast messages.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace duban::server {

struct ApiRequest {
  std::string method;           // "GET", "POST", ... as received
  std::string target;           // path and query string, still percent-encoded
  std::string authorization;    // the Authorization header; empty when absent
  std::string content_type;     // the Content-Type header; empty when absent
  std::string body;             // already bounded by the session's body limit
  std::string cookie;           // the Cookie header (a sign-in session, sign_in.h); may be empty
  std::string remote_address;   // the client's IP address, for sign-in rate limits; may be empty
  std::string accept_encoding;  // the Accept-Encoding header (page files may come gzipped)
  std::string if_none_match;    // the If-None-Match header (page files answer 304 when current)
};

// A response body too large to hold (an attachment download): the session sends Content-Length
// `size`, then pulls the bytes on the worker pool, one chunk per next() call, writing each before
// it asks for the next. next() returns the next chunk, an empty string at the end, or nullopt
// when reading failed (the connection is then closed: the status is already sent).
struct StreamedBody {
  std::int64_t size = 0;
  std::function<std::optional<std::string>()> next;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";  // not sent when empty (a 304)
  std::string body;
  std::shared_ptr<StreamedBody> stream;                      // when set, the body (`body` is empty)
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (WWW-Authenticate)
  // For the request log and metrics, never sent: who asked ("supervisor", "unit:fgw", "" when
  // unauthenticated) and the error code when status >= 400.
  std::string principal;
  std::string error_code;
};

}  // namespace duban::server
