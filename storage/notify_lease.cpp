#include "storage/notify_lease.h"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include <mutex>

#include "storage/detail/pg_conn.h"
#include "storage/postgres_event_store.h"

namespace duban::storage {
namespace {

// The advisory lock key: "duban" + 4 (the schema migrations hold + 1, the token table + 2, the
// notification tables' creation + 3).
constexpr long long kLeaseKey = 0x647562616e0004;

class HeldLease final : public NotifyLease {
 public:
  Result<bool> hold() override { return true; }
  void release() override {}
};

class PostgresLease final : public NotifyLease {
 public:
  PostgresLease(std::string url, std::string name) : url_(std::move(url)), name_(std::move(name)) {}

  Result<bool> hold() override {
    std::lock_guard lock(mutex_);
    try {
      if (!conn_ || !conn_->is_open()) {
        held_ = false;
        conn_ = detail::pg_connect(url_, {.application_name = name_,
                                          .role = detail::PgRole::notify,
                                          .read_only = false,
                                          .lock_timeout = std::chrono::milliseconds(5000)});
      }
      pqxx::nontransaction tx(*conn_);
      if (held_) {
        tx.exec("SELECT 1");  // the lock lives as long as this session: is it still there?
      } else {
        held_ = tx.exec_params1("SELECT pg_try_advisory_lock($1)", kLeaseKey)[0].as<bool>();
      }
      return held_;
    } catch (...) {
      conn_.reset();
      held_ = false;
      return detail::classify_current_exception("hold the notifier lease").error;
    }
  }

  void release() override {
    std::lock_guard lock(mutex_);
    // Unlocked explicitly so another node can take it at once: the server ends a closed session
    // (and frees its locks) only a moment after the client has gone.
    if (conn_ && held_) {
      try {
        pqxx::nontransaction tx(*conn_);
        tx.exec_params("SELECT pg_advisory_unlock($1)", kLeaseKey);
      } catch (...) {  // the connection is gone: so is the lock, once the server notices
      }
    }
    conn_.reset();
    held_ = false;
  }

 private:
  const std::string url_;
  const std::string name_;
  std::mutex mutex_;  // guards conn_ and held_
  std::unique_ptr<pqxx::connection> conn_;
  bool held_ = false;
};

}  // namespace

Result<std::unique_ptr<NotifyLease>> open_notify_lease(const std::string& db,
                                                       const std::string& application_name) {
  if (is_postgres_url(db)) {
    return std::unique_ptr<NotifyLease>(std::make_unique<PostgresLease>(db, application_name));
  }
  return std::unique_ptr<NotifyLease>(std::make_unique<HeldLease>());
}

}  // namespace duban::storage
