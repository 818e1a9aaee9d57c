// NotifyLease: which of several `duban serve --notify` processes on one database delivers
// notifications (notify/). Exactly one holds the lease at a time; the others wait and take it
// over when the holder stops or dies.
//
// Backends: PostgreSQL holds a session-level advisory lock (pg_try_advisory_lock on the key
// "duban" + 4) on a connection of its own: it lasts as long as that connection, so a holder that
// is killed (even SIGKILL) releases it as soon as the server sees the connection close, and a
// holder whose connection breaks learns it at its next hold(). SQLite is one process's file
// (one writer): its lease is always held.
//
// Thread-safety: every member may be called from any thread (calls are serialized).
#pragma once

#include <memory>
#include <string>

#include "model/result.h"

namespace duban::storage {

class NotifyLease {
 public:
  virtual ~NotifyLease() = default;

  // True while this object holds the lease: takes it when it is free, and checks that a lease
  // taken before is still held (its connection alive). False when another process holds it.
  // Errors: the backend's (e.g. unreachable); the lease is then not held.
  virtual Result<bool> hold() = 0;

  // Gives the lease up (unlocks and closes its connection); the next hold() tries to take it
  // again.
  virtual void release() = 0;
};

// The lease for the event store `db` names (a SQLite path or a postgresql:// URL).
// `application_name` names the lease's connection in pg_stat_activity (with " notify" after
// it), so operators can see which node holds it.
Result<std::unique_ptr<NotifyLease>> open_notify_lease(const std::string& db,
                                                       const std::string& application_name);

}  // namespace duban::storage
