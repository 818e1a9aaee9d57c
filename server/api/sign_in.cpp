#include "server/api/sign_in.h"

#include <boost/json.hpp>
#include <cctype>
#include <chrono>

#include "server/api/attachments.h"
#include "server/api/detail/handlers.h"
#include "server/api/error_status.h"
#include "server/api/json_render.h"
#include "service/token_service.h"

namespace duban::server {
namespace json = boost::json;

namespace {

bool is_json(std::string_view content_type) {
  constexpr std::string_view kJson = "application/json";
  return content_type.substr(0, kJson.size()) == kJson;
}

// An evidence upload (attachments.h) carries the file's bytes, not JSON. Cross-site forms can
// only send the three CORS-safelisted types; any other (the page sends
// application/octet-stream) makes a cross-site fetch ask first, which this server never allows.
bool is_cross_site_proof_upload(const ApiRequest& request) {
  const std::string_view target = request.target;
  if (!is_attachment_upload(target.substr(0, target.find('?')))) return false;
  std::string type(request.content_type.substr(0, request.content_type.find(';')));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return !type.empty() && type != "application/x-www-form-urlencoded" &&
         type != "multipart/form-data" && type != "text/plain";
}

std::string set_cookie(std::string_view value, std::chrono::milliseconds max_age) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
         std::to_string(std::chrono::duration_cast<std::chrono::seconds>(max_age).count());
}

json::object account_json(const account::AccountState& a) {
  json::array roles;
  for (account::Role r : a.roles) roles.emplace_back(account::role_name(r));
  return {{"account", a.id.str()},
          {"display_name", a.display_name},
          {"unit", a.is_office() ? json::value(nullptr) : json::value(a.unit.str())},
          {"roles", std::move(roles)}};
}

Error no_sessions() {
  return make_error("not_found", "this server does not sign people in (no account service)");
}

ApiResponse sign_in(const ApiRequest& request, ApiContext& ctx) {
  if (!is_json(request.content_type)) {
    return error_response(
        make_error(api_errc::kUnsupportedMedia,
                   "sign in with a JSON body: {\"login\": ..., \"password\": ...}"));
  }
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  const json::object* o = ec ? nullptr : body.if_object();
  const json::string* login = o && o->contains("login") ? o->at("login").if_string() : nullptr;
  const json::string* password =
      o && o->contains("password") ? o->at("password").if_string() : nullptr;
  if (!login || !password) {
    return error_response(make_error(api_errc::kBadRequest,
                                     "the body must be {\"login\": text, \"password\": text}"));
  }
  auto signed_in = ctx.sessions->sign_in(*login, *password, request.remote_address);
  if (!signed_in) {
    ApiResponse r = error_response(signed_in.error());
    r.principal = "account:" + std::string(login->data(), login->size());
    return r;
  }
  json::object out = account_json(signed_in->account);
  out["expires_at"] = iso_utc(signed_in->expires_at);
  ApiResponse r = detail::json_response(200, out);
  r.headers.emplace_back("Set-Cookie",
                         set_cookie(signed_in->secret, ctx.sessions->limits().absolute));
  r.headers.emplace_back("Cache-Control", "no-store");
  r.principal = "account:" + signed_in->account.id.str();
  return r;
}

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return {};
}

std::optional<ApiResponse> route_session(const ApiRequest& request,
                                         const std::vector<std::string>& s, ApiContext& ctx) {
  const std::string& m = request.method;
  const bool session = s.size() == 3 && s[0] == "api" && s[1] == "v1" && s[2] == "session";
  const bool end_sessions =
      s.size() == 5 && s[0] == "api" && s[1] == "v1" && s[2] == "accounts" && s[4] == "sessions";
  if (!session && !end_sessions) return std::nullopt;
  if (!ctx.sessions) return error_response(no_sessions());
  if (end_sessions) {
    // An administrator's action: the supervising office, by token or by an office session.
    if (m != "DELETE") {
      return error_response(
          make_error(api_errc::kMethodNotAllowed, m + " is not allowed here; use DELETE"));
    }
    std::string who;
    Result<Principal> principal = request.authorization.empty()
                                      ? authenticate_session(request, ctx, who)
                                      : authenticate(request.authorization, "", ctx);
    if (!principal) return error_response(principal.error());
    if (!principal->is_supervisor()) {
      return error_response(
          make_error("forbidden", "only the supervising office ends other people's sessions"));
    }
    const int ended = ctx.sessions->end_sessions_of(account::AccountId(s[3]));
    ApiResponse r = detail::json_response(200, json::object{{"account", s[3]}, {"ended", ended}});
    r.principal = who.empty() ? log_name(*principal) : who;
    return r;
  }
  if (m == "POST") return sign_in(request, ctx);
  const std::string secret = cookie_value(request.cookie, kSessionCookie);
  if (m == "GET") {
    auto a = ctx.sessions->resolve(secret);
    if (!a) return error_response(a.error());
    ApiResponse r = detail::json_response(200, account_json(*a));
    r.principal = "account:" + a->id.str();
    return r;
  }
  if (m == "DELETE") {
    const bool ended = ctx.sessions->sign_out(secret);
    ApiResponse r;
    r.status = 204;
    r.content_type = "application/json";
    r.headers.emplace_back("Set-Cookie", set_cookie("", std::chrono::milliseconds(0)));
    if (!ended) r.principal = "";
    return r;
  }
  return error_response(
      make_error(api_errc::kMethodNotAllowed, m + " is not allowed here; use POST, GET or DELETE"));
}

