#include "storage/detail/sqlite_db.h"

#include "storage/store_errc.h"

namespace duban::storage::detail {

Error translate(const SqliteError& e, std::string_view context) {
  StoreErrc code = StoreErrc::internal;
  switch (e.rc() & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = StoreErrc::busy;
      break;
    case SQLITE_READONLY:
      code = StoreErrc::read_only;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      code = StoreErrc::corrupt;
      break;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOMEM:
      code = StoreErrc::io_error;
      break;
    case SQLITE_CONSTRAINT:
      // UNIQUE(stream, stream_version) or the position key: another process appended first.
      if (e.rc() == SQLITE_CONSTRAINT_UNIQUE || e.rc() == SQLITE_CONSTRAINT_PRIMARYKEY) {
        code = StoreErrc::version_conflict;
      }
      break;
    default:
      break;
  }
  return store_error(code, std::string(context) + ": " + e.what());
}

Db::Db(const std::string& path, int flags) {
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw SqliteError(rc, "cannot open " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
  // All statements are finalized by their owners first (members declared after the Db).
  if (db_) sqlite3_close(db_);
}

void Db::fail(int rc, std::string_view what) const {
  throw SqliteError(rc, std::string(what) + ": " + sqlite3_errmsg(db_));
}

void Db::exec(const char* sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqliteError(rc, std::string(sql) + ": " + msg);
  }
}

std::string Db::query_text(const char* sql) {
  Stmt s(*this, sql);
  auto q = s.use();
  return q.step() ? q.text(0) : std::string();
}

Stmt::Stmt(Db& db, std::string_view sql) : db_(&db) {
  const int rc = sqlite3_prepare_v3(db.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "prepare \"" + std::string(sql) + "\"");
}

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

void Stmt::reset() {
  sqlite3_reset(stmt_);  // returns the last step's error again; already reported by step()
  sqlite3_clear_bindings(stmt_);
}

Stmt::Use& Stmt::Use::bind(int i, std::int64_t v) {
  const int rc = sqlite3_bind_int64(s_.stmt_, i, v);
  if (rc != SQLITE_OK) s_.db_->fail(rc, "bind");
  return *this;
}

Stmt::Use& Stmt::Use::bind_text(int i, std::string_view v) {
  const int rc = sqlite3_bind_text64(s_.stmt_, i, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
  if (rc != SQLITE_OK) s_.db_->fail(rc, "bind");
  return *this;
}

Stmt::Use& Stmt::Use::bind_blob(int i, std::string_view v) {
  // A zero-length BLOB must not bind as NULL: give SQLite a non-null pointer.
  static const char kEmpty = 0;
  const int rc =
      sqlite3_bind_blob64(s_.stmt_, i, v.empty() ? &kEmpty : v.data(), v.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) s_.db_->fail(rc, "bind");
  return *this;
}

bool Stmt::Use::step() {
  const int rc = sqlite3_step(s_.stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  s_.db_->fail(rc, std::string("step \"") + sqlite3_sql(s_.stmt_) + "\"");
}

std::int64_t Stmt::Use::int64(int col) const {
  return sqlite3_column_int64(s_.stmt_, col);
}

bool Stmt::Use::is_null(int col) const {
  return sqlite3_column_type(s_.stmt_, col) == SQLITE_NULL;
}

std::string Stmt::Use::text(int col) const {
  return std::string(text_view(col));
}

std::string Stmt::Use::blob(int col) const {
  return std::string(blob_view(col));
}

std::string_view Stmt::Use::text_view(int col) const {
  const auto* p = sqlite3_column_text(s_.stmt_, col);
  const int n = sqlite3_column_bytes(s_.stmt_, col);
  return p ? std::string_view(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n))
           : std::string_view();
}

std::string_view Stmt::Use::blob_view(int col) const {
  const void* p = sqlite3_column_blob(s_.stmt_, col);
  const int n = sqlite3_column_bytes(s_.stmt_, col);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(n))
           : std::string_view();
}

}  // namespace duban::storage::detail
