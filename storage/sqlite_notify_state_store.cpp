#include "storage/sqlite_notify_state_store.h"

#include <mutex>
#include <utility>

#include "storage/detail/notify_tables.h"
#include "storage/detail/sqlite_db.h"
#include "storage/store_errc.h"

namespace duban::storage {

struct SqliteNotifyStateStore::Impl {
  explicit Impl(detail::Db d) : db(std::move(d)) {}
  std::mutex mutex;  // guards db and the statements
  detail::Db db;
  std::unique_ptr<detail::Stmt> select_checkpoint;  // declared after db: finalized first
  std::unique_ptr<detail::Stmt> upsert_checkpoint;
  std::unique_ptr<detail::Stmt> upsert_failure;
  std::unique_ptr<detail::Stmt> select_failures;
  ~Impl() {
    select_checkpoint.reset();
    upsert_checkpoint.reset();
    upsert_failure.reset();
    select_failures.reset();
  }
};

SqliteNotifyStateStore::SqliteNotifyStateStore(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
SqliteNotifyStateStore::~SqliteNotifyStateStore() = default;

Result<std::unique_ptr<SqliteNotifyStateStore>> SqliteNotifyStateStore::open(
    const std::string& path, std::chrono::milliseconds busy_timeout) {
  try {
    detail::Db db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
    db.exec(detail::kCreateNotifyTables);
    auto impl = std::make_unique<Impl>(std::move(db));
    impl->select_checkpoint = std::make_unique<detail::Stmt>(
        impl->db, "SELECT position FROM notification_checkpoints WHERE subscription = ?");
    impl->upsert_checkpoint = std::make_unique<detail::Stmt>(
        impl->db,
        "INSERT INTO notification_checkpoints(subscription, position, updated_at_ms) "
        "VALUES(?, ?, ?) ON CONFLICT(subscription) DO UPDATE SET position = excluded.position, "
        "updated_at_ms = excluded.updated_at_ms");
    impl->upsert_failure = std::make_unique<detail::Stmt>(
        impl->db,
        "INSERT OR REPLACE INTO notification_failures(idempotency_key, position, recipient, "
        "channel, attempts, last_error, failed_at_ms) VALUES(?, ?, ?, ?, ?, ?, ?)");
    impl->select_failures = std::make_unique<detail::Stmt>(
        impl->db,
        "SELECT idempotency_key, position, recipient, channel, attempts, last_error, "
        "failed_at_ms FROM notification_failures ORDER BY position, idempotency_key");
    return std::unique_ptr<SqliteNotifyStateStore>(new SqliteNotifyStateStore(std::move(impl)));
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "opening the notification tables");
  }
}

Result<GlobalPosition> SqliteNotifyStateStore::checkpoint(const std::string& subscription) {
  try {
    std::lock_guard lock(impl_->mutex);
    auto q = impl_->select_checkpoint->use();
    q.bind_text(1, subscription);
    if (!q.step()) return GlobalPosition(0);
    return GlobalPosition(q.int64(0));
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "reading a notification checkpoint");
  }
}

Result<GlobalPosition> SqliteNotifyStateStore::set_checkpoint(const std::string& subscription,
                                                              GlobalPosition position,
                                                              Timestamp now) {
  try {
    std::lock_guard lock(impl_->mutex);
    auto q = impl_->upsert_checkpoint->use();
    q.bind_text(1, subscription);
    q.bind(2, position.value());
    q.bind(3, to_millis(now));
    q.run();
    return position;
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "storing a notification checkpoint");
  }
}

Result<GlobalPosition> SqliteNotifyStateStore::record_failure(const NotificationFailure& failure) {
  try {
    std::lock_guard lock(impl_->mutex);
    auto q = impl_->upsert_failure->use();
    q.bind_text(1, failure.idempotency_key);
    q.bind(2, failure.position.value());
    q.bind_text(3, failure.recipient);
    q.bind_text(4, failure.channel);
    q.bind(5, failure.attempts);
    q.bind_text(6, failure.last_error);
    q.bind(7, to_millis(failure.failed_at));
    q.run();
    return failure.position;
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "recording a failed notification");
  }
}

Result<std::vector<NotificationFailure>> SqliteNotifyStateStore::failures() {
  try {
    std::lock_guard lock(impl_->mutex);
    std::vector<NotificationFailure> out;
    auto q = impl_->select_failures->use();
    while (q.step()) {
      out.push_back(NotificationFailure{.idempotency_key = q.text(0),
                                        .position = GlobalPosition(q.int64(1)),
                                        .recipient = q.text(2),
                                        .channel = q.text(3),
                                        .attempts = static_cast<int>(q.int64(4)),
                                        .last_error = q.text(5),
                                        .failed_at = from_millis(q.int64(6))});
    }
    return out;
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "reading failed notifications");
  }
}

}  // namespace duban::storage
