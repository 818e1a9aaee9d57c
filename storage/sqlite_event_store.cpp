#include "storage/sqlite_event_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "storage/detail/group_commit.h"
#include "storage/detail/sqlite_db.h"
#include "storage/detail/sqlite_schema.h"
#include "storage/hash_chain.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

using detail::AppendCommand;
using detail::Db;
using detail::PendingAppend;
using detail::SqliteError;
using detail::Stmt;

constexpr const char* kSelectColumns =
    "SELECT position, stream, stream_version, type, schema_version, payload, recorded_at_ms, "
    "actor, command_id, hash FROM events ";

RecordedEvent decode_row(const Stmt::Use& q) {
  RecordedEvent e;
  e.position = GlobalPosition(q.int64(0));
  e.stream = q.text(1);
  e.version = StreamVersion(q.int64(2));
  e.type = q.text(3);
  e.schema_version = static_cast<std::int32_t>(q.int64(4));
  e.payload = q.blob(5);
  e.recorded_at = from_millis(q.int64(6));
  e.actor = q.text(7);
  e.command_id = CommandId(q.text(8));
  e.hash = q.blob(9);
  return e;
}

// A read connection with its statements. Stmts point at `db`, so it never moves (held by
// unique_ptr).
struct ReaderConn {
  explicit ReaderConn(Db d)
      : db(std::move(d)),
        read_stream(db, std::string(kSelectColumns) +
                            "WHERE stream = ? AND stream_version >= ? ORDER BY stream_version"),
        read_all(db, std::string(kSelectColumns) + "WHERE position >= ? ORDER BY position LIMIT ?"),
        scan_all(db,
                 "SELECT position, stream, stream_version, type, schema_version, payload FROM "
                 "events WHERE position >= ? ORDER BY position LIMIT ?"),
        head(db, "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1") {}
  Db db;
  Stmt read_stream;
  Stmt read_all;
  Stmt scan_all;
  Stmt head;
};

// The writer thread's connection and statements.
struct WriterConn {
  explicit WriterConn(Db d)
      : db(std::move(d)),
        begin(db, "BEGIN IMMEDIATE"),
        commit(db, "COMMIT"),
        savepoint(db, "SAVEPOINT command"),
        release(db, "RELEASE command"),
        rollback_to(db, "ROLLBACK TO command"),
        head(db, "SELECT position, hash FROM events ORDER BY position DESC LIMIT 1"),
        find_command(db,
                     "SELECT stream, first_position, last_position, stream_version FROM commands "
                     "WHERE command_id = ?"),
        stream_version(db,
                       "SELECT stream_version FROM events WHERE stream = ? "
                       "ORDER BY stream_version DESC LIMIT 1"),
        insert_event(db,
                     "INSERT INTO events(position, stream, stream_version, type, schema_version, "
                     "payload, recorded_at_ms, actor, command_id, prev_hash, hash) "
                     "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        insert_command(db,
                       "INSERT INTO commands(command_id, stream, first_position, last_position, "
                       "stream_version) VALUES(?, ?, ?, ?, ?)") {}
  Db db;
  Stmt begin, commit, savepoint, release, rollback_to, head, find_command, stream_version,
      insert_event, insert_command;
};

// The writers' lock (see sqlite_event_store.h): an flock on a file of its own, never on the
// database, because closing any descriptor of the database would drop SQLite's POSIX locks.
class WriterLock {
 public:
  WriterLock() = default;
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;
  ~WriterLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock
  }

  // Takes the lock without waiting. Errors: busy (held the other way), io_error.
  Result<bool> take(const std::string& lock_path, const std::string& db_path, bool exclusive) {
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      return store_error(StoreErrc::io_error, "cannot open the writers' lock " + lock_path + ": " +
                                                  std::strerror(errno));
    }
    int rc;
    do {
      rc = ::flock(fd_, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
    } while (rc != 0 && errno == EINTR);
    if (rc == 0) return true;
    if (errno != EWOULDBLOCK) {
      return store_error(StoreErrc::io_error,
                         "cannot lock " + lock_path + ": " + std::strerror(errno));
    }
    if (exclusive) {
      return store_error(StoreErrc::busy,
                         "another duban process has " + db_path +
                             " open for writing; an exclusive open must be its only writer");
    }
    return store_error(StoreErrc::busy, "another duban process holds " + db_path +
                                            " exclusively (duban serve --exclusive-db); send "
                                            "commands through its HTTP API, or stop it first");
  }

 private:
  int fd_ = -1;
};

