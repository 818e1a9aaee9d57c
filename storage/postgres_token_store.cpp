#include "storage/postgres_token_store.h"

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include <chrono>
#include <mutex>
#include <utility>
#include <vector>

#include "storage/detail/pg_conn.h"
#include "storage/detail/pg_pool.h"
#include "storage/detail/pg_text.h"
#include "storage/detail/token_table.h"
#include "storage/postgres_event_store.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

// Serializes table creation between processes opening a fresh database together (two CREATE
// TABLE IF NOT EXISTS racing can both pass the check and one then fails on the catalog).
// "duban" + 2; the event store's schema migrations hold "duban" + 1 (detail/pg_schema.h).
constexpr long long kTokensLockKey = 0x647562616e0002;

constexpr const char* kInsert = "duban_token_insert";
constexpr const char* kSelect = "duban_token_select";

// Lookups wait at most this long for a lock (an operator's maintenance on the table).
constexpr std::chrono::milliseconds kLockTimeout{5000};

}  // namespace

struct PostgresTokenStore::Impl {
  Impl(std::string u, std::string name)
      : url(std::move(u)), application_name(std::move(name)), pool([this] {
          auto conn = connect();
          prepare(*conn);
          return conn;
        }) {}

  std::unique_ptr<pqxx::connection> connect() {
    auto conn = detail::pg_connect(url, {.application_name = application_name,
                                         .role = detail::PgRole::tokens,
                                         .read_only = false,
                                         .lock_timeout = kLockTimeout});
    return conn;
  }

  static void prepare(pqxx::connection& conn) {
    detail::pg_prepare_now(
        conn, kInsert,
        "INSERT INTO tokens(hash, role, unit, created_at_ms) VALUES($1, $2, $3, $4)");
    detail::pg_prepare_now(conn, kSelect, "SELECT role, unit FROM tokens WHERE hash = $1");
  }

  const std::string url;
  const std::string application_name;
  detail::PgPool pool;  // pqxx exceptions end in pool.with()
};

PostgresTokenStore::PostgresTokenStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresTokenStore::~PostgresTokenStore() = default;

Result<std::unique_ptr<PostgresTokenStore>> PostgresTokenStore::open(
    const std::string& url, const std::string& application_name) {
  if (!is_postgres_url(url)) {
    return store_error(StoreErrc::invalid_argument,
                       "not a PostgreSQL URL (expected postgresql://user@host:port/dbname)");
  }
  auto impl = std::make_unique<Impl>(url, application_name);
  try {
    auto conn = impl->connect();
    {
      pqxx::work tx(*conn);
      // Create only when missing: a role without CREATE on the schema can still use the table
      // someone else made (CREATE TABLE IF NOT EXISTS checks the privilege first).
      const bool missing = tx.exec1("SELECT to_regclass('tokens') IS NULL")[0].as<bool>();
      if (missing) {
        tx.exec_params("SELECT pg_advisory_xact_lock($1)", kTokensLockKey);
        tx.exec(detail::kCreateTokensTable);
      }
      tx.commit();
    }
    Impl::prepare(*conn);
    impl->pool.add(std::move(conn));
  } catch (...) {
    return detail::classify_current_exception("open the PostgreSQL token table").error;
  }
  return std::unique_ptr<PostgresTokenStore>(new PostgresTokenStore(std::move(impl)));
}

Result<std::string> PostgresTokenStore::create(const TokenGrant& grant, Timestamp now) {
  if (!grant.is_supervisor() && grant.unit.empty()) {
    return store_error(StoreErrc::invalid_argument, "a unit token needs a unit id");
  }
  if (!detail::fits_pg_text(grant.unit.str())) {
    return store_error(StoreErrc::invalid_argument,
                       "the unit id is not valid UTF-8 or contains a NUL byte");
  }
  std::string token = new_token_text();
  const std::string hash = token_hash(token);
  auto stored = impl_->pool.with("storing a token", [&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    tx.exec_prepared(kInsert, hash, grant.is_supervisor() ? "supervisor" : "unit", grant.unit.str(),
                     to_millis(now));
    return true;
  });
  if (!stored) return stored.error();
  return token;
}

Result<std::optional<TokenGrant>> PostgresTokenStore::find(std::string_view token) {
  const std::string hash = token_hash(token);
  return impl_->pool.with("looking up a token", [&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    const pqxx::result rows = tx.exec_prepared(kSelect, hash);
    if (rows.empty()) return std::optional<TokenGrant>();
    if (std::string_view(rows[0][0].c_str()) == "supervisor") {
      return std::optional<TokenGrant>(TokenGrant::supervisor());
    }
    return std::optional<TokenGrant>(
        TokenGrant::of_unit(UnitId(rows[0][1].is_null() ? "" : rows[0][1].c_str())));
  });
}

}  // namespace duban::storage
