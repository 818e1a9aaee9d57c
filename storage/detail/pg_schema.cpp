#include "storage/detail/pg_schema.h"

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <string>

#include "storage/store_errc.h"

namespace duban::storage::detail {
namespace {

// Version 1: the same tables as the SQLite store (storage/detail/sqlite_schema.cpp), plus
// log_head, the single row every append transaction locks and updates: it is what serializes
// appends so positions are assigned in commit order (see docs/storage.md, "Gap-free order").
// Stream ids and command ids compare byte-wise (COLLATE "C"), as in SQLite.
constexpr const char* kVersion1 = R"sql(
CREATE TABLE meta(
  key   text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE events(
  position        bigint  PRIMARY KEY,  -- global position: 1, 2, 3, ... gap-free
  stream          text    COLLATE "C" NOT NULL,
  stream_version  bigint  NOT NULL,     -- 1, 2, 3, ... within the stream
  type            text    NOT NULL,
  schema_version  integer NOT NULL,
  payload         bytea   NOT NULL,
  recorded_at_ms  bigint  NOT NULL,     -- ms since the Unix epoch, UTC
  actor           text    NOT NULL,
  command_id      text    COLLATE "C" NOT NULL,
  prev_hash       bytea   NOT NULL,     -- hash of position - 1 (32 zero bytes for position 1)
  hash            bytea   NOT NULL,     -- SHA-256(prev_hash || envelope || payload)
  UNIQUE (stream, stream_version)
);

-- One row per accepted command: command-id uniqueness and the original result for retries.
CREATE TABLE commands(
  command_id      text   COLLATE "C" PRIMARY KEY,
  stream          text   COLLATE "C" NOT NULL,
  first_position  bigint NOT NULL,
  last_position   bigint NOT NULL,
  stream_version  bigint NOT NULL
);

-- The end of the log. Exactly one row; position 0 and 32 zero bytes while the log is empty.
CREATE TABLE log_head(
  id       smallint PRIMARY KEY CHECK (id = 1),
  position bigint   NOT NULL,
  hash     bytea    NOT NULL
);
INSERT INTO log_head VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Append-only by construction, as in SQLite: rewriting history needs dropping these first
-- (and the hash chain would then expose the edit).
CREATE FUNCTION duban_events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only';
END $$;
CREATE TRIGGER events_are_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION duban_events_are_append_only();
CREATE TRIGGER events_are_append_only_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION duban_events_are_append_only();
)sql";

constexpr PgMigration kMigrations[] = {{1, kVersion1}};
static_assert(std::size(kMigrations) == kPgSchemaVersion);

template <class Tx>
bool has_table(Tx& tx, const char* name) {
  return !tx.exec_params1("SELECT to_regclass($1) IS NULL", std::string(name))[0]
              .template as<bool>();
}

// The stored version; 0 when the database has no store yet.
template <class Tx>
Result<int> stored_version(Tx& tx) {
  if (!has_table(tx, "meta")) {
    if (has_table(tx, "events") || has_table(tx, "commands") || has_table(tx, "log_head")) {
      return store_error(StoreErrc::corrupt,
                         "the database has an events, commands or log_head table but no duban "
                         "meta table: it is not a duban event store; use another database");
    }
    return 0;
  }
  auto r = tx.exec("SELECT value FROM meta WHERE key = 'schema_version'");
  if (r.empty()) {
    return store_error(StoreErrc::corrupt, "duban event store without a schema_version in meta");
  }
  return std::stoi(r[0][0].c_str());
}

Error too_new(int found, int supported) {
  return store_error(StoreErrc::schema_too_new,
                     "the database has event store schema version " + std::to_string(found) +
                         " but this duban build supports up to " + std::to_string(supported) +
                         "; it was written by a newer duban: upgrade duban to open it");
}

}  // namespace

std::span<const PgMigration> pg_migrations() {
  return kMigrations;
}

Result<int> pg_migrate(pqxx::connection& conn, std::span<const PgMigration> steps) {
  const int target = steps.empty() ? 0 : steps.back().version;
  pqxx::work tx(conn);
  const std::string encoding = tx.exec1("SHOW server_encoding")[0].c_str();
  if (encoding != "UTF8") {
    return store_error(StoreErrc::invalid_argument,
                       "database " + std::string(conn.dbname()) + " has encoding " + encoding +
                           "; duban needs a UTF8 database (CREATE DATABASE ... ENCODING 'UTF8')");
  }
  // Held until commit: a second node opening the same fresh database waits here, then finds
  // the schema in place.
  tx.exec_params("SELECT pg_advisory_xact_lock($1)", kPgMigrationLockKey);
  auto current = stored_version(tx);
  if (!current) return current.error();  // the transaction rolls back on destruction
  if (*current > target) return too_new(*current, target);
  for (const PgMigration& step : steps) {
    if (step.version <= *current) continue;
    tx.exec(step.sql);
    tx.exec_params(
        "INSERT INTO meta(key, value) VALUES('schema_version', $1) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        std::to_string(step.version));
  }
  tx.commit();
  return target;
}

Result<int> pg_check_schema(pqxx::connection& conn, int supported) {
  pqxx::nontransaction tx(conn);
  auto version = stored_version(tx);
  if (!version) return version.error();
  if (*version == 0) {
    return store_error(StoreErrc::not_found, "no duban event store in database " +
                                                 std::string(conn.dbname()) +
                                                 " (a read-only open never creates one)");
  }
  if (*version > supported) return too_new(*version, supported);
  return version;
}

}  // namespace duban::storage::detail
