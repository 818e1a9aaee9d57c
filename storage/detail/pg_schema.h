// Private to storage/: the PostgreSQL schema of the event store and how it is created and
// migrated. The DDL is reproduced and explained in docs/storage.md.
//
// The schema is a list of numbered migrations; meta('schema_version') records the last one
// applied. Opening a database read-write applies the missing ones in one transaction under an
// advisory lock, so several nodes starting at once against a fresh database create it once.
// A database with a higher version than this build knows is refused (schema_too_new) and left
// untouched. Migrations only ever add, so a read-only open accepts any version up to ours.
//
// Thread-safety: functions use the given connection only; one thread per connection.
#pragma once

#include <pqxx/connection>

#include <span>

#include "model/result.h"

namespace duban::storage::detail {

struct PgMigration {
  int version;      // 1, 2, 3, ... applied in order
  const char* sql;  // one or more statements; runs inside the migration transaction
};

// The migrations of this build; the last one's version is kPgSchemaVersion.
std::span<const PgMigration> pg_migrations();
inline constexpr int kPgSchemaVersion = 1;

// The advisory lock key taken while migrating ("duban" + 1 as bytes), documented so operators
// know what it is when they see it in pg_locks.
inline constexpr long long kPgMigrationLockKey = 0x647562616e0001;

// Creates or upgrades the schema to steps.back().version and returns that version. Errors:
// schema_too_new (the database is newer), corrupt (tables of ours missing or foreign tables in
// the way), invalid_argument (the database is not UTF8). Throws pqxx exceptions for
// connection and server failures. `steps` is a parameter so tests can migrate with a list
// that has a newer step than this build.
Result<int> pg_migrate(pqxx::connection& conn,
                       std::span<const PgMigration> steps = pg_migrations());

// The schema version without writing; for read-only opens. Errors: not_found (no event store
// in this database), schema_too_new, corrupt.
Result<int> pg_check_schema(pqxx::connection& conn, int supported = kPgSchemaVersion);

}  // namespace duban::storage::detail
