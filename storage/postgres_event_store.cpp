#include "storage/postgres_event_store.h"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include <limits>
#include <mutex>
#include <utility>

#include "storage/detail/group_commit.h"
#include "storage/detail/pg_append.h"
#include "storage/detail/pg_conn.h"
#include "storage/detail/pg_import.h"
#include "storage/detail/pg_listener.h"
#include "storage/detail/pg_pool.h"
#include "storage/detail/pg_schema.h"
#include "storage/detail/pg_text.h"
#include "storage/hash_chain.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

using detail::PendingAppend;
using detail::PgAppend;
using detail::PgRole;

constexpr const char* kReadStream = "duban_read_stream";
constexpr const char* kReadAll = "duban_read_all";
constexpr const char* kHead = "duban_head";

constexpr const char* kSelectColumns =
    "SELECT position, stream, stream_version, type, schema_version, payload, recorded_at_ms, "
    "actor, command_id, hash FROM events ";

RecordedEvent decode_row(const pqxx::row& r) {
  RecordedEvent e;
  e.position = GlobalPosition(r[0].as<std::int64_t>());
  e.stream = r[1].c_str();
  e.version = StreamVersion(r[2].as<std::int64_t>());
  e.type = r[3].c_str();
  e.schema_version = r[4].as<std::int32_t>();
  e.payload = detail::bytea_from_hex(std::string_view(r[5].c_str(), r[5].size()));
  e.recorded_at = from_millis(r[6].as<std::int64_t>());
  e.actor = r[7].c_str();
  e.command_id = CommandId(r[8].c_str());
  e.hash = detail::bytea_from_hex(std::string_view(r[9].c_str(), r[9].size()));
  return e;
}

Head decode_head(const pqxx::row& r) {
  return Head{GlobalPosition(r[0].as<std::int64_t>()), detail::bytea_from_hex(r[1].c_str())};
}

// Errors worth retrying command by command: a value one command carried that the server
// refused. Lock timeouts, lost connections and the like would only fail again, N times slower.
bool may_be_one_commands_fault(const Error& e) {
  return is(e, StoreErrc::invalid_argument) || is(e, StoreErrc::internal) ||
         is(e, StoreErrc::version_conflict);
}

std::optional<Error> check_text(std::string_view what, std::string_view s) {
  if (detail::fits_pg_text(s)) return std::nullopt;
  return store_error(StoreErrc::invalid_argument,
                     std::string(what) +
                         " is not valid UTF-8 or contains a NUL byte, which "
                         "PostgreSQL text cannot store");
}

}  // namespace

bool is_postgres_url(std::string_view db) {
  return db.starts_with("postgresql://") || db.starts_with("postgres://");
}

struct PostgresEventStore::Impl {
  Impl(const PostgresOptions& o, const Clock& c)
      : options(o), clock(c), readers([this] { return connect_reader(); }) {}

  bool read_only() const { return options.mode == PostgresOptions::Mode::read_only; }
  Result<bool> open();
  std::unique_ptr<pqxx::connection> connect(PgRole role);
  void prepare_reader(pqxx::connection& conn);
  void prepare_writer(pqxx::connection& conn);
  std::unique_ptr<pqxx::connection> connect_writer();
  std::unique_ptr<pqxx::connection> connect_importer();
  std::unique_ptr<pqxx::connection> connect_reader();
  void run_batch(std::span<PendingAppend* const> batch);

  const PostgresOptions options;
  const Clock& clock;

  std::unique_ptr<pqxx::connection> writer;  // used only by the writer thread; null: reconnect
  detail::CommittedPosition committed;       // the highest committed position known

  detail::PgPool readers;  // read connections (connect_reader)

  std::mutex import_mu;                        // one import() at a time
  std::unique_ptr<pqxx::connection> importer;  // guarded by import_mu; opened by the first import

  std::unique_ptr<detail::PgListener> listener;  // publishes to `committed`

  // Last: destroyed (its writer thread stopped) before the connections it uses.
  detail::GroupCommitQueue appends;
};

std::unique_ptr<pqxx::connection> PostgresEventStore::Impl::connect(PgRole role) {
  return detail::pg_connect(options.url, {.application_name = options.application_name,
                                          .role = role,
                                          .read_only = read_only(),
                                          .lock_timeout = options.lock_timeout});
}

