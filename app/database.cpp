#include "app/database.h"

#include <filesystem>
#include <system_error>

namespace duban::app {

Result<std::unique_ptr<storage::SqliteEventStore>> open_database(const std::string& path,
                                                                 DatabaseAccess access,
                                                                 const Clock& clock) {
  std::error_code ec;
  if (access != DatabaseAccess::kCreate && !std::filesystem::exists(path, ec)) {
    return make_error("no_database", "no database at " + path +
                                         " (create one with `duban ingest GAZETTE --db " + path +
                                         "`, or name another with --db)");
  }
  storage::SqliteOptions options;
  options.path = path;
  options.mode = access == DatabaseAccess::kReadOnly ? storage::SqliteOptions::Mode::read_only
                                                     : storage::SqliteOptions::Mode::read_write;
  auto store = storage::SqliteEventStore::open(options, clock);
  if (!store) {
    return make_error(store.error().code,
                      "cannot open database " + path + ": " + store.error().message);
  }
  return std::move(*store);
}

}  // namespace duban::app
