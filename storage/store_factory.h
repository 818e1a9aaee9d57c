// Opening the stores one `--db` value names: the one place that picks a backend. A file path is
// an embedded SQLite database (SqliteEventStore, SqliteTokenStore); a "postgresql://" or
// "postgres://" URL is a PostgreSQL database (PostgresEventStore, PostgresTokenStore; see
// is_postgres_url()). Callers get the EventStore and TokenStore interfaces and never learn which.
//
// Error messages name the database as redact_db() prints it, so a password in a URL never
// reaches a terminal or a log.
//
// Thread-safety: the functions are reentrant; the stores they return are as thread-safe as their
// interfaces say.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "model/result.h"
#include "model/time.h"
#include "storage/event_store.h"
#include "storage/token_store.h"

namespace duban::storage {

// What a command needs of the event store.
enum class StoreAccess {
  create,      // read-write; creates the SQLite file, or the schema in the PostgreSQL database,
               // when missing (ingest, serve, token)
  read_write,  // read-write; the store must exist already (sweep)
  read_only,   // reads only and never writes anything; the store must exist (tasks, audit, ...)
};

// Whether other writers may share a SQLite log (PostgreSQL logs are always shared).
enum class Writers {
  shared,     // any number of duban processes may write the file (the default)
  exclusive,  // SQLite: this store is the file's only writer while open (SqliteOptions::exclusive;
              // other read-write opens fail with busy, and the open fails if one is open), so
              // its shared_with_other_writers() is false. PostgreSQL: no effect (still shared).
};

// `db` fit to print: in a URL the password of the user info ("user:***@") and the value of a
// `password` parameter ("password=***") are replaced; a file path comes back unchanged.
std::string redact_db(std::string_view db);

// Opens the event store `db` names. `clock` stamps recorded_at and must outlive the store.
// Errors: "no_database" when `access` needs an existing store and there is none: no such SQLite
// file, or a PostgreSQL database without duban's tables (the message says how to create one;
// nothing is created). Otherwise the backend's StoreErrc code (io_error for an unreachable
// server, schema_too_new, corrupt, ...) with "cannot open database <redacted db>: ..." as the
// message. `writers` is ignored for read_only access.
Result<std::unique_ptr<EventStore>> open_event_store(const std::string& db, StoreAccess access,
                                                     const Clock& clock,
                                                     Writers writers = Writers::shared);

// Opens the token store beside the event store `db` names: the `tokens` table in the same SQLite
// file or PostgreSQL database, created if missing. Open the event store first (with
// StoreAccess::create), because the SQLite event store refuses a non-empty file without its own
// tables. Errors: the backend's StoreErrc code, the message naming the redacted db.
Result<std::unique_ptr<TokenStore>> open_token_store(const std::string& db);

}  // namespace duban::storage
