// Private to storage/: the attachment tables beside the log (docs/storage.md, "Attachments"),
// one DDL per backend (BLOB in SQLite, BYTEA in PostgreSQL), and what each backend gives the
// backend-neutral BlobWriter.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "storage/blob_store.h"

namespace duban::storage::detail {

inline constexpr const char* kCreateBlobTablesSqlite = R"sql(
CREATE TABLE IF NOT EXISTS blobs(
  sha256        TEXT PRIMARY KEY,  -- lowercase hex SHA-256 of the bytes
  size          INTEGER NOT NULL,  -- bytes
  chunks        INTEGER NOT NULL,  -- rows in blob_chunks
  created_at_ms INTEGER NOT NULL   -- first stored, ms since the Unix epoch, UTC
);
CREATE TABLE IF NOT EXISTS blob_chunks(
  sha256   TEXT NOT NULL,     -- the blob's hash, or "upload:<random>" while it is written
  chunk_no INTEGER NOT NULL,  -- 0, 1, ... in byte order
  bytes    BLOB NOT NULL,     -- kBlobChunkSize bytes, the last chunk fewer
  PRIMARY KEY(sha256, chunk_no)
);
)sql";

inline constexpr const char* kCreateBlobTablesPostgres = R"sql(
CREATE TABLE IF NOT EXISTS blobs(
  sha256        TEXT PRIMARY KEY,
  size          BIGINT NOT NULL,
  chunks        BIGINT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS blob_chunks(
  sha256   TEXT NOT NULL,
  chunk_no BIGINT NOT NULL,
  bytes    BYTEA NOT NULL,
  PRIMARY KEY(sha256, chunk_no)
);
)sql";

// What a backend does for a BlobWriter: store one chunk under a temporary key; then publish the
// temporary rows as the blob `info` (renaming them, or dropping them when the hash is stored
// already); or drop them after a failure. The functions may capture the store (a writer must
// not outlive it).
struct ChunkWriter {
  std::function<Result<bool>(const std::string& key, std::int64_t chunk_no, std::string_view)>
      write;
  std::function<Result<bool>(const std::string& key, const BlobInfo& info, std::int64_t chunks,
                             Timestamp now)>
      publish;
  std::function<void(const std::string& key)> drop;
};

}  // namespace duban::storage::detail
