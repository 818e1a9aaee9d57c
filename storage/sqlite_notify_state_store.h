// SqliteNotifyStateStore: the NotifyStateStore in the tables of detail/notify_tables.h of a
// SQLite file, normally the event store's own (the event store never reads them).
//
// Thread-safety: all members may be called concurrently (one connection behind a mutex).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "storage/notify_state_store.h"

namespace duban::storage {

class SqliteNotifyStateStore final : public NotifyStateStore {
 public:
  // Opens `path` read-write and creates the tables if missing. Errors as translated from SQLite.
  static Result<std::unique_ptr<SqliteNotifyStateStore>> open(
      const std::string& path, std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));

  ~SqliteNotifyStateStore() override;
  SqliteNotifyStateStore(const SqliteNotifyStateStore&) = delete;
  SqliteNotifyStateStore& operator=(const SqliteNotifyStateStore&) = delete;

  Result<GlobalPosition> checkpoint(const std::string& subscription) override;
  Result<GlobalPosition> set_checkpoint(const std::string& subscription, GlobalPosition position,
                                        Timestamp now) override;
  Result<GlobalPosition> record_failure(const NotificationFailure& failure) override;
  Result<std::vector<NotificationFailure>> failures() override;

  struct Impl;  // defined in sqlite_notify_state_store.cpp

 private:
  explicit SqliteNotifyStateStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::storage
