// SqliteEventStore: the EventStore over one SQLite file in WAL mode. Embedded deployments and
// tests use it; docs/storage.md explains the schema, the durability setting and group commit.
//
// Writes: append() queues its command and blocks; one writer thread takes every queued command
// (up to max_batch_commands), runs them in ONE transaction with a SAVEPOINT per command, commits
// (one fsync for the whole batch) and then answers each caller with its own result. A command's
// version conflict or duplicate never affects its neighbours in the batch.
// Reads: a small pool of read connections; WAL lets them run while the writer commits.
//
// Thread-safety: all EventStore members may be called concurrently. Several processes may open
// the same file (SQLite's locks serialize their writers), but wait_for_position() only wakes
// for appends made through this object.
//
// Writers' lock: every read-write open also holds an advisory flock(2) on "<path>-writer.lock"
// for the store's lifetime: shared by default (any number of writers), exclusive with
// SqliteOptions::exclusive (this object is the only writer, so shared_with_other_writers() is
// false and readers may skip head()). An open whose lock conflicts fails at once with busy.
// Read-only opens take no lock. Only duban's SQLite stores take it: a foreign program writing
// the file (the sqlite3 shell) is not stopped, as it would not keep the hash chain either.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "model/result.h"
#include "model/time.h"
#include "storage/event_store.h"

namespace duban::storage {

struct SqliteOptions {
  enum class Mode {
    read_write,  // creates the file and schema if missing
    read_only,   // SQLITE_OPEN_READONLY: for auditors; append() returns read_only
  };

  std::string path;              // database file; required
  Mode mode = Mode::read_write;  // default: read_write
  // Most commands the writer puts in one transaction. Default: 1024.
  std::size_t max_batch_commands = 1024;
  // How long to wait for another process's write lock before failing with busy. Default: 5 s.
  std::chrono::milliseconds busy_timeout{5000};
  // read_write only: be the file's only writer while open (the writers' lock, exclusively), so
  // shared_with_other_writers() is false. The open fails with busy while another duban store
  // has the file open read-write, and other read-write opens fail with busy while this one is
  // open; read-only opens (auditors, `duban tasks`) still work. Default: false.
  bool exclusive = false;
};

class SqliteEventStore final : public EventStore {
 public:
  // Opens (read_write: creates if needed) the store at options.path. `clock` stamps
  // recorded_at and must outlive the store. Errors: not_found (read_only open of a missing
  // file), schema_too_new (written by a newer duban), corrupt (not a duban store), io_error.
  static Result<std::unique_ptr<SqliteEventStore>> open(const SqliteOptions& options,
                                                        const Clock& clock);

  // Finishes every queued append, then stops the writer and closes the file.
  ~SqliteEventStore() override;
  SqliteEventStore(const SqliteEventStore&) = delete;
  SqliteEventStore& operator=(const SqliteEventStore&) = delete;

  Result<AppendResult> append(const std::string& stream, ExpectedVersion expected,
                              std::span<const NewEvent> events,
                              const CommandId& command_id) override;
  Result<std::vector<RecordedEvent>> read_stream(
      const std::string& stream, StreamVersion from_version = StreamVersion(1)) override;
  Result<std::vector<RecordedEvent>> read_all(GlobalPosition from_position,
                                              std::size_t max_count) override;
  // Views straight into SQLite's row buffers; selects only the columns a replay folds.
  Result<std::size_t> scan_all(GlobalPosition from_position, std::size_t max_count,
                               const std::function<bool(const EventView&)>& each) override;
  Result<Head> head() override;
  GlobalPosition wait_for_position(GlobalPosition after,
                                   std::chrono::milliseconds timeout) override;
  // False only for a read-write open with SqliteOptions::exclusive (see above).
  bool shared_with_other_writers() const override;

  // The path of the writers' lock file of the store at `db_path`: "<db_path>-writer.lock".
  static std::string writer_lock_path(const std::string& db_path);

  struct Impl;  // defined in sqlite_event_store.cpp

 private:
  explicit SqliteEventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duban::storage
