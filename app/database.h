// Opening the event store a subcommand's --db names, with errors a person can act on. The one
// place the CLI picks a backend (SQLite, the embedded default).
#pragma once

#include <memory>
#include <string>

#include "model/result.h"
#include "model/time.h"
#include "storage/sqlite_event_store.h"

namespace duban::app {

// Where subcommands keep their events unless --db says otherwise.
inline constexpr const char* kDefaultDatabase = "duban.db";

enum class DatabaseAccess {
  kCreate,     // read-write; creates the file when missing (ingest)
  kReadWrite,  // read-write; the file must exist (sweep)
  kReadOnly,   // reads only; the file must exist (tasks)
};

// Errors: "no_database" when the file must exist and does not (the message says how to create
// one), otherwise the store's error with the path in the message. `clock` must outlive the store.
Result<std::unique_ptr<storage::SqliteEventStore>> open_database(const std::string& path,
                                                                 DatabaseAccess access,
                                                                 const Clock& clock);

}  // namespace duban::app
