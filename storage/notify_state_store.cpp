#include "storage/notify_state_store.h"

#include "storage/postgres_event_store.h"
#include "storage/postgres_notify_state_store.h"
#include "storage/sqlite_notify_state_store.h"
#include "storage/store_factory.h"

namespace duban::storage {

Result<std::unique_ptr<NotifyStateStore>> open_notify_state_store(const std::string& db) {
  if (is_postgres_url(db)) {
    auto store = PostgresNotifyStateStore::open(db);
    if (!store) {
      return make_error(store.error().code, "cannot open the notification tables in " +
                                                redact_db(db) + ": " + store.error().message);
    }
    return std::unique_ptr<NotifyStateStore>(std::move(*store));
  }
  auto store = SqliteNotifyStateStore::open(db);
  if (!store) {
    return make_error(store.error().code, "cannot open the notification tables in " + db + ": " +
                                              store.error().message);
  }
  return std::unique_ptr<NotifyStateStore>(std::move(*store));
}

}  // namespace duban::storage