void PostgresEventStore::Impl::prepare_reader(pqxx::connection& conn) {
  detail::pg_prepare_now(conn, kReadStream,
                         std::string(kSelectColumns) +
                             "WHERE stream = $1 AND stream_version >= $2 ORDER BY stream_version");
  detail::pg_prepare_now(
      conn, kReadAll,
      std::string(kSelectColumns) + "WHERE position >= $1 ORDER BY position LIMIT $2");
  detail::pg_prepare_now(conn, kHead, "SELECT position, hash FROM log_head WHERE id = 1");
}

namespace {
// An acknowledged append (or import) must survive a server crash. `off` would acknowledge
// before the commit record is flushed; the stronger settings (local, on, remote_*) are kept.
void require_synchronous_commit(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn);
  if (std::string(tx.exec1("SHOW synchronous_commit")[0].c_str()) == "off") {
    tx.exec("SET synchronous_commit = on");
  }
}
}  // namespace

void PostgresEventStore::Impl::prepare_writer(pqxx::connection& conn) {
  require_synchronous_commit(conn);
  detail::pg_prepare_append(conn);
}

std::unique_ptr<pqxx::connection> PostgresEventStore::Impl::connect_importer() {
  auto conn = connect(PgRole::importer);
  require_synchronous_commit(*conn);
  detail::pg_prepare_import(*conn);
  return conn;
}

std::unique_ptr<pqxx::connection> PostgresEventStore::Impl::connect_reader() {
  auto conn = connect(PgRole::reader);
  prepare_reader(*conn);
  return conn;
}

std::unique_ptr<pqxx::connection> PostgresEventStore::Impl::connect_writer() {
  auto conn = connect(PgRole::writer);
  prepare_writer(*conn);
  return conn;
}

// Statements are prepared only once the schema is known to be there (and current).
Result<bool> PostgresEventStore::Impl::open() {
  std::unique_ptr<pqxx::connection> first;
  if (read_only()) {
    first = connect(PgRole::reader);
    if (auto v = detail::pg_check_schema(*first); !v) return v.error();
  } else {
    writer = connect(PgRole::writer);
    if (auto v = detail::pg_migrate(*writer); !v) return v.error();
    prepare_writer(*writer);
    first = connect(PgRole::reader);
  }
  prepare_reader(*first);
  {
    pqxx::nontransaction tx(*first);
    committed.reset(decode_head(tx.exec_prepared1(kHead)).position);
  }
  readers.add(std::move(first));
  // The listener first: if starting the writer thread failed, destroying Impl still stops it.
  listener = std::make_unique<detail::PgListener>(
      detail::PgListenerOptions{options.url, options.application_name, read_only(), options.listen,
                                options.poll_interval},
      [this](GlobalPosition p) { committed.publish(p); });
  if (!read_only()) {
    appends.start(
        {.max_commands = options.max_batch_commands, .max_events = options.max_batch_events},
        [this](std::span<PendingAppend* const> batch) { run_batch(batch); });
  }
  return true;
}

// One transaction for the whole batch, every command with its own result. If the transaction
// fails, none of it was committed: a lost connection fails every command alike (and is
// replaced on the next batch); a value the server refused is retried command by command so
// only the command that carried it fails.
void PostgresEventStore::Impl::run_batch(std::span<PendingAppend* const> batch) {
  std::vector<const PgAppend*> commands;
  commands.reserve(batch.size());
  for (PendingAppend* r : batch) commands.push_back(&r->command);
  try {
    if (!writer) writer = connect_writer();
    auto outcome = detail::pg_write_batch(*writer, commands, clock);
    committed.publish(outcome.head.position);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      batch[i]->done.set_value(std::move(outcome.results[i]));
    }
    return;
  } catch (...) {
    const std::string context =
        batch.size() == 1 ? "append to stream '" + batch[0]->command.stream + "'" : "append";
    auto failure = detail::classify_current_exception(context);
    if (failure.connection_lost || (writer && !writer->is_open())) {
      writer.reset();
    } else if (batch.size() > 1 && may_be_one_commands_fault(failure.error)) {
      for (PendingAppend* r : batch) run_batch(std::span<PendingAppend* const>(&r, 1));
      return;
    }
    for (PendingAppend* r : batch) r->done.set_value(failure.error);
  }
}

// ---- public boundary: pqxx exceptions never escape past here ----

