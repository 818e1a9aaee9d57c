// Server: `duban serve` as a library. One Boost.Beast server on Boost.Asio serving the HTTP API
// (docs/api.md) and the WebSocket push (docs/protocol.md) on one port, the push dispatcher, the
// deadline sweep on a timer, /healthz and /metrics, and a graceful shutdown. The binary wires it
// in app/serve_command.cpp; tests run it in-process on an ephemeral port.
//
// Lifecycle: construct, start() (binds, starts the threads), then either wait() (blocks until
// SIGINT/SIGTERM or stop()) or stop() from another thread. Shutdown stops accepting, lets
// requests in flight finish (a command being read or run is answered), closes WebSockets with
// 1001 (going away) so clients resume elsewhere, and after ServerOptions::drain_timeout cuts
// what is left.
//
// Thread-safety: start() once; stop() and wait() from any thread, any number of times.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/gazette/units.h"
#include "model/result.h"
#include "model/time.h"
#include "server/metrics.h"
#include "server/server_options.h"
#include "service/sessions.h"
#include "service/task_service.h"
#include "service/token_service.h"
#include "service/unit_directory_log.h"
#include "storage/blob_store.h"
#include "storage/event_store.h"
#include "storage/notify_state_store.h"
#include "storage/token_store.h"

namespace duban::server {

// Borrowed; all must outlive the Server. `service` must run against `store`.
struct ServerDependencies {
  storage::EventStore& store;
  service::TaskService& service;
  storage::TokenStore& tokens;
  const Clock& clock;
  const gazette::UnitDirectory& units;
  // Sign-in sessions (service/sessions.h); nullptr: only bearer tokens authenticate.
  service::SessionManager* sessions = nullptr;
  // The text of `units`, which the HTTP ingest records in the log when it differs from the
  // log's (service/unit_directory_log.h); nullptr: `units` is the built-in directory.
  const service::DirectoryText* units_text = nullptr;
  // API tokens as events (service/token_service.h); nullptr: no /api/v1/tokens endpoints.
  service::TokenService* token_service = nullptr;
  // The notifier's tables (`duban serve --notify`); nullptr: GET /api/v1/notify/failures is
  // empty.
  storage::NotifyStateStore* notify_state = nullptr;
  // Evidence attachments beside the log (storage/blob_store.h); nullptr: the attachment
  // endpoints answer not_found.
  storage::BlobStore* blobs = nullptr;
};

class Server {
 public:
  Server(ServerOptions options, ServerDependencies deps);
  ~Server();  // stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Reads the log once (routing index), binds and starts serving. Returns the bound port.
  // Errors: listen_failed, or the store's error while reading the log.
  Result<std::uint16_t> start();

  // From now on SIGINT and SIGTERM shut the server down gracefully (once wait() is waiting:
  // one that arrives before is remembered). Call it before telling anyone the server is up, so
  // a signal sent at once is not the default handler's kill. wait() calls it too.
  void catch_signals();
  // Blocks until SIGINT or SIGTERM arrives (then shuts down gracefully) or stop() finished.
  void wait();
  // Graceful shutdown (see the top); returns when every thread has stopped. Idempotent.
  void stop();

  Metrics& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::server
