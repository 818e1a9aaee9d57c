// PostgresNotifyStateStore: the NotifyStateStore in the tables of detail/notify_tables.h of a
// PostgreSQL database, normally the event store's own (the event store never reads them). Same
// tables and semantics as SqliteNotifyStateStore.
//
// Thread-safety: all members may be called concurrently (one connection behind a mutex; the
// notifier makes one call at a time). A lost connection is dropped and the next call opens a new
// one.
#pragma once

#include <memory>
#include <string>

#include "storage/notify_state_store.h"

namespace duban::storage {

class PostgresNotifyStateStore final : public NotifyStateStore {
 public:
  // Connects to `url` and creates the tables if missing (under an advisory lock, so processes
  // starting together do not race). Connections show as "<application_name> notify" in
  // pg_stat_activity. Errors: invalid_argument (not a PostgreSQL URL), io_error (unreachable,
  // authentication failed), and other StoreErrc codes as translated from PostgreSQL.
  static Result<std::unique_ptr<PostgresNotifyStateStore>> open(
      const std::string& url, const std::string& application_name = "duban");

  ~PostgresNotifyStateStore() override;
  PostgresNotifyStateStore(const PostgresNotifyStateStore&) = delete;
  PostgresNotifyStateStore& operator=(const PostgresNotifyStateStore&) = delete;

  Result<GlobalPosition> checkpoint(const std::string& subscription) override;
  Result<GlobalPosition> set_checkpoint(const std::string& subscription, GlobalPosition position,
                                        Timestamp now) override;
  Result<GlobalPosition> record_failure(const NotificationFailure& failure) override;
  Result<std::vector<NotificationFailure>> failures() override;

  struct Impl;  // defined in postgres_notify_state_store.cpp

 private:
  explicit PostgresNotifyStateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::storage
