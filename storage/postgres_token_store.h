// PostgresTokenStore: the TokenStore in a `tokens` table of a PostgreSQL database, normally the
// event store's own (the table sits beside the log; the event store never reads it). Every
// `duban serve` node on that database accepts the same tokens, whichever node or `duban token
// create` made them. Same table and semantics as SqliteTokenStore (sqlite_token_store.cpp).
//
// Thread-safety: all members may be called concurrently. Each call borrows a connection from a
// small pool (one per concurrent caller; lookups are point queries on the primary key), so
// request threads do not queue behind one connection. A lost connection is dropped and the next
// call opens a new one.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "storage/token_store.h"

namespace duban::storage {

class PostgresTokenStore final : public TokenStore {
 public:
  // Connects to `url` (a postgresql:// or postgres:// URL, as PostgresOptions::url) and creates
  // the table if missing (under an advisory lock, so nodes starting together do not race).
  // Connections show as "<application_name> tokens" in pg_stat_activity (the URL's
  // application_name parameter or PGAPPNAME, when set, replaces the name). Errors:
  // invalid_argument (not a PostgreSQL URL), io_error (server unreachable, authentication
  // failed), read_only (the role may not create the missing table), and other StoreErrc codes
  // as translated from PostgreSQL.
  static Result<std::unique_ptr<PostgresTokenStore>> open(
      const std::string& url, const std::string& application_name = "duban");

  ~PostgresTokenStore() override;
  PostgresTokenStore(const PostgresTokenStore&) = delete;
  PostgresTokenStore& operator=(const PostgresTokenStore&) = delete;

  // As TokenStore::create. Also invalid_argument for a unit id that PostgreSQL text cannot hold
  // (not UTF-8, or a NUL byte).
  Result<std::string> create(const TokenGrant& grant, Timestamp now) override;
  Result<std::optional<TokenGrant>> find(std::string_view token) override;

  struct Impl;  // defined in postgres_token_store.cpp

 private:
  explicit PostgresTokenStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::storage
