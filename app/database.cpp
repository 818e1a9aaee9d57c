#include "app/database.h"

#include "service/snapshot_files.h"

namespace duban::app {

std::string db_option_help(storage::StoreAccess access, std::string_view what) {
  std::string help(what);
  help += ": a SQLite file or a postgresql://user@host/dbname URL";
  switch (access) {
    case storage::StoreAccess::create:
      return help + " (created if missing)";
    case storage::StoreAccess::read_write:
      return help + " (must exist)";
    case storage::StoreAccess::read_only:
      return help + " (must exist; opened read-only)";
  }
  return help;
}

std::filesystem::path snapshot_dir_for(const std::string& db, const std::string& given) {
  return given.empty() ? service::default_snapshot_dir(db) : std::filesystem::path(given);
}

}  // namespace duban::app
