// The BlobStore in the tables `blobs` and `blob_chunks` of a SQLite file, normally the event
// store's own (the event store never reads them). One connection behind a mutex; each chunk is
// its own short write transaction, so an upload never holds the write lock the log's appends
// need for longer than one 256 KiB insert.
#include <mutex>
#include <utility>

#include "storage/blob_store.h"
#include "storage/detail/blob_tables.h"
#include "storage/detail/sqlite_db.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

class SqliteBlobStore final : public BlobStore {
 public:
  SqliteBlobStore(detail::Db db, bool read_only, bool absent)
      : read_only_(read_only), absent_(absent), db_(std::move(db)) {}

  Result<BlobWriter> begin_put(std::int64_t max_size) override {
    if (read_only_)
      return store_error(StoreErrc::read_only, "the attachments were opened read-only");
    detail::ChunkWriter w;
    w.write = [this](const std::string& key, std::int64_t n, std::string_view bytes) {
      return guarded("storing an attachment chunk", [&] {
        detail::Stmt s(db_, "INSERT INTO blob_chunks(sha256, chunk_no, bytes) VALUES(?, ?, ?)");
        auto q = s.use();
        q.bind_text(1, key);
        q.bind(2, n);
        q.bind_blob(3, bytes);
        q.run();
        return true;
      });
    };
    w.publish = [this](const std::string& key, const BlobInfo& info, std::int64_t chunks,
                       Timestamp now) {
      return guarded("storing an attachment", [&] {
        db_.exec("BEGIN IMMEDIATE");
        try {
          detail::Stmt insert(db_,
                              "INSERT INTO blobs(sha256, size, chunks, created_at_ms) "
                              "VALUES(?, ?, ?, ?) ON CONFLICT(sha256) DO NOTHING");
          {
            auto q = insert.use();
            q.bind_text(1, info.sha256);
            q.bind(2, info.size);
            q.bind(3, chunks);
            q.bind(4, to_millis(now));
            q.run();
          }
          const bool inserted = sqlite3_changes(db_.get()) > 0;
          if (inserted) {
            detail::Stmt rename(db_, "UPDATE blob_chunks SET sha256 = ? WHERE sha256 = ?");
            auto q = rename.use();
            q.bind_text(1, info.sha256);
            q.bind_text(2, key);
            q.run();
          } else {  // the same content is stored already: keep that copy
            detail::Stmt drop(db_, "DELETE FROM blob_chunks WHERE sha256 = ?");
            auto q = drop.use();
            q.bind_text(1, key);
            q.run();
          }
          db_.exec("COMMIT");
        } catch (...) {
          db_.exec("ROLLBACK");
          throw;
        }
        return true;
      });
    };
    w.drop = [this](const std::string& key) {
      (void)guarded("dropping an unfinished attachment", [&] {
        detail::Stmt s(db_, "DELETE FROM blob_chunks WHERE sha256 = ?");
        auto q = s.use();
        q.bind_text(1, key);
        q.run();
        return true;
      });
    };
    return BlobWriter(std::move(w), max_size);
  }

  Result<std::optional<BlobInfo>> find(std::string_view sha256) override {
    if (absent_) return std::optional<BlobInfo>();
    return guarded("looking up an attachment", [&] {
      detail::Stmt s(db_, "SELECT size FROM blobs WHERE sha256 = ?");
      auto q = s.use();
      q.bind_text(1, sha256);
      if (!q.step()) return std::optional<BlobInfo>();
      return std::optional<BlobInfo>(BlobInfo{std::string(sha256), q.int64(0)});
    });
  }

  // One chunk per next() (by primary key): the mutex is not held while the caller works, and
  // no read transaction stays open across chunks.
  Result<std::optional<BlobReader>> open_reader(std::string_view sha256) override {
    if (absent_) return std::optional<BlobReader>();
    auto head = guarded("looking up an attachment", [&]() -> std::pair<std::int64_t, std::int64_t> {
      detail::Stmt s(db_, "SELECT size, chunks FROM blobs WHERE sha256 = ?");
      auto q = s.use();
      q.bind_text(1, sha256);
      if (!q.step()) return {-1, -1};
      return {q.int64(0), q.int64(1)};
    });
    if (!head) return head.error();
    if (head->second < 0) return std::optional<BlobReader>();
    std::string key(sha256);
    return std::optional<BlobReader>(
        BlobReader(BlobInfo{key, head->first}, head->second, [this, key](std::int64_t n) {
          return guarded("reading an attachment", [&] {
            detail::Stmt s(db_, "SELECT bytes FROM blob_chunks WHERE sha256 = ? AND chunk_no = ?");
            auto q = s.use();
            q.bind_text(1, key);
            q.bind(2, n);
            if (!q.step()) {
              throw detail::SqliteError(SQLITE_CORRUPT,
                                        "attachment " + key + " lacks chunk " + std::to_string(n));
            }
            return q.blob(0);
          });
        }));
  }

 private:
  template <class F>
  auto guarded(std::string_view context, F&& f) -> Result<decltype(f())> {
    try {
      std::lock_guard lock(mutex_);
      return f();
    } catch (const detail::SqliteError& e) {
      return detail::translate(e, context);
    }
  }

  const bool read_only_;
  const bool absent_;  // read-only on a file without the tables: no blob exists
  std::mutex mutex_;   // guards db_
  detail::Db db_;
};

}  // namespace

Result<std::unique_ptr<BlobStore>> open_sqlite_blob_store(const std::string& path, bool read_only) {
  try {
    detail::Db db(path,
                  (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                      SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(db.get(), 5000);
    bool absent = false;
    if (read_only) {
      absent = db.query_text(
                   "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                   "'blob_chunks'") == "0";
    } else {
      db.exec(detail::kCreateBlobTablesSqlite);
    }
    return std::unique_ptr<BlobStore>(new SqliteBlobStore(std::move(db), read_only, absent));
  } catch (const detail::SqliteError& e) {
    return detail::translate(e, "opening the attachment tables");
  }
}

}  // namespace duban::storage
