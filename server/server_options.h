// ServerOptions: everything `duban serve` can be told, each with its default. `duban serve
// --help` shows the ones on the command line; tests shorten the timeouts and shrink the bounds.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "service/projections/views.h"

namespace duban::server {

struct ServerOptions {
  // Where to listen. Default 127.0.0.1:8080; port 0 picks a free port (Server::start returns it).
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;

  // Threads running the sockets (Asio io_context). Default 2.
  int io_threads = 2;
  // Threads running requests against the store (commands block until durable). Default 16:
  // concurrent commands share the store's group commit, so more callers means fewer fsyncs each.
  int workers = 16;

  // Body limits: every request's parser has one. Commands and queries: 64 KiB; POST
  // /api/v1/documents (a gazette text): 8 MiB. A larger body gets 413.
  std::size_t max_body = 64 * 1024;
  std::size_t max_ingest_body = 8 * 1024 * 1024;
  // POST /api/v1/tasks/{id}/attachments (one evidence file): the largest file accepted, 50 MiB.
  std::size_t max_attachment_body = 50 * 1024 * 1024;
  std::size_t max_header = 16 * 1024;
  // Open connections (HTTP and WebSocket) the server keeps at once, in all and from one remote
  // address; a connection past either is answered 503 and closed at once. Defaults 4096 and 256.
  std::size_t max_connections = 4096;
  std::size_t max_connections_per_address = 256;
  // Time to read one request (header and body) before the connection is closed. Default 30 s.
  std::chrono::milliseconds request_timeout{30000};

  // WebSocket: the handshake must finish within handshake_timeout; a connection from which
  // nothing (not even a pong to our pings, sent at half this) arrives for idle_timeout is
  // closed. Defaults 10 s and 60 s.
  std::chrono::milliseconds ws_handshake_timeout{10000};
  std::chrono::milliseconds ws_idle_timeout{60000};
  // Client messages above ws_max_message get an error message; above ws_hard_max_message the
  // connection is closed with 1009 (too big). Defaults 16 KiB and 1 MiB.
  std::size_t ws_max_message = 16 * 1024;
  std::size_t ws_hard_max_message = 1024 * 1024;
  // Event messages one connection may have queued; past this it stops taking events, and if
  // the dispatcher's ring moves on meanwhile it gets fell_behind and a replay from the store.
  // Default 1024.
  std::size_t ws_send_queue = 1024;
  // Bytes one connection may have queued, events and replies together (docs/protocol.md,
  // "Limits"): events stop being taken at the budget (as at ws_send_queue); a client message
  // whose reply leaves the queue over it pauses reading until the queue is back under it; a
  // connection paused for longer than ws_budget_grace is closed with 1008 (policy violation).
  // Defaults 4 MiB and 10 s.
  std::size_t ws_send_budget = 4 * 1024 * 1024;
  std::chrono::milliseconds ws_budget_grace{10000};
  // Pings answered per connection and second (a bucket of as many, refilled continuously);
  // others get an error rate_limited and no store read. Default 10.
  double ws_pings_per_second = 10;
  // Events the dispatcher keeps in memory (its ring) and reads per store page, and the bytes
  // the ring may hold (its messages in both wire formats; at least the newest event stays).
  // Defaults 16384, 512 and 64 MiB.
  std::size_t ring_capacity = 16384;
  std::size_t ring_max_bytes = 64 * 1024 * 1024;
  std::size_t page_size = 512;
  // How often quiet subscriptions get a checkpoint. Default 5 s.
  std::chrono::milliseconds checkpoint_interval{5000};
  // How often the server looks whether a token was revoked, an account changed or a session was
  // signed out or ended (counters of the token service and the session manager, fed by the push
  // dispatcher's reads of the log: no work per connection); when one did, the credential of
  // every open WebSocket connection is checked again and those that no longer hold are closed
  // with 1008. Default 250 ms.
  std::chrono::milliseconds credential_recheck{250};
  // Every open WebSocket connection's credential is checked again this often anyway: the
  // backstop for what no event announces (a token or session reaching its expiry). Default 5 s.
  std::chrono::milliseconds credential_backstop{5000};
  // SO_SNDBUF of accepted sockets in bytes; 0 keeps the system's default. Tests shrink it to
  // reach the slow-consumer path quickly.
  int socket_send_buffer = 0;

  // The deadline sweep runs this often inside the server; 0 turns it off. Default 60 s.
  std::chrono::milliseconds sweep_interval{60000};
  // The share of a task's window under which its light turns yellow. Default 0.2.
  double yellow_share = service::projections::kDefaultYellowShare;

  // At shutdown: how long in-flight requests and WebSocket closes may take before the
  // remaining connections are cut. Default 10 s.
  std::chrono::milliseconds drain_timeout{10000};
  // One JSON line per HTTP request (and per WebSocket connection) on stderr. Default on.
  bool request_log = true;
};

}  // namespace duban::server
