// Private to storage/: thin RAII wrappers over the SQLite C API. Failures throw SqliteError
// carrying the SQLite result code; SqliteEventStore catches it at its public boundary and
// translates it into a StoreErrc (see translate()). Nothing outside storage/ sees these.
//
// Thread-safety: a Db and its Stmts belong to one thread at a time (connections are opened
// with SQLITE_OPEN_NOMUTEX; the store serializes access itself).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/result.h"

namespace duban::storage::detail {

class SqliteError : public std::runtime_error {
 public:
  SqliteError(int rc, const std::string& what) : std::runtime_error(what), rc_(rc) {}
  int rc() const { return rc_; }  // the (extended) SQLite result code

 private:
  int rc_;
};

// Maps a SQLite result code and message to the store's error codes.
Error translate(const SqliteError& e, std::string_view context);

class Db {
 public:
  // Opens `path` with sqlite3_open_v2 `flags`; throws SqliteError on failure.
  Db(const std::string& path, int flags);
  Db(Db&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Db& operator=(Db&&) = delete;
  Db(const Db&) = delete;
  ~Db();

  sqlite3* get() const { return db_; }
  // Runs one or more statements without results; throws on failure.
  void exec(const char* sql);
  // Runs a statement returning a single text value (e.g. a PRAGMA).
  std::string query_text(const char* sql);
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }
  [[noreturn]] void fail(int rc, std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
};

// A prepared statement. Use through Stmt::Use, which resets it on both ends so no statement
// is left mid-step holding a read transaction (that would pin old WAL frames).
class Stmt {
 public:
  Stmt(Db& db, std::string_view sql);
  Stmt(Stmt&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  class Use {
   public:
    explicit Use(Stmt& s) : s_(s) { s_.reset(); }
    ~Use() { s_.reset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

    Use& bind(int i, std::int64_t v);
    Use& bind_text(int i, std::string_view v);
    Use& bind_blob(int i, std::string_view v);
    // Steps once: true when a row is available, false when done. Throws on error.
    bool step();
    void run() {
      while (step()) {
      }
    }

    std::int64_t int64(int col) const;
    bool is_null(int col) const;
    std::string text(int col) const;
    std::string blob(int col) const;
    // The column's bytes in SQLite's own buffer: valid until the next step() or column call.
    std::string_view text_view(int col) const;
    std::string_view blob_view(int col) const;

   private:
    Stmt& s_;
  };

  Use use() { return Use(*this); }

 private:
  void reset();
  Db* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace duban::storage::detail
