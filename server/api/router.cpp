#include "server/api/router.h"

#include <boost/json.hpp>

#include "server/api/detail/handlers.h"
#include "server/api/early_refusal.h"
#include "server/api/error_status.h"
#include "server/api/sign_in.h"
#include "server/api/static_files.h"
#include "server/api/target.h"

namespace duban::server {
namespace json = boost::json;
using detail::Call;

namespace detail {

ApiResponse json_response(int status, const json::value& body) {
  ApiResponse r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

}  // namespace detail

namespace {

Error method_not_allowed(std::string_view method, std::string_view allowed) {
  return make_error(api_errc::kMethodNotAllowed,
                    std::string(method) + " is not allowed here; use " + std::string(allowed));
}

Error no_such_endpoint(const ApiRequest& r) {
  return make_error("not_found", "no endpoint " + r.method + " " +
                                     r.target.substr(0, r.target.find('?')) +
                                     " (docs/api.md lists them)");
}

// The authenticated part of the API: /api/v1/...
ApiResponse route_api(const Call& call) {
  const auto& s = call.target.segments;  // s[0] == "api", s[1] == "v1"
  const std::string& m = call.request.method;
  const std::size_t n = s.size();
  auto only = [&](std::string_view method, auto&& handler) -> ApiResponse {
    if (m != method) return error_response(method_not_allowed(m, method));
    return handler();
  };
  // Queries answer from this node's read model. It first catches up with the store's head, so
  // an answer reflects every command acknowledged before the request arrived, on this node or
  // on any other sharing the log (one head() read when nothing is new).
  auto fresh = [&](auto&& handler) -> ApiResponse {
    if (auto caught = call.ctx.service.refresh(); !caught) return error_response(caught.error());
    return handler();
  };
  if (n == 3 && s[2] == "whoami") return only("GET", [&] { return detail::whoami(call); });
  if (n == 3 && s[2] == "units") return only("GET", [&] { return detail::list_units(call); });
  if (n == 4 && s[2] == "units") return only("GET", [&] { return detail::get_unit(call, s[3]); });
  if (n == 5 && s[2] == "units" && s[4] == "inbox") {
    return only("GET", [&] { return fresh([&] { return detail::get_inbox(call, s[3]); }); });
  }
  if (n == 5 && s[2] == "units" && s[4] == "sign-off") {
    if (m != "GET" && m != "POST") return error_response(method_not_allowed(m, "GET or POST"));
    return detail::sign_off_rule(call, s[3]);
  }
  if (n == 3 && s[2] == "tasks") {
    return only("POST", [&] { return detail::run_command(call, "create", ""); });
  }
  if (n == 4 && s[2] == "tasks") return only("GET", [&] { return detail::get_task(call, s[3]); });
  if (n == 5 && s[2] == "tasks" && s[4] == "attachments") {
    return only("POST", [&] { return detail::upload_attachment(call, s[3]); });
  }
  if (n == 4 && s[2] == "attachments") {
    // HEAD: the session sends GET's headers (Content-Length included) and no body.
    if (m != "GET" && m != "HEAD") return error_response(method_not_allowed(m, "GET"));
    return detail::download_attachment(call, s[3]);
  }
  if (n == 5 && s[2] == "tasks") {
    return only("POST", [&] { return detail::run_command(call, s[4], s[3]); });
  }
  if (n == 3 && s[2] == "documents") {
    if (m == "GET") return fresh([&] { return detail::list_documents(call); });
    if (m == "POST") return detail::ingest_document(call);
    return error_response(method_not_allowed(m, "GET or POST"));
  }
  if (n == 4 && s[2] == "documents") {
    return only("GET", [&] { return fresh([&] { return detail::get_document(call, s[3]); }); });
  }
  if (n == 5 && s[2] == "documents" && s[4] == "deadlines") {
    return only("POST", [&] { return detail::set_document_deadlines(call, s[3]); });
  }
  if (n == 5 && s[2] == "documents" && s[4] == "reporting-cycle") {
    return only("POST", [&] { return detail::set_document_cycles(call, s[3]); });
  }
  if (n == 3 && s[2] == "overdue") {
    return only("GET", [&] { return fresh([&] { return detail::list_overdue(call); }); });
  }
  if (n == 3 && s[2] == "report") {
    return only("GET", [&] { return fresh([&] { return detail::get_report(call); }); });
  }
  if (n == 3 && s[2] == "scorecards") {
    return only("GET", [&] { return fresh([&] { return detail::list_scorecards(call); }); });
  }
  if (n == 3 && s[2] == "sweep") return only("POST", [&] { return detail::run_sweep(call); });
  if (n == 4 && s[2] == "notify" && s[3] == "failures") {
    return only("GET", [&] { return detail::list_notify_failures(call); });
  }
  if (n == 3 && s[2] == "drafts") {
    return only("GET", [&] { return fresh([&] { return detail::list_drafts(call); }); });
  }
  if (n == 4 && s[2] == "drafts") {
    return only("GET", [&] { return detail::get_draft(call, s[3]); });
  }
  if (n == 5 && s[2] == "drafts" && s[4] == "corrections") {
    return only("POST", [&] { return detail::correct_draft(call, s[3]); });
  }
  if (n == 5 && s[2] == "drafts" && s[4] == "publish") {
    return only("POST", [&] { return detail::publish_draft(call, s[3]); });
  }
  if (n == 5 && s[2] == "drafts" && s[4] == "evidence") {
    return only("PUT", [&] { return detail::set_draft_evidence(call, s[3]); });
  }
  if (n == 3 && s[2] == "unit-names") {
    return only("POST", [&] { return detail::map_unit_name(call); });
  }
  return error_response(no_such_endpoint(call.request));
}

ApiResponse route_unchecked(const ApiRequest& request, ApiContext& ctx) {
  auto target = parse_target(request.target);
  if (!target) return error_response(target.error());
  const auto& s = target->segments;
  if (s.size() == 1 && s[0] == "healthz") {
    if (request.method != "GET") return error_response(method_not_allowed(request.method, "GET"));
    const bool draining = ctx.draining.load();
    const auto model = ctx.metrics.read_model_health();
    json::object body{{"status", draining       ? "draining"
                                 : model.failed ? "read_model_failed"
                                                : "ok"},
                      {"position", ctx.service.read_model().checkpoint().value()},
                      {"read_model_lag", model.lag}};
    if (model.failed) {
      body["error"] = json::object{{"code", model.code}, {"message", model.message}};
    }
    return detail::json_response(draining || model.failed ? 503 : 200, std::move(body));
  }
  if (s.size() == 1 && s[0] == "metrics") {
    if (request.method != "GET") return error_response(method_not_allowed(request.method, "GET"));
    ApiResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = ctx.metrics.render();
    return r;
  }
  // The web page (/ and /app/...) needs no token: it asks for one and sends it to the API.
  if (auto page = serve_static(request, *target)) return std::move(*page);
  if (s.size() < 3 || s[0] != "api" || s[1] != "v1")
    return error_response(no_such_endpoint(request));

  if (auto session = route_session(request, s, ctx)) return std::move(*session);
  // A bearer token when the request has one; otherwise a sign-in session's cookie.
  std::string who;
  auto principal = request.authorization.empty() && !request.cookie.empty()
                       ? authenticate_session(request, ctx, who)
                       : authenticate(request.authorization, "", ctx);
  if (!principal) {
    ApiResponse r = error_response(principal.error());
    r.principal = who;
    return r;
  }
  if (auto tokens = route_tokens(request, s, *principal, ctx)) {
    tokens->principal = who.empty() ? log_name(*principal) : who;
    return std::move(*tokens);
  }
  ApiResponse r = route_api(Call{request, *target, *principal, ctx});
  r.principal = who.empty() ? log_name(*principal) : who;
  return r;
}

}  // namespace

task::Actor actor_of(const Principal& p) {
  if (p.person) return *p.person;
  return p.is_supervisor() ? task::Actor::supervisor() : task::Actor::of_unit(p.unit);
}

std::string log_name(const Principal& p) {
  if (p.person) return "account:" + p.person->person.str();
  return storage::to_string(p);
}

namespace {

// The token of an "Authorization: Bearer <token>" header, else `query_token`.
Result<std::string_view> bearer_token(std::string_view authorization,
                                      std::string_view query_token) {
  std::string_view token = query_token;
  if (!authorization.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    if (authorization.size() <= kBearer.size() ||
        !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(),
                    [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
      return make_error(api_errc::kUnauthorized,
                        "the Authorization header must be 'Bearer <token>'");
    }
    token = authorization.substr(kBearer.size());
  }
  if (token.empty()) {
    return make_error(api_errc::kUnauthorized,
                      "a bearer token is required: create one with `duban token create`");
  }
  return token;
}

}  // namespace

Result<Principal> authenticate(std::string_view authorization, std::string_view query_token,
                               storage::TokenStore& tokens) {
  auto token = bearer_token(authorization, query_token);
  if (!token) return token.error();
  auto found = tokens.find(*token);
  if (!found) return found.error();
  if (!*found) {
    return make_error(api_errc::kUnauthorized,
                      "unknown token: create one with `duban token create --unit ID | "
                      "--supervisor`");
  }
  return Principal(**found);
}

Result<Principal> authenticate(std::string_view authorization, std::string_view query_token,
                               ApiContext& ctx) {
  if (!ctx.token_service) return authenticate(authorization, query_token, ctx.tokens);
  auto token = bearer_token(authorization, query_token);
  if (!token) return token.error();
  auto checked = ctx.token_service->check(*token);
  if (!checked) return checked.error();
  Principal p(std::move(checked->grant));
  p.person = std::move(checked->person);
  return p;
}

std::optional<ApiResponse> refuse_before_body(const ApiRequest& header, ApiContext& ctx) {
  try {
    auto target = parse_target(header.target);
    if (!target) return std::nullopt;  // route() answers it once the body is read
    const auto& s = target->segments;
    if (s.size() < 3 || s[0] != "api" || s[1] != "v1") return std::nullopt;
    if (s[2] == "session" || s[2] == "accounts") return std::nullopt;  // sign_in.h checks those
    std::string who;
    auto principal = header.authorization.empty() && !header.cookie.empty()
                         ? authenticate_session(header, ctx, who)
                         : authenticate(header.authorization, "", ctx);
    if (!principal) {
      ApiResponse r = error_response(principal.error());
      return r;
    }
    if (!principal->is_supervisor() && header.method == "POST" && s.size() == 3 &&
        (s[2] == "documents" || s[2] == "sweep")) {
      ApiResponse r =
          error_response(make_error("forbidden", "only the supervisor may POST /api/v1/" + s[2]));
      r.principal = storage::to_string(*principal);
      return r;
    }
    // An evidence upload (up to 50 MiB) from a unit not on the task: refused before a byte.
    if (!principal->is_supervisor() && header.method == "POST" && s.size() == 5 &&
        s[2] == "tasks" && s[4] == "attachments") {
      auto state = ctx.service.read_model().task(TaskId(s[3]));
      if (!state) {
        if (auto caught = ctx.service.refresh(); caught) {
          state = ctx.service.read_model().task(TaskId(s[3]));
        }
      }
      if (state && !state->is_assigned(principal->unit)) {
        ApiResponse r = error_response(make_error(
            "forbidden", "task '" + s[3] + "' is not assigned to " + principal->unit.str()));
        r.principal = storage::to_string(*principal);
        return r;
      }
    }
    return std::nullopt;
  } catch (const std::exception&) {
    return std::nullopt;  // route() reports it
  }
}

ApiResponse route(const ApiRequest& request, ApiContext& ctx) {
  ApiResponse r;
  try {
    r = route_unchecked(request, ctx);
  } catch (const std::exception& e) {
    // Only broken environments get here (out of memory, a failing disk): answer, do not crash.
    r = error_response(make_error(api_errc::kInternal, std::string("internal error: ") + e.what()));
  }
  ctx.metrics.count_request(r.status);
  return r;
}

}  // namespace duban::server
