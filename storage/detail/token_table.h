// Private to storage/: the `tokens` table both token stores keep beside the log, in portable DDL
// (SQLite and PostgreSQL take it as is), so a token means the same on both backends.
#pragma once

namespace duban::storage::detail {

inline constexpr const char* kCreateTokensTable = R"sql(
CREATE TABLE IF NOT EXISTS tokens(
  hash          TEXT PRIMARY KEY,  -- lowercase hex SHA-256 of the token text
  role          TEXT NOT NULL CHECK(role IN ('supervisor', 'unit')),
  unit          TEXT,              -- the unit id when role = 'unit'
  created_at_ms BIGINT NOT NULL    -- ms since the Unix epoch, UTC
);
)sql";

}  // namespace duban::storage::detail