namespace {

// A signed-in person acts for their unit (or the office) as themselves: commands are decided
// with their roles and the events name them.
Principal principal_of(const account::AccountState& a) {
  service::AccountGrant g = service::grant_of_account(a);
  Principal p(std::move(g.grant));
  p.person = std::move(g.person);
  return p;
}

}  // namespace

Result<Principal> authenticate_session(const ApiRequest& request, ApiContext& ctx,
                                       std::string& log_name) {
  const std::string secret = cookie_value(request.cookie, kSessionCookie);
  if (secret.empty() || !ctx.sessions) {
    return make_error(api_errc::kUnauthorized,
                      "sign in (POST /api/v1/session) or send a bearer token: create one with "
                      "`duban token create`");
  }
  auto a = ctx.sessions->resolve(secret);
  if (!a) return a.error();
  log_name = "account:" + a->id.str();
  if (request.method != "GET" && request.method != "HEAD" && !is_json(request.content_type) &&
      !is_cross_site_proof_upload(request)) {
    return make_error("forbidden",
                      "a request signed in by cookie that changes anything must be JSON "
                      "(Content-Type: application/json): cross-site forms cannot send it");
  }
  return principal_of(*a);
}

namespace {

json::object token_json(const service::TokenInfo& t, Timestamp now) {
  return {{"id", t.id},
          {"name", t.name},
          {"scope", account::token_scope_name(t.scope)},
          {"unit", t.unit.empty() ? json::value(nullptr) : json::value(t.unit.str())},
          {"account", t.account.empty() ? json::value(nullptr) : json::value(t.account.str())},
          {"issued_at", t.legacy() ? json::value(nullptr) : json::value(iso_utc(t.issued_at))},
          {"expires_at",
           t.expires_at == Timestamp{} ? json::value(nullptr) : json::value(iso_utc(t.expires_at))},
          {"status", t.revoked        ? "revoked"
                     : t.expired(now) ? "expired"
                                      : "active"},
          {"revoked_at", t.revoked ? json::value(iso_utc(t.revoked_at)) : json::value(nullptr)},
          {"revoke_reason", t.revoke_reason}};
}

}  // namespace

