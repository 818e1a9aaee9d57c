#include "storage/detail/sqlite_schema.h"

#include <string>

#include "storage/store_errc.h"

namespace duban::storage::detail {
namespace {

// Append-only by construction: UPDATE and DELETE on events are refused by triggers, so even a
// stray SQL statement cannot rewrite history without first dropping them (which the hash chain
// would then expose).
constexpr const char* kCreateSchema = R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE events(
  position        INTEGER PRIMARY KEY,  -- global position: 1, 2, 3, ... gap-free
  stream          TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,     -- 1, 2, 3, ... within the stream
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  payload         BLOB    NOT NULL,
  recorded_at_ms  INTEGER NOT NULL,     -- ms since the Unix epoch, UTC
  actor           TEXT    NOT NULL,
  command_id      TEXT    NOT NULL,
  prev_hash       BLOB    NOT NULL,     -- hash of position - 1 (32 zero bytes for position 1)
  hash            BLOB    NOT NULL,     -- SHA-256(prev_hash || envelope || payload)
  UNIQUE(stream, stream_version)
);

-- One row per accepted command: makes command ids unique and remembers the original result
-- returned to retries. (A command may append several events, so uniqueness cannot sit on
-- events.command_id.)
CREATE TABLE commands(
  command_id      TEXT PRIMARY KEY,
  stream          TEXT    NOT NULL,
  first_position  INTEGER NOT NULL,
  last_position   INTEGER NOT NULL,
  stream_version  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
)sql";

bool has_table(Db& db, const char* name) {
  Stmt s(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
  auto q = s.use();
  q.bind_text(1, name);
  return q.step();
}

// The stored layout version, or an Error when the file is not ours or too new.
Result<int> read_version(Db& db) {
  if (!has_table(db, "meta") || !has_table(db, "events")) {
    return store_error(StoreErrc::corrupt, std::string("not a duban event store: ") +
                                               sqlite3_db_filename(db.get(), "main") +
                                               " has no meta/events tables");
  }
  Stmt s(db, "SELECT value FROM meta WHERE key = 'schema_version'");
  auto q = s.use();
  if (!q.step()) {
    return store_error(StoreErrc::corrupt, "duban event store without a schema_version in meta");
  }
  const int version = std::stoi(q.text(0));
  if (version > kSchemaVersion) {
    return store_error(StoreErrc::schema_too_new,
                       "the database has event store schema version " + std::to_string(version) +
                           " but this duban build supports up to " +
                           std::to_string(kSchemaVersion) +
                           "; it was written by a newer duban: upgrade duban to open it");
  }
  return version;
}

bool is_empty_file(Db& db) {
  Stmt s(db, "SELECT count(*) FROM sqlite_schema");
  auto q = s.use();
  q.step();
  return q.int64(0) == 0;
}

}  // namespace

Result<int> create_or_check_schema(Db& db) {
  db.exec("BEGIN IMMEDIATE");
  try {
    if (is_empty_file(db)) {
      db.exec(kCreateSchema);
      Stmt s(db, "INSERT INTO meta(key, value) VALUES('schema_version', ?)");
      auto q = s.use();
      q.bind_text(1, std::to_string(kSchemaVersion)).run();
    }
    auto version = read_version(db);
    db.exec(version ? "COMMIT" : "ROLLBACK");
    return version;
  } catch (...) {
    if (db.in_transaction()) db.exec("ROLLBACK");
    throw;
  }
}

Result<int> check_schema(Db& db) {
  return read_version(db);
}

}  // namespace duban::storage::detail
