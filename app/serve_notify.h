// ServeNotifier: `duban serve --notify FILE`, the notifier (notify/notifier.h) on a thread of
// its own inside the server. Before each pass it holds the notifier lease
// (storage/notify_lease.h): with several servers on one PostgreSQL exactly one delivers and
// another takes over when it dies; on SQLite the lease is always held. The server's /metrics
// shows what it does (delivered, retried, given up, backlog, lease held).
//
// Lifecycle: open(), start(), then stop() at shutdown (also from the destructor): it interrupts
// a back-off, lets the delivery in flight finish and joins the thread; what was not delivered
// stays after the checkpoint for the next start.
//
// Thread-safety: start() and stop() from one thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"
#include "server/metrics.h"
#include "storage/event_store.h"
#include "storage/notify_state_store.h"

namespace duban::app {

class ServeNotifier {
 public:
  // Reads FILE and opens the notifier's tables and lease beside `db` (whose event store is
  // `store`). `node` names this server in the lease's connection. Errors: bad_config, and the
  // store's.
  static Result<std::unique_ptr<ServeNotifier>> open(
      const std::string& db, const std::string& file, storage::EventStore& store,
      const Clock& clock, std::function<std::string(const UnitId&)> unit_names,
      const std::string& node, std::chrono::milliseconds poll);
  ~ServeNotifier();

  // The notification tables, for GET /api/v1/notify/failures.
  storage::NotifyStateStore& state();
  // How many channels the file configures (for the start-up line).
  std::size_t channels() const;

  // Starts the thread; it reports to `metrics` (which must outlive stop()).
  void start(server::Metrics& metrics);
  void stop();

 private:
  struct Impl;
  explicit ServeNotifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::app
