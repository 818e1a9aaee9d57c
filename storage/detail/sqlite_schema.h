// Private to storage/: the SQLite schema of the event store and the check that refuses a
// database written by a newer duban. The DDL is reproduced and explained in docs/storage.md.
#pragma once

#include "storage/detail/sqlite_db.h"

namespace duban::storage::detail {

// The layout version this build reads and writes, stored in meta('schema_version').
inline constexpr int kSchemaVersion = 1;

// Creates the tables if the file is new; returns an Error (schema_too_new, corrupt) when the
// file is a database this build must not touch. Requires a read-write connection.
Result<int> create_or_check_schema(Db& db);

// Checks without writing; for read-only opens.
Result<int> check_schema(Db& db);

}  // namespace duban::storage::detail