namespace {

// The longest expiry a request may ask for: 10 years.
constexpr std::int64_t kMaxTokenDays = 3650;

// POST /api/v1/tokens: {"name", "scope"?, "unit"?, "account"?, "expires_in_days"?}. The office
// issues any token; a signed-in person (or their account token) only one scoped to their own
// account, which must expire. Answers 201 with the token as listed plus "token": the secret,
// shown this once.
ApiResponse issue_token(const ApiRequest& request, const Principal& principal, ApiContext& ctx) {
  boost::system::error_code ec;
  json::value body = json::parse(request.body, ec);
  const json::object* o = ec ? nullptr : body.if_object();
  if (!o) {
    return error_response(make_error(api_errc::kBadRequest,
                                     "the body must be {\"name\": text, \"scope\": \"office\" | "
                                     "\"unit\" | \"account\", \"unit\"?, \"account\"?, "
                                     "\"expires_in_days\"?: number | null}"));
  }
  auto text = [&](std::string_view key) -> std::optional<std::string> {
    auto it = o->find(key);
    if (it == o->end() || !it->value().is_string()) return std::nullopt;
    return std::string(it->value().as_string());
  };
  for (std::string_view key : {"name", "scope", "unit", "account"}) {
    if (o->contains(key) && !o->at(key).is_string()) {
      return error_response(
          make_error(api_errc::kBadRequest, "\"" + std::string(key) + "\" must be text"));
    }
  }
  const bool office = principal.is_supervisor();
  service::IssueToken r;
  r.name = text("name").value_or("");
  const std::string scope =
      text("scope").value_or(principal.person && !principal.is_supervisor() ? "account" : "");
  if (scope == "office") {
    r.scope = account::TokenScope::kOffice;
  } else if (scope == "unit") {
    r.scope = account::TokenScope::kUnit;
    r.unit = UnitId(text("unit").value_or(""));
    if (!r.unit.empty() && !ctx.units.by_id(r.unit.str())) {
      return error_response(make_error(
          "not_found", "no unit '" + r.unit.str() + "' in the directory (GET /api/v1/units)"));
    }
  } else if (scope == "account") {
    r.scope = account::TokenScope::kAccount;
    r.account = account::AccountId(
        text("account").value_or(principal.person ? principal.person->person.str() : ""));
  } else {
    return error_response(
        make_error(api_errc::kBadRequest, "\"scope\" must be \"office\", \"unit\" or \"account\""));
  }
  const Timestamp now = ctx.clock.now();
  r.expires_at = now + service::kDefaultTokenLifetime;
  if (auto it = o->find("expires_in_days"); it != o->end()) {
    if (it->value().is_null()) {
      r.expires_at = Timestamp{};
    } else if (!it->value().is_int64() || it->value().as_int64() < 1 ||
               it->value().as_int64() > kMaxTokenDays) {
      return error_response(make_error(api_errc::kBadRequest,
                                       "\"expires_in_days\" must be a number of days from 1 to " +
                                           std::to_string(kMaxTokenDays) + ", or null for never"));
    } else {
      r.expires_at = now + std::chrono::days(it->value().as_int64());
    }
  }
  if (!office && r.expires_at == Timestamp{}) {
    return error_response(
        make_error("forbidden", "only the supervising office issues tokens that never expire"));
  }
  auto issued = ctx.token_service->issue(r, actor_of(principal));
  if (!issued) return error_response(issued.error());
  json::object out = token_json(issued->info, now);
  out["token"] = issued->secret;
  ApiResponse response = detail::json_response(201, out);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

}  // namespace

std::optional<ApiResponse> route_tokens(const ApiRequest& request,
                                        const std::vector<std::string>& s,
                                        const Principal& principal, ApiContext& ctx) {
  if (s.size() < 3 || s.size() > 4 || s[2] != "tokens") return std::nullopt;
  if (!ctx.token_service) {
    return error_response(make_error("not_found", "this server keeps no API tokens in the log"));
  }
  const std::string& m = request.method;
  // A person issues tokens for themselves; everything else is the office's.
  if (s.size() == 3 && m == "POST" && (principal.is_supervisor() || principal.person)) {
    return issue_token(request, principal, ctx);
  }
  if (!principal.is_supervisor()) {
    return error_response(
        make_error("forbidden",
                   "only the supervising office manages tokens (a signed-in person may POST "
                   "/api/v1/tokens for a token of their own account)"));
  }
  const Timestamp now = ctx.clock.now();
  if (s.size() == 3) {
    if (m != "GET") {
      return error_response(
          make_error(api_errc::kMethodNotAllowed, m + " is not allowed here; use GET or POST"));
    }
    if (auto caught = ctx.token_service->refresh(); !caught) return error_response(caught.error());
    json::array out;
    for (const auto& t : ctx.token_service->tokens()) out.push_back(token_json(t, now));
    return detail::json_response(200, json::object{{"tokens", std::move(out)}});
  }
  if (m != "DELETE") {
    return error_response(
        make_error(api_errc::kMethodNotAllowed, m + " is not allowed here; use DELETE"));
  }
  std::string reason;
  if (!request.body.empty()) {
    boost::system::error_code ec;
    json::value body = json::parse(request.body, ec);
    const json::object* o = ec ? nullptr : body.if_object();
    const json::string* r = o && o->contains("reason") ? o->at("reason").if_string() : nullptr;
    if (!o || (o->contains("reason") && !r)) {
      return error_response(
          make_error(api_errc::kBadRequest, "the body must be empty or {\"reason\": text}"));
    }
    if (r) reason = std::string(r->data(), r->size());
  }
  auto revoked = ctx.token_service->revoke(s[3], reason, actor_of(principal));
  if (!revoked) return error_response(revoked.error());
  return detail::json_response(200, token_json(*revoked, now));
}

Result<std::pair<Principal, Credential>> authenticate_upgrade(std::string_view authorization,
                                                              std::string_view query_token,
                                                              std::string_view cookie_header,
                                                              ApiContext& ctx) {
  const std::string session = cookie_value(cookie_header, kSessionCookie);
  if (authorization.empty() && query_token.empty() && !session.empty() && ctx.sessions) {
    auto a = ctx.sessions->resolve(session);
    if (!a) return a.error();
    return std::pair{principal_of(*a), Credential{Credential::Kind::kSession, session}};
  }
  auto principal = authenticate(authorization, query_token, ctx);
  if (!principal) return principal.error();
  std::string_view token = query_token;
  if (!authorization.empty()) token = authorization.substr(7);  // after "Bearer ", checked above
  return std::pair{*principal, Credential{Credential::Kind::kToken, std::string(token)}};
}

Result<Principal> recheck(const Credential& credential, ApiContext& ctx) {
  if (credential.kind == Credential::Kind::kSession) {
    if (!ctx.sessions) return make_error(api_errc::kUnauthorized, "the session ended");
    auto a = ctx.sessions->check(credential.secret);
    if (!a) return a.error();
    return principal_of(*a);
  }
  return authenticate("", credential.secret, ctx);
}

}  // namespace duban::server
