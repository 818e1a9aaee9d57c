// open_blob_store(): the backend a --db value names (store_factory.h's rule).
#include "storage/blob_store.h"
#include "storage/postgres_event_store.h"
#include "storage/store_factory.h"

namespace duban::storage {

Result<std::unique_ptr<BlobStore>> open_sqlite_blob_store(const std::string& path, bool read_only);
Result<std::unique_ptr<BlobStore>> open_postgres_blob_store(const std::string& url, bool read_only);

Result<std::unique_ptr<BlobStore>> open_blob_store(const std::string& db, bool read_only) {
  auto store = is_postgres_url(db) ? open_postgres_blob_store(db, read_only)
                                   : open_sqlite_blob_store(db, read_only);
  if (!store) {
    return make_error(store.error().code, "cannot open the attachment tables in " + redact_db(db) +
                                              ": " + store.error().message);
  }
  return store;
}

}  // namespace duban::storage
