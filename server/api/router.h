// route(): the HTTP API as one free function from request to response. It authenticates the
// bearer token, checks what the principal may see or do, and calls the application layer
// (TaskService, ReadModel queries, the ingest path, the token store); sessions never touch
// storage themselves. docs/api.md documents every endpoint.
//
// route() blocks on the store (commands wait for their append to be durable), so the server runs
// it on its worker pool, never on an I/O thread.
//
// Thread-safety: route() may run concurrently on any number of threads with one ApiContext.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "model/gazette/units.h"
#include "model/result.h"
#include "model/task/actor.h"
#include "model/time.h"
#include "server/api/api_types.h"
#include "server/metrics.h"
#include "service/evidence.h"
#include "service/projections/views.h"
#include "service/sessions.h"
#include "service/task_service.h"
#include "service/token_service.h"
#include "service/unit_directory_log.h"
#include "storage/event_store.h"
#include "storage/notify_state_store.h"
#include "storage/token_store.h"

namespace duban::server {

// Who a request acts as: the grant of its bearer token (a machine: the office, or one unit), or
// a signed-in person, whose grant is their unit's (or the office's) and whose `person` is the
// actor naming them with their roles (account::actor_for()). Converts from a bare grant, so a
// machine token's principal is its grant as before.
struct Principal : storage::TokenGrant {
  Principal() = default;
  Principal(storage::TokenGrant grant)  // NOLINT(google-explicit-constructor): a machine
      : storage::TokenGrant(std::move(grant)) {}
  std::optional<task::Actor> person;  // set for a signed-in person
  bool operator==(const Principal&) const = default;
};

// The actor commands run as: the person when one signed in, else the grant's (a machine keeps
// every power of its kind).
task::Actor actor_of(const Principal& principal);

// "account:<login>" for a person, else the grant's text ("supervisor", "unit:<id>"): the name
// in the request log.
std::string log_name(const Principal& principal);

// Everything route() calls, borrowed; the server owns them and outlives every request.
struct ApiContext {
  service::TaskService& service;
  storage::EventStore& store;  // task histories (read_stream) only
  storage::TokenStore& tokens;
  const Clock& clock;
  const gazette::UnitDirectory& units;
  Metrics& metrics;
  double yellow_share = service::projections::kDefaultYellowShare;
  std::mutex& ingest_mutex;           // one ingest at a time
  const std::atomic<bool>& draining;  // set at shutdown: /healthz reports it
  // Sign-in and sessions (sign_in.h); nullptr: people cannot sign in, only tokens work.
  service::SessionManager* sessions = nullptr;
  // The text of `units`, recorded in the log by the ingest; nullptr: the built-in directory.
  const service::DirectoryText* units_text = nullptr;
  // API tokens as events (service/token_service.h): GET/DELETE /api/v1/tokens; nullptr: those
  // endpoints answer not_found. Usually also `tokens`.
  service::TokenService* token_service = nullptr;
  // The notifier's tables (`duban serve --notify`): GET /api/v1/notify/failures lists their
  // give-ups; nullptr: the notifier is off and the list is empty.
  storage::NotifyStateStore* notify_state = nullptr;
  // Evidence attachments (storage/blob_store.h): POST /api/v1/tasks/{id}/attachments and GET
  // /api/v1/attachments/{sha256}; nullptr: those endpoints answer not_found.
  storage::BlobStore* blobs = nullptr;
  // Size and type limits of an attachment (ServerOptions::max_attachment_body is the size).
  service::EvidenceLimits evidence = {};
};

ApiResponse route(const ApiRequest& request, ApiContext& context);

// The principal of an "Authorization: Bearer <token>" header value, or of `query_token` when
// the header is empty (browsers cannot set headers on a WebSocket). Error unauthorized when
// neither names a known token.
Result<Principal> authenticate(std::string_view authorization, std::string_view query_token,
                               storage::TokenStore& tokens);

// As above, with the context's token service when it has one, so a token scoped to an account
// acts as that person (service::grant_of_account()); else with `ctx.tokens`. What route() and
// the WebSocket upgrade use.
Result<Principal> authenticate(std::string_view authorization, std::string_view query_token,
                               ApiContext& ctx);

}  // namespace duban::server
