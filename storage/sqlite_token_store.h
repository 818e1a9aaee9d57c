// SqliteTokenStore: the TokenStore in a `tokens` table of a SQLite file, normally the event
// store's own file (the table sits beside the log; the event store never reads it).
//
// Open the event store first when both share a new file: the event store refuses a non-empty
// file without its own tables, and this store creates its table on open.
//
// Thread-safety: all members may be called concurrently (one connection behind a mutex; token
// lookups are point queries on the primary key).
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "storage/token_store.h"

namespace duban::storage {

class SqliteTokenStore final : public TokenStore {
 public:
  // Opens `path` read-write and creates the table if missing. Errors as translated from SQLite
  // (io_error, corrupt, busy, ...).
  static Result<std::unique_ptr<SqliteTokenStore>> open(
      const std::string& path, std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));

  ~SqliteTokenStore() override;
  SqliteTokenStore(const SqliteTokenStore&) = delete;
  SqliteTokenStore& operator=(const SqliteTokenStore&) = delete;

  Result<std::string> create(const TokenGrant& grant, Timestamp now) override;
  Result<std::optional<TokenGrant>> find(std::string_view token) override;

  struct Impl;  // defined in sqlite_token_store.cpp

 private:
  explicit SqliteTokenStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::storage
