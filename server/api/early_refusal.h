// refuse_before_body(): what the router decides from a request's header alone, before any body
// byte is read, so a client without a good token cannot make the server read (and hold) a body
// of up to 8 MiB. The session (net/http_session.cpp) calls it when a header announces a body.
//
// Thread-safety: like route(): any number of threads with one ApiContext.
#pragma once

#include <optional>

#include "server/api/api_types.h"
#include "server/api/router.h"

namespace duban::server {

// An /api/v1/ request without a known token is answered 401, and a unit's POST to the
// supervisor-only /api/v1/documents or /api/v1/sweep 403. Returns the answer to send (the
// session then closes the connection, the body unread), or nullopt: read the body and route()
// it. `header` has an empty body. Blocks on the token store like route(): run it on the worker
// pool.
std::optional<ApiResponse> refuse_before_body(const ApiRequest& header, ApiContext& context);

}  // namespace duban::server