Result<std::unique_ptr<PostgresEventStore>> PostgresEventStore::open(const PostgresOptions& options,
                                                                     const Clock& clock) {
  if (!is_postgres_url(options.url)) {
    return store_error(StoreErrc::invalid_argument,
                       "not a PostgreSQL URL: '" + options.url +
                           "' (expected postgresql://user@host:port/dbname)");
  }
  if (options.max_batch_commands == 0 || options.max_batch_events == 0) {
    return store_error(StoreErrc::invalid_argument,
                       "max_batch_commands and max_batch_events must be at least 1");
  }
  if (options.poll_interval.count() <= 0) {
    return store_error(StoreErrc::invalid_argument, "poll_interval must be positive");
  }
  auto impl = std::make_unique<Impl>(options, clock);
  try {
    if (auto opened = impl->open(); !opened) return opened.error();
  } catch (...) {
    // open() starts the threads last, after everything that can throw.
    return detail::classify_current_exception("open the PostgreSQL event store").error;
  }
  return std::unique_ptr<PostgresEventStore>(new PostgresEventStore(std::move(impl)));
}

PostgresEventStore::PostgresEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PostgresEventStore::~PostgresEventStore() {
  impl_->appends.stop();
  impl_->listener.reset();  // its callback uses impl_
}

Result<AppendResult> PostgresEventStore::append(const std::string& stream, ExpectedVersion expected,
                                                std::span<const NewEvent> events,
                                                const CommandId& command_id) {
  if (auto e = detail::check_append(impl_->read_only(), stream, events, command_id, check_text)) {
    return *e;
  }
  return impl_->appends.submit({stream, expected, events, command_id});
}

Result<std::vector<RecordedEvent>> PostgresEventStore::read_stream(const std::string& stream,
                                                                   StreamVersion from_version) {
  if (!detail::fits_pg_text(stream)) return std::vector<RecordedEvent>{};  // cannot exist
  return impl_->readers.with("read stream '" + stream + "'", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const pqxx::result rows = tx.exec_prepared(kReadStream, stream, from_version.value());
    std::vector<RecordedEvent> out;
    out.reserve(rows.size());
    for (const pqxx::row& r : rows) out.push_back(decode_row(r));
    return out;
  });
}

Result<std::vector<RecordedEvent>> PostgresEventStore::read_all(GlobalPosition from_position,
                                                                std::size_t max_count) {
  return impl_->readers.with("read all", [&](pqxx::connection& c) {
    const auto limit = static_cast<std::int64_t>(
        std::min<std::size_t>(max_count, std::numeric_limits<std::int64_t>::max()));
    pqxx::nontransaction tx(c);
    const pqxx::result rows = tx.exec_prepared(kReadAll, from_position.value(), limit);
    std::vector<RecordedEvent> out;
    out.reserve(rows.size());
    for (const pqxx::row& r : rows) out.push_back(decode_row(r));
    return out;
  });
}

Result<Head> PostgresEventStore::head() {
  return impl_->readers.with("read head", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return decode_head(tx.exec_prepared1(kHead));
  });
}

Result<ImportResult> PostgresEventStore::import(std::span<const RecordedEvent> events) {
  if (impl_->read_only()) {
    return store_error(StoreErrc::read_only, "this event store was opened read-only");
  }
  if (events.empty()) {
    return store_error(StoreErrc::invalid_argument, "an import needs at least one event");
  }
  std::lock_guard lock(impl_->import_mu);
  try {
    if (!impl_->importer) impl_->importer = impl_->connect_importer();
    auto head = detail::pg_import_batch(*impl_->importer, events);
    if (!head) return head.error();
    impl_->committed.publish(head->position);
    return ImportResult{static_cast<std::int64_t>(events.size()), std::move(*head)};
  } catch (...) {
    auto failure = detail::classify_current_exception(
        "import positions " + std::to_string(events.front().position.value()) + ".." +
        std::to_string(events.back().position.value()));
    if (failure.connection_lost || (impl_->importer && !impl_->importer->is_open())) {
      impl_->importer.reset();
    }
    return failure.error;
  }
}

GlobalPosition PostgresEventStore::wait_for_position(GlobalPosition after,
                                                     std::chrono::milliseconds timeout) {
  return impl_->committed.wait_past(after, timeout);
}

}  // namespace duban::storage
