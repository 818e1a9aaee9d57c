// PostgresEventStore: the EventStore over a PostgreSQL database, for deployments that outgrow
// one SQLite file and for several duban nodes sharing one log. Same semantics, error codes and
// hash chain as SqliteEventStore: a log copied between them verifies identically.
// docs/storage.md ("PostgreSQL") explains the schema and the design; docs/operations.md how to
// run it.
//
// Writes: append() queues its command and blocks; one writer thread takes every queued command
// and runs them in ONE transaction (group commit) that first locks the single-row log_head
// table. That lock serializes all appends to the database, from this process and from any
// other, so positions are handed out in commit order: a reader that has seen position N has
// already been able to see every position below N. No gaps, ever, for tailing readers.
// Reads: a pool of connections, one statement per call (a consistent snapshot per call).
// Wake-ups: a listener connection LISTENs for the NOTIFY each append commits, and re-reads the
// head every poll_interval, so wait_for_position() also wakes for appends by other processes.
//
// Thread-safety: all EventStore members may be called concurrently. Any number of store objects
// and processes may open the same database.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "model/result.h"
#include "model/time.h"
#include "storage/event_store.h"

namespace duban::storage {

struct PostgresOptions {
  enum class Mode {
    read_write,  // creates or migrates the schema on open
    read_only,   // every session read-only, never writes the schema: for auditors
  };

  // libpq connection URL, "postgresql://user:password@host:port/dbname?param=value" (or
  // "postgres://..."); required. Any libpq parameter may ride along (sslmode, connect_timeout,
  // options=-csearch_path%3Dduban to keep the tables in their own schema).
  std::string url;
  Mode mode = Mode::read_write;  // default: read_write
  // Most commands the writer puts in one transaction. Default: 1024.
  std::size_t max_batch_commands = 1024;
  // The writer stops adding commands to a transaction once it holds this many events (a
  // single larger command still goes alone). Default: 16384.
  std::size_t max_batch_events = 16384;
  // How long an append waits for another writer's lock on the log head (and a read for a
  // table lock, e.g. an operator's maintenance) before failing with busy; PostgreSQL's
  // lock_timeout for the store's sessions. Default: 5 s.
  std::chrono::milliseconds lock_timeout{5000};
  // LISTEN for other writers' appends. Default: true. Turn off behind a pooler that cannot
  // LISTEN (PgBouncer in transaction mode); wait_for_position() then learns of other
  // processes' appends by polling only.
  bool listen = true;
  // How often the listener re-reads the head anyway, so a lost notification only delays.
  // Default: 1 s.
  std::chrono::milliseconds poll_interval{1000};
  // Names this store's connections in pg_stat_activity as "<name> writer", "<name> reader"
  // and "<name> listener"; give each node its own. An application_name parameter in `url`
  // (…/duban?application_name=node-a), or PGAPPNAME in the environment, takes precedence, so
  // each node's --db can carry its name. Default: "duban".
  std::string application_name = "duban";
};

// What PostgresEventStore::import() wrote.
struct ImportResult {
  std::int64_t events = 0;  // how many events were imported
  Head head;                // the log's head after the import (the last imported event)
};

// True when `db` names a PostgreSQL database ("postgresql://" or "postgres://"), so main()
// can choose the backend from one --db value.
bool is_postgres_url(std::string_view db);

class PostgresEventStore final : public EventStore {
 public:
  // Connects (read_write: creates or migrates the schema) and returns the store. `clock`
  // stamps recorded_at and must outlive the store. Errors: invalid_argument (not a
  // postgresql:// URL, bad options, not a UTF8 database), io_error (server unreachable,
  // authentication failed), not_found (read_only open of a database without a store),
  // schema_too_new (written by a newer duban), corrupt (foreign tables in the way).
  static Result<std::unique_ptr<PostgresEventStore>> open(const PostgresOptions& options,
                                                          const Clock& clock);

  // Finishes every queued append, then stops the writer and listener and closes connections.
  ~PostgresEventStore() override;
  PostgresEventStore(const PostgresEventStore&) = delete;
  PostgresEventStore& operator=(const PostgresEventStore&) = delete;

  // As EventStore::append. Also invalid_argument for a stream, type, actor or command id that
  // is not valid UTF-8 or holds a NUL byte (PostgreSQL text cannot store those). A lost
  // connection is io_error (the next call reconnects); if it was lost during COMMIT the
  // message says the outcome is unknown: retry with the same command id.
  Result<AppendResult> append(const std::string& stream, ExpectedVersion expected,
                              std::span<const NewEvent> events,
                              const CommandId& command_id) override;
  Result<std::vector<RecordedEvent>> read_stream(
      const std::string& stream, StreamVersion from_version = StreamVersion(1)) override;
  Result<std::vector<RecordedEvent>> read_all(GlobalPosition from_position,
                                              std::size_t max_count) override;
  Result<Head> head() override;
  // Wakes for appends through this object at once, for other processes' appends when their
  // NOTIFY arrives (or at the latest after poll_interval).
  GlobalPosition wait_for_position(GlobalPosition after,
                                   std::chrono::milliseconds timeout) override;
  // Always true: any number of nodes and processes may append to one database.
  bool shared_with_other_writers() const override { return true; }

  // Writes events another store already recorded, verbatim (positions, stream versions,
  // recorded_at, actors, command ids and hashes as given): how a log moves here from SQLite
  // (storage/log_copy.h drives it in batches). One transaction under the same log_head lock
  // appends take, so concurrent appends wait and tailing readers never see a gap. The events
  // must continue this log exactly: the first at head + 1, each stored hash equal to
  // chain_hash(previous hash, event), each stream version the stream's next, no command id
  // used before (except the log's last command continuing, when a batch was cut inside it).
  // The `commands` rows written are the ones append() would have written, so a retry of an
  // old command id is a duplicate with its original result. Commits NOTIFY as appends do.
  // Errors, with nothing written: version_conflict (not at head + 1: resume after the head),
  // corrupt (a broken hash link, a stream version gap, a reused command id; the message
  // names the position), invalid_argument (no events, positions not consecutive, text
  // PostgreSQL cannot store), read_only, and environment failures as for append(). An
  // append between two imports takes the next position, so the next import is refused
  // (version_conflict), never interleaved: stop the writers while a log is being copied.
  Result<ImportResult> import(std::span<const RecordedEvent> events);

  struct Impl;  // defined in postgres_event_store.cpp

 private:
  explicit PostgresEventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::storage
