// The --db option of the subcommands that use the event store: its default, its help text and
// the snapshot directory it implies. Opening the store is storage/store_factory.h's job, so every
// subcommand takes a SQLite path or a postgresql:// URL through the same code path.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "storage/store_factory.h"

namespace duban::app {

// Where subcommands keep their events unless --db says otherwise.
inline constexpr const char* kDefaultDatabase = "duban.db";

// The --db help line: what `what` is, that it takes a SQLite path or a postgresql:// URL, and
// what the subcommand needs of it (`access`).
std::string db_option_help(storage::StoreAccess access, std::string_view what = "event store");

// The snapshot directory for --db `db`: `given` (--snapshots / --dir) when set, else
// "<db>.snapshots" next to a SQLite file, else empty (a PostgreSQL URL has no "next to", so
// without an explicit directory no snapshots are read or written).
std::filesystem::path snapshot_dir_for(const std::string& db, const std::string& given);

}  // namespace duban::app
