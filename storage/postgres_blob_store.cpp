// The BlobStore in the tables `blobs` and `blob_chunks` of the log's PostgreSQL database. One
// connection behind a mutex, opened on first use and dropped after a failure. Chunks travel as
// bytea hex text (detail/pg_text.h), one row per statement.
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include <mutex>
#include <utility>

#include "storage/blob_store.h"
#include "storage/detail/blob_tables.h"
#include "storage/detail/pg_conn.h"
#include "storage/detail/pg_text.h"
#include "storage/postgres_event_store.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

// Serializes table creation between processes opening a fresh database together. "duban" +
// 0xb1 (blobs);
// the schema migrations hold "duban" + 1, the token table + 2, the notifier's tables + 3.
constexpr long long kBlobsLockKey = 0x647562616e00b1;

class PostgresBlobStore final : public BlobStore {
 public:
  PostgresBlobStore(std::string url, bool read_only)
      : url_(std::move(url)), read_only_(read_only) {}

  // Runs `f` on the connection (opened if needed) under the mutex; a failure drops the
  // connection, so the next call starts afresh.
  template <class F>
  auto with(std::string_view context, F&& f)
      -> Result<decltype(f(std::declval<pqxx::connection&>()))> {
    std::lock_guard lock(mutex_);
    try {
      if (!conn_ || !conn_->is_open()) {
        conn_ = detail::pg_connect(url_, {.application_name = "duban",
                                          .role = detail::PgRole::blobs,
                                          .read_only = read_only_,
                                          .lock_timeout = std::chrono::milliseconds(5000)});
      }
      return f(*conn_);
    } catch (...) {
      conn_.reset();
      return detail::classify_current_exception(context).error;
    }
  }

  Result<BlobWriter> begin_put(std::int64_t max_size) override {
    if (read_only_)
      return store_error(StoreErrc::read_only, "the attachments were opened read-only");
    detail::ChunkWriter w;
    w.write = [this](const std::string& key, std::int64_t n, std::string_view bytes) {
      return with("storing an attachment chunk", [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        tx.exec_params("INSERT INTO blob_chunks(sha256, chunk_no, bytes) VALUES($1, $2, $3::bytea)",
                       key, n, detail::bytea_hex(bytes));
        return true;
      });
    };
    w.publish = [this](const std::string& key, const BlobInfo& info, std::int64_t chunks,
                       Timestamp now) {
      return with("storing an attachment", [&](pqxx::connection& c) {
        pqxx::work tx(c);
        // A concurrent put of the same content waits here for the first one's commit, then
        // finds the row and drops its own chunks.
        const auto inserted = tx.exec_params(
            "INSERT INTO blobs(sha256, size, chunks, created_at_ms) VALUES($1, $2, $3, $4) "
            "ON CONFLICT(sha256) DO NOTHING RETURNING sha256",
            info.sha256, info.size, chunks, to_millis(now));
        if (!inserted.empty()) {
          tx.exec_params("UPDATE blob_chunks SET sha256 = $1 WHERE sha256 = $2", info.sha256, key);
        } else {
          tx.exec_params("DELETE FROM blob_chunks WHERE sha256 = $1", key);
        }
        tx.commit();
        return true;
      });
    };
    w.drop = [this](const std::string& key) {
      (void)with("dropping an unfinished attachment", [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        tx.exec_params("DELETE FROM blob_chunks WHERE sha256 = $1", key);
        return true;
      });
    };
    return BlobWriter(std::move(w), max_size);
  }

  Result<std::optional<BlobInfo>> find(std::string_view sha256) override {
    if (absent_) return std::optional<BlobInfo>();
    const std::string key(sha256);
    return with("looking up an attachment", [&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      const auto rows = tx.exec_params("SELECT size FROM blobs WHERE sha256 = $1", key);
      if (rows.empty()) return std::optional<BlobInfo>();
      return std::optional<BlobInfo>(BlobInfo{key, rows[0][0].as<std::int64_t>()});
    });
  }

  Result<std::optional<BlobReader>> open_reader(std::string_view sha256) override {
    if (absent_) return std::optional<BlobReader>();
    const std::string key(sha256);
    auto head = with("looking up an attachment",
                     [&](pqxx::connection& c) -> std::pair<std::int64_t, std::int64_t> {
                       pqxx::nontransaction tx(c);
                       const auto rows =
                           tx.exec_params("SELECT size, chunks FROM blobs WHERE sha256 = $1", key);
                       if (rows.empty()) return {-1, -1};
                       return {rows[0][0].as<std::int64_t>(), rows[0][1].as<std::int64_t>()};
                     });
    if (!head) return head.error();
    if (head->second < 0) return std::optional<BlobReader>();
    return std::optional<BlobReader>(
        BlobReader(BlobInfo{key, head->first}, head->second, [this, key](std::int64_t n) {
          return with("reading an attachment", [&](pqxx::connection& c) {
            pqxx::nontransaction tx(c);
            const auto rows = tx.exec_params(
                "SELECT bytes FROM blob_chunks WHERE sha256 = $1 AND chunk_no = $2", key, n);
            if (rows.empty()) {
              throw std::runtime_error("attachment " + key + " lacks chunk " + std::to_string(n));
            }
            return detail::bytea_from_hex(rows[0][0].c_str());
          });
        }));
  }

  bool absent_ = false;  // read-only on a database without the tables: no blob exists

 private:
  const std::string url_;
  const bool read_only_;
  std::mutex mutex_;  // guards conn_
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> open_postgres_blob_store(const std::string& url,
                                                            bool read_only) {
  auto store = std::make_unique<PostgresBlobStore>(url, read_only);
  auto created = store->with("open the PostgreSQL attachment tables", [&](pqxx::connection& c) {
    pqxx::work tx(c);
    const bool missing = tx.exec1("SELECT to_regclass('blob_chunks') IS NULL")[0].as<bool>();
    if (read_only) {
      store->absent_ = missing;
    } else if (missing) {
      tx.exec_params("SELECT pg_advisory_xact_lock($1)", kBlobsLockKey);
      tx.exec(detail::kCreateBlobTablesPostgres);
    }
    tx.commit();
    return true;
  });
  if (!created) return created.error();
  return std::unique_ptr<BlobStore>(std::move(store));
}

}  // namespace duban::storage