Head read_head(Stmt& head_stmt) {
  auto q = head_stmt.use();
  if (!q.step()) return Head{GlobalPosition(0), genesis_hash()};
  return Head{GlobalPosition(q.int64(0)), q.blob(1)};
}

}  // namespace

struct SqliteEventStore::Impl {
  Impl(const SqliteOptions& o, const Clock& c) : options(o), clock(c) {}

  Result<bool> open();
  void run_batch(std::span<PendingAppend* const> batch);
  Result<AppendResult> run_command(const AppendCommand& r, Head& head);
  Result<AppendResult> command_body(const AppendCommand& r, Head& head);
  std::unique_ptr<ReaderConn> open_reader();

  // Runs f(ReaderConn&) on a pooled read connection.
  template <class F>
  auto with_reader(F&& f) {
    std::unique_ptr<ReaderConn> conn;
    {
      std::lock_guard lock(pool_mu);
      if (!pool.empty()) {
        conn = std::move(pool.back());
        pool.pop_back();
      }
    }
    if (!conn) conn = open_reader();
    auto result = f(*conn);  // on a throw the connection is simply closed
    std::lock_guard lock(pool_mu);
    pool.push_back(std::move(conn));
    return result;
  }

  const SqliteOptions options;
  const Clock& clock;
  // Declared before the connections, so released after they are all closed. Not taken in
  // read-only mode.
  WriterLock writer_lock;

  std::unique_ptr<WriterConn> writer;   // null in read-only mode; used only by the writer thread
  detail::CommittedPosition committed;  // last position committed and known here

  std::mutex pool_mu;
  std::vector<std::unique_ptr<ReaderConn>> pool;  // idle read connections, guarded by pool_mu

  // Last: destroyed (its writer thread stopped) before the connections it uses.
  detail::GroupCommitQueue appends;
};

