// Sign-in over HTTP (docs/api.md, "Accounts, sessions and sign-in"): the /api/v1/session
// endpoints and the session-cookie half of authentication. Bearer tokens stay for machines;
// people sign in with a password and carry an HttpOnly, SameSite=Strict cookie.
//
//   POST   /api/v1/session   {"login": ..., "password": ...} → 200 + Set-Cookie (JSON only)
//   GET    /api/v1/session   who the cookie stands for
//   DELETE /api/v1/session   signs out: ends the session, clears the cookie
//   DELETE /api/v1/accounts/<login>/sessions   the supervisor ends someone's sessions
//
// CSRF: besides SameSite=Strict, a request authenticated by the cookie that changes state (any
// method but GET and HEAD) must be JSON (Content-Type application/json), which a cross-site
// form cannot send without a CORS preflight this server never grants.
//
// Thread-safety: as route().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/result.h"
#include "server/api/router.h"

namespace duban::server {

inline constexpr std::string_view kSessionCookie = "duban_session";

// The value of cookie `name` in a Cookie header; empty when absent.
std::string cookie_value(std::string_view cookie_header, std::string_view name);

// Handles /api/v1/session (any method); nullopt for any other target.
std::optional<ApiResponse> route_session(const ApiRequest& request,
                                         const std::vector<std::string>& segments, ApiContext& ctx);

// Handles /api/v1/tokens for an authenticated `principal` (the supervising office only):
//   GET    /api/v1/tokens          every token of the log (never secrets or hashes)
//   DELETE /api/v1/tokens/<id|name>   revokes it (TokenRevoked); {"reason": ...} optional
// nullopt for any other target.
std::optional<ApiResponse> route_tokens(const ApiRequest& request,
                                        const std::vector<std::string>& segments,
                                        const Principal& principal, ApiContext& ctx);

// The principal of a request that carries no Authorization header but a session cookie, and the
// name for logs ("account:<login>"). Errors: unauthorized (no, unknown or ended session),
// forbidden (a state-changing request that is not JSON: see CSRF above).
Result<Principal> authenticate_session(const ApiRequest& request, ApiContext& ctx,
                                       std::string& log_name);

// What a WebSocket connection authenticated with, kept for its lifetime so the server can
// re-check it (server.cpp, every ServerOptions::credential_recheck) and close the connection when
// the token is revoked or expires, the session ends or the account is disabled.
struct Credential {
  enum class Kind { kToken, kSession };
  Kind kind = Kind::kToken;
  std::string secret;  // the token text or the session cookie's value; never logged
  bool operator<(const Credential& o) const {
    return kind != o.kind ? kind < o.kind : secret < o.secret;
  }
};

// The principal and credential of a WebSocket upgrade: the Authorization header, else the
// ?token= query parameter, else the session cookie. Errors as authenticate().
Result<std::pair<Principal, Credential>> authenticate_upgrade(std::string_view authorization,
                                                              std::string_view query_token,
                                                              std::string_view cookie_header,
                                                              ApiContext& ctx);

// Whether `credential` still authenticates: the principal, or the reason it no longer does
// (unauthorized: revoked, expired, ended, account disabled).
Result<Principal> recheck(const Credential& credential, ApiContext& ctx);

}  // namespace duban::server
