// The `duban watch` client: subscribes to a filter on a `duban serve` WebSocket and prints
// every event (a readable line, or the JSON message), keeping its last position so that on a
// dropped connection (server restart, network, shutdown with 1001) it reconnects with
// exponential back-off and resumes exactly after it: no event is printed twice or skipped.
//
// Thread-safety: run_watch() is self-contained; call it from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "clients/watch/watch_url.h"

namespace duban::clients {

struct WatchOptions {
  WatchUrl url;
  std::string token;
  std::string filter_kind = "all";         // all | unit | document | task
  std::string filter_id;                   // the unit, document or task id
  std::optional<std::int64_t> from;        // resume after this position; none: start at the head
  bool json = false;                       // print the event messages as JSON lines
  std::optional<std::int64_t> max_events;  // exit 0 after printing this many
  std::optional<std::chrono::milliseconds> exit_after;  // exit 0 after this long
  std::chrono::milliseconds initial_backoff{250};       // first wait before reconnecting
  std::chrono::milliseconds max_backoff{10000};         // the wait doubles up to this
};

// Runs until max_events or exit_after (exit status 0), or an error that retrying cannot fix: a
// refused token (401) or subscription (an error message in answer to subscribe): status 1.
// Events go to `out`; connection news ("connected", "reconnecting in 500 ms from #12") to `err`.
int run_watch(const WatchOptions& options, std::ostream& out, std::ostream& err);

}  // namespace duban::clients