std::unique_ptr<ReaderConn> SqliteEventStore::Impl::open_reader() {
  Db db(options.path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  sqlite3_busy_timeout(db.get(), static_cast<int>(options.busy_timeout.count()));
  return std::make_unique<ReaderConn>(std::move(db));
}

Result<bool> SqliteEventStore::Impl::open() {
  const bool read_only = options.mode == SqliteOptions::Mode::read_only;
  if (read_only) {
    if (!std::filesystem::exists(options.path)) {
      return store_error(StoreErrc::not_found, "no event store at " + options.path +
                                                   " (read-only open never creates one)");
    }
    auto reader = open_reader();
    if (auto v = detail::check_schema(reader->db); !v) return v.error();
    committed.reset(read_head(reader->head).position);
    pool.push_back(std::move(reader));
    return true;
  }

  Db db(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  // After SQLite's open, so a bad path fails as it always did; before anything is written.
  if (auto locked =
          writer_lock.take(writer_lock_path(options.path), options.path, options.exclusive);
      !locked) {
    return locked.error();
  }
  sqlite3_busy_timeout(db.get(), static_cast<int>(options.busy_timeout.count()));
  if (const std::string mode = db.query_text("PRAGMA journal_mode = WAL"); mode != "wal") {
    return store_error(StoreErrc::io_error, "cannot switch " + options.path +
                                                " to WAL mode (journal_mode is '" + mode + "')");
  }
  // FULL: in WAL mode NORMAL can lose the last commits on power loss; see docs/storage.md.
  db.exec("PRAGMA synchronous = FULL");
  if (db.query_text("PRAGMA synchronous") != "2") {
    return store_error(StoreErrc::internal, "SQLite did not accept synchronous = FULL");
  }
  if (auto v = detail::create_or_check_schema(db); !v) return v.error();
  writer = std::make_unique<WriterConn>(std::move(db));
  committed.reset(read_head(writer->head).position);
  appends.start({.max_commands = options.max_batch_commands},
                [this](std::span<PendingAppend* const> batch) { run_batch(batch); });
  return true;
}

// One transaction for the whole batch; every command gets its own result. If the transaction
// itself fails (BEGIN or COMMIT, or SQLite abandoned it), every command in it fails alike:
// none of their events were committed.
void SqliteEventStore::Impl::run_batch(std::span<PendingAppend* const> batch) {
  std::vector<std::optional<Result<AppendResult>>> results(batch.size());
  std::optional<Error> batch_error;
  Head head;
  try {
    writer->begin.use().run();
    // Re-read inside the write lock: another process may have appended since our last batch.
    head = read_head(writer->head);
    for (std::size_t i = 0; i < batch.size(); ++i)
      results[i] = run_command(batch[i]->command, head);
    writer->commit.use().run();
  } catch (const SqliteError& e) {
    batch_error = detail::translate(e, "append");
  } catch (const std::exception& e) {
    batch_error = store_error(StoreErrc::internal, std::string("append: ") + e.what());
  }
  if (batch_error) {
    if (writer->db.in_transaction()) {
      try {
        writer->db.exec("ROLLBACK");
      } catch (const SqliteError&) {
        // Nothing more to do: the next BEGIN reports a connection that stays broken.
      }
    }
    for (auto& r : results) r = *batch_error;
  } else {
    committed.publish(head.position);
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i]->done.set_value(std::move(*results[i]));
}

Result<AppendResult> SqliteEventStore::Impl::run_command(const AppendCommand& r, Head& head) {
  writer->savepoint.use().run();
  const Head before = head;
  try {
    auto result = command_body(r, head);
    writer->release.use().run();
    return result;
  } catch (const SqliteError& e) {
    head = before;
    if (!writer->db.in_transaction()) throw;  // SQLite rolled back everything: fail the batch
    writer->rollback_to.use().run();
    writer->release.use().run();
    return detail::translate(e, "append to stream '" + r.stream + "'");
  }
}

Result<AppendResult> SqliteEventStore::Impl::command_body(const AppendCommand& r, Head& head) {
  WriterConn& w = *writer;
  {
    auto q = w.find_command.use();
    q.bind_text(1, r.command_id.str());
    if (q.step()) {
      if (q.text(0) != r.stream) return detail::command_id_reused(r.command_id, q.text(0));
      return AppendResult{GlobalPosition(q.int64(1)), GlobalPosition(q.int64(2)),
                          StreamVersion(q.int64(3)), true};
    }
  }
  StreamVersion current(0);
  {
    auto q = w.stream_version.use();
    q.bind_text(1, r.stream);
    if (q.step()) current = StreamVersion(q.int64(0));
  }
  if (!r.expected.admits(current)) return detail::version_conflict(r.stream, current, r.expected);

  const Timestamp now = clock.now();
  AppendResult result{head.position.next(), head.position, current, false};
  for (const NewEvent& e : r.events) {
    const GlobalPosition position = head.position.next();
    result.version = result.version.next();
    const HashedFields fields{position, r.stream, result.version,     e.type,   e.schema_version,
                              now,      e.actor,  r.command_id.str(), e.payload};
    std::string hash = chain_hash(head.hash, fields);
    auto q = w.insert_event.use();
    q.bind(1, position.value())
        .bind_text(2, r.stream)
        .bind(3, result.version.value())
        .bind_text(4, e.type)
        .bind(5, e.schema_version)
        .bind_blob(6, e.payload)
        .bind(7, to_millis(now))
        .bind_text(8, e.actor)
        .bind_text(9, r.command_id.str())
        .bind_blob(10, head.hash)
        .bind_blob(11, hash)
        .run();
    head = Head{position, std::move(hash)};
  }
  result.last = head.position;
  auto q = w.insert_command.use();
  q.bind_text(1, r.command_id.str())
      .bind_text(2, r.stream)
      .bind(3, result.first.value())
      .bind(4, result.last.value())
      .bind(5, result.version.value())
      .run();
  return result;
}

// ---- public boundary: SqliteError never escapes past here ----

Result<std::unique_ptr<SqliteEventStore>> SqliteEventStore::open(const SqliteOptions& options,
                                                                 const Clock& clock) {
  if (options.path.empty())
    return store_error(StoreErrc::invalid_argument, "no database path given");
  if (options.exclusive && options.mode == SqliteOptions::Mode::read_only) {
    return store_error(StoreErrc::invalid_argument, "an exclusive open must be read-write");
  }
  if (options.max_batch_commands == 0) {
    return store_error(StoreErrc::invalid_argument, "max_batch_commands must be at least 1");
  }
  auto impl = std::make_unique<Impl>(options, clock);
  try {
    if (auto opened = impl->open(); !opened) return opened.error();
  } catch (const SqliteError& e) {
    return detail::translate(e, "open " + options.path);
  }
  return std::unique_ptr<SqliteEventStore>(new SqliteEventStore(std::move(impl)));
}

SqliteEventStore::SqliteEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteEventStore::~SqliteEventStore() {
  impl_->appends.stop();
}

Result<AppendResult> SqliteEventStore::append(const std::string& stream, ExpectedVersion expected,
                                              std::span<const NewEvent> events,
                                              const CommandId& command_id) {
  if (auto e = detail::check_append(!impl_->writer, stream, events, command_id)) return *e;
  return impl_->appends.submit({stream, expected, events, command_id});
}

Result<std::vector<RecordedEvent>> SqliteEventStore::read_stream(const std::string& stream,
                                                                 StreamVersion from_version) {
  try {
    return impl_->with_reader([&](ReaderConn& c) {
      std::vector<RecordedEvent> out;
      auto q = c.read_stream.use();
      q.bind_text(1, stream).bind(2, from_version.value());
      while (q.step()) out.push_back(decode_row(q));
      return out;
    });
  } catch (const SqliteError& e) {
    return detail::translate(e, "read stream '" + stream + "'");
  }
}

Result<std::vector<RecordedEvent>> SqliteEventStore::read_all(GlobalPosition from_position,
                                                              std::size_t max_count) {
  try {
    return impl_->with_reader([&](ReaderConn& c) {
      std::vector<RecordedEvent> out;
      const auto limit = static_cast<std::int64_t>(
          std::min<std::size_t>(max_count, std::numeric_limits<std::int64_t>::max()));
      out.reserve(std::min<std::size_t>(max_count, 4096));
      auto q = c.read_all.use();
      q.bind(1, from_position.value()).bind(2, limit);
      while (q.step()) out.push_back(decode_row(q));
      return out;
    });
  } catch (const SqliteError& e) {
    return detail::translate(e, "read all");
  }
}

Result<std::size_t> SqliteEventStore::scan_all(GlobalPosition from_position, std::size_t max_count,
                                               const std::function<bool(const EventView&)>& each) {
  try {
    return impl_->with_reader([&](ReaderConn& c) {
      const auto limit = static_cast<std::int64_t>(
          std::min<std::size_t>(max_count, std::numeric_limits<std::int64_t>::max()));
      auto q = c.scan_all.use();
      q.bind(1, from_position.value()).bind(2, limit);
      std::size_t given = 0;
      while (q.step()) {
        ++given;
        const EventView v{GlobalPosition(q.int64(0)),
                          q.text_view(1),
                          StreamVersion(q.int64(2)),
                          q.text_view(3),
                          static_cast<std::int32_t>(q.int64(4)),
                          q.blob_view(5)};
        if (!each(v)) break;
      }
      return given;
    });
  } catch (const SqliteError& e) {
    return detail::translate(e, "read all");
  }
}

Result<Head> SqliteEventStore::head() {
  try {
    return impl_->with_reader([&](ReaderConn& c) { return read_head(c.head); });
  } catch (const SqliteError& e) {
    return detail::translate(e, "read head");
  }
}

bool SqliteEventStore::shared_with_other_writers() const {
  return !(impl_->writer && impl_->options.exclusive);
}

std::string SqliteEventStore::writer_lock_path(const std::string& db_path) {
  return db_path + "-writer.lock";
}

GlobalPosition SqliteEventStore::wait_for_position(GlobalPosition after,
                                                   std::chrono::milliseconds timeout) {
  if (impl_->writer) return impl_->committed.wait_past(after, timeout);
  // Read-only: nothing in this process appends; report what other processes committed.
  auto h = head();
  if (h && h->position > after) return h->position;
  std::this_thread::sleep_for(timeout);
  h = head();
  return h ? h->position : GlobalPosition(0);
}

}  // namespace duban::storage
