// NotifyStateStore: what the notifier (notify/) keeps beside the log: the checkpoint of each
// subscription (the last global position whose every delivery succeeded or was given up) and the
// deliveries given up after their last attempt, for the audit and the operator.
//
// Backends: SQLite (sqlite_notify_state_store.h) and PostgreSQL (postgres_notify_state_store.h),
// each the tables `notification_checkpoints` and `notification_failures` beside the log, with the
// same columns (detail/notify_tables.h).
//
// Thread-safety: every member may be called concurrently from any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/time.h"

namespace duban::storage {

// A delivery the notifier gave up on after its last attempt.
struct NotificationFailure {
  std::string idempotency_key;  // "<position>:<recipient>:<channel>"
  GlobalPosition position;      // the event's position
  std::string recipient;        // the unit id
  std::string channel;          // the channel's configured name
  int attempts = 0;             // deliveries tried
  std::string last_error;       // why the last one failed (never a secret)
  Timestamp failed_at{};
  bool operator==(const NotificationFailure&) const = default;
};

class NotifyStateStore {
 public:
  virtual ~NotifyStateStore() = default;

  // The subscription's checkpoint; GlobalPosition(0) when it never advanced.
  virtual Result<GlobalPosition> checkpoint(const std::string& subscription) = 0;

  // Sets the subscription's checkpoint to `position` (durable when this returns).
  virtual Result<GlobalPosition> set_checkpoint(const std::string& subscription,
                                                GlobalPosition position, Timestamp now) = 0;

  // Records a given-up delivery; a second record with the same key replaces the first (a
  // restart may give up on the same delivery again).
  virtual Result<GlobalPosition> record_failure(const NotificationFailure& failure) = 0;

  // Every recorded failure, by position then key.
  virtual Result<std::vector<NotificationFailure>> failures() = 0;
};

// Opens the notifier's tables beside the event store `db` names (a SQLite path or a
// postgresql:// URL), creating them if missing. Open the event store first (the SQLite event
// store refuses a non-empty file without its own tables). Errors: the backend's StoreErrc code
// with a message naming the (redacted) database.
Result<std::unique_ptr<NotifyStateStore>> open_notify_state_store(const std::string& db);

}  // namespace duban::storage
