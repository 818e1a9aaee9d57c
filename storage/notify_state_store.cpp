#include "storage/notify_state_store.h"

#include "storage/sqlite_notify_state_store.h"
#include "storage/store_factory.h"

namespace duban::storage {

Result<std::unique_ptr<NotifyStateStore>> open_notify_state_store(const std::string& db) {
  if (db.starts_with("postgresql://") || db.starts_with("postgres://")) {
    return make_error("not_supported",
                      "notifications keep their checkpoint only in a SQLite database so far; " +
                          redact_db(db) + " is PostgreSQL");
  }
  auto store = SqliteNotifyStateStore::open(db);
  if (!store) {
    return make_error(store.error().code, "cannot open the notification tables in " + db + ": " +
                                              store.error().message);
  }
  return std::unique_ptr<NotifyStateStore>(std::move(*store));
}

}  // namespace duban::storage
