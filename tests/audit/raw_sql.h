// Changing a store's SQLite file behind duban's back, as an attacker with write access to the
// file would: raw SQL through the SQLite C API, bypassing the EventStore. The events table
// refuses UPDATE and DELETE by trigger, so tampering statements drop the triggers first.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace duban::audit::testing {

// Runs `sql` (any number of statements) on the file at `path`; throws with SQLite's message.
inline void raw_sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path + ": " + why);
  }
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string why = error ? error : "?";
    sqlite3_free(error);
    sqlite3_close(db);
    throw std::runtime_error("SQL failed on " + path + ": " + why + "\n" + sql);
  }
  sqlite3_close(db);
}

// Runs one statement binding `blob` to ?1 and `position` to ?2.
inline void raw_update_blob(const std::string& path, const std::string& sql,
                            const std::string& blob, std::int64_t position) {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  bool ok = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
            sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_bind_blob(stmt, 1, blob.data(), static_cast<int>(blob.size()),
                              SQLITE_TRANSIENT) == SQLITE_OK &&
            sqlite3_bind_int64(stmt, 2, position) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_DONE;
  const std::string why = db ? sqlite3_errmsg(db) : "out of memory";
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!ok) throw std::runtime_error("SQL failed on " + path + ": " + why + "\n" + sql);
}

inline constexpr const char* kDropTriggers =
    "DROP TRIGGER IF EXISTS events_are_append_only_update;"
    "DROP TRIGGER IF EXISTS events_are_append_only_delete;";

}  // namespace duban::audit::testing
