#include "storage/postgres_notify_state_store.h"

#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include <mutex>
#include <utility>

#include "storage/detail/notify_tables.h"
#include "storage/detail/pg_conn.h"
#include "storage/postgres_event_store.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

// Serializes table creation between processes opening a fresh database together. "duban" + 3;
// the schema migrations hold "duban" + 1, the token table "duban" + 2.
constexpr long long kNotifyLockKey = 0x647562616e0003;

}  // namespace

struct PostgresNotifyStateStore::Impl {
  Impl(std::string u, std::string name) : url(std::move(u)), application_name(std::move(name)) {}

  std::unique_ptr<pqxx::connection> connect() const {
    return detail::pg_connect(url, {.application_name = application_name,
                                    .role = detail::PgRole::notify,
                                    .read_only = false,
                                    .lock_timeout = std::chrono::milliseconds(5000)});
  }

  // Runs `f` on the connection (opened if needed) under the mutex; a failure drops the
  // connection, so the next call starts afresh.
  template <class F>
  auto with(std::string_view context, F&& f)
      -> Result<decltype(f(std::declval<pqxx::connection&>()))> {
    std::lock_guard lock(mutex);
    try {
      if (!conn || !conn->is_open()) conn = connect();
      return f(*conn);
    } catch (...) {
      conn.reset();
      return detail::classify_current_exception(context).error;
    }
  }

  const std::string url;
  const std::string application_name;
  std::mutex mutex;  // guards conn
  std::unique_ptr<pqxx::connection> conn;
};

PostgresNotifyStateStore::PostgresNotifyStateStore(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
PostgresNotifyStateStore::~PostgresNotifyStateStore() = default;

Result<std::unique_ptr<PostgresNotifyStateStore>> PostgresNotifyStateStore::open(
    const std::string& url, const std::string& application_name) {
  if (!is_postgres_url(url)) {
    return store_error(StoreErrc::invalid_argument,
                       "not a PostgreSQL URL (expected postgresql://user@host:port/dbname)");
  }
  auto impl = std::make_unique<Impl>(url, application_name);
  auto created = impl->with("open the PostgreSQL notification tables", [](pqxx::connection& c) {
    pqxx::work tx(c);
    const bool missing =
        tx.exec1("SELECT to_regclass('notification_failures') IS NULL")[0].as<bool>();
    if (missing) {
      tx.exec_params("SELECT pg_advisory_xact_lock($1)", kNotifyLockKey);
      tx.exec(detail::kCreateNotifyTables);
    }
    tx.commit();
    return true;
  });
  if (!created) return created.error();
  return std::unique_ptr<PostgresNotifyStateStore>(new PostgresNotifyStateStore(std::move(impl)));
}

Result<GlobalPosition> PostgresNotifyStateStore::checkpoint(const std::string& subscription) {
  return impl_->with("reading a notification checkpoint", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const auto rows = tx.exec_params(
        "SELECT position FROM notification_checkpoints WHERE subscription = $1", subscription);
    return rows.empty() ? GlobalPosition(0) : GlobalPosition(rows[0][0].as<std::int64_t>());
  });
}

Result<GlobalPosition> PostgresNotifyStateStore::set_checkpoint(const std::string& subscription,
                                                                GlobalPosition position,
                                                                Timestamp now) {
  return impl_->with("storing a notification checkpoint", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_params(
        "INSERT INTO notification_checkpoints(subscription, position, updated_at_ms) "
        "VALUES($1, $2, $3) ON CONFLICT(subscription) DO UPDATE SET position = "
        "excluded.position, updated_at_ms = excluded.updated_at_ms",
        subscription, position.value(), to_millis(now));
    return position;
  });
}

Result<GlobalPosition> PostgresNotifyStateStore::record_failure(
    const NotificationFailure& failure) {
  return impl_->with("recording a failed notification", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    tx.exec_params(
        "INSERT INTO notification_failures(idempotency_key, position, recipient, channel, "
        "attempts, last_error, failed_at_ms) VALUES($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT(idempotency_key) DO UPDATE SET position = excluded.position, "
        "recipient = excluded.recipient, channel = excluded.channel, attempts = "
        "excluded.attempts, last_error = excluded.last_error, failed_at_ms = "
        "excluded.failed_at_ms",
        failure.idempotency_key, failure.position.value(), failure.recipient, failure.channel,
        static_cast<std::int64_t>(failure.attempts), failure.last_error,
        to_millis(failure.failed_at));
    return failure.position;
  });
}

Result<std::vector<NotificationFailure>> PostgresNotifyStateStore::failures() {
  return impl_->with("reading failed notifications", [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const auto rows = tx.exec(
        "SELECT idempotency_key, position, recipient, channel, attempts, last_error, "
        "failed_at_ms FROM notification_failures ORDER BY position, idempotency_key");
    std::vector<NotificationFailure> out;
    for (const auto& row : rows) {
      out.push_back(NotificationFailure{.idempotency_key = row[0].c_str(),
                                        .position = GlobalPosition(row[1].as<std::int64_t>()),
                                        .recipient = row[2].c_str(),
                                        .channel = row[3].c_str(),
                                        .attempts = static_cast<int>(row[4].as<std::int64_t>()),
                                        .last_error = row[5].c_str(),
                                        .failed_at = from_millis(row[6].as<std::int64_t>())});
    }
    return out;
  });
}

}  // namespace duban::storage
