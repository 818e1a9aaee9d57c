#include "storage/sqlite_token_store.h"

#include <utility>

#include "storage/detail/sqlite_db.h"
#include "storage/detail/token_table.h"
#include "storage/store_errc.h"

namespace duban::storage {

struct SqliteTokenStore::Impl {
  explicit Impl(detail::Db d) : db(std::move(d)) {}
  std::mutex mutex;  // guards db and the statements
  detail::Db db;
  std::unique_ptr<detail::Stmt> insert;  // declared after db: finalized first
  std::unique_ptr<detail::Stmt> select;
  ~Impl() {
    insert.reset();
    select.reset();
  }
};

SqliteTokenStore::SqliteTokenStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteTokenStore::~SqliteTokenStore() = default;

Result<std::unique_ptr<SqliteTokenStore>> SqliteTokenStore::open(
    const std::string& path, std::chrono::milliseconds busy_timeout) {
  try {
    detail::Db db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
    db.exec(detail::kCreateTokensTable);
    auto impl = std::make_unique<Impl>(std::move(db));
    impl->insert = std::make_unique<detail::Stmt>(
        impl->db, "INSERT INTO tokens(hash, role, unit, created_at_ms) VALUES(?, ?, ?, ?)");
    impl->select =
        std::make_unique<detail::Stmt>(impl->db, "SELECT role, unit FROM tokens WHERE hash = ?");
    return std::unique_ptr<SqliteTokenStore>(new SqliteTokenStore(std::move(impl)));
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "opening the token table");
  }
}

Result<std::string> SqliteTokenStore::create(const TokenGrant& grant, Timestamp now) {
  if (!grant.is_supervisor() && grant.unit.empty()) {
    return store_error(StoreErrc::invalid_argument, "a unit token needs a unit id");
  }
  const std::string token = new_token_text();
  // Bound with SQLITE_STATIC: every bound string must outlive the statement's run.
  const std::string hash = token_hash(token);
  try {
    std::lock_guard lock(impl_->mutex);
    auto q = impl_->insert->use();
    q.bind_text(1, hash);
    q.bind_text(2, grant.is_supervisor() ? "supervisor" : "unit");
    q.bind_text(3, grant.unit.str());
    q.bind(4, to_millis(now));
    q.run();
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "storing a token");
  }
  return token;
}

Result<std::optional<TokenGrant>> SqliteTokenStore::find(std::string_view token) {
  const std::string hash = token_hash(token);
  try {
    std::lock_guard lock(impl_->mutex);
    auto q = impl_->select->use();
    q.bind_text(1, hash);
    if (!q.step()) return std::optional<TokenGrant>();
    if (q.text(0) == "supervisor") return std::optional<TokenGrant>(TokenGrant::supervisor());
    return std::optional<TokenGrant>(TokenGrant::of_unit(UnitId(q.text(1))));
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "looking up a token");
  }
}

}  // namespace duban::storage
