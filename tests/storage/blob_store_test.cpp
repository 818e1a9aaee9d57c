// The BlobStore contract (blob_store_contract.h) on a real SQLite file beside an event store,
// opened through open_blob_store() as the server opens it; the bytes survive reopening.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "storage/blob_store.h"
#include "storage/sqlite_event_store.h"
#include "tests/storage/blob_store_contract.h"
#include "tests/support/temp_dir.h"

namespace duban::storage {
namespace {

// Flips the first byte of chunk 1 of the blob, through SQLite directly.
void corrupt_sqlite(const std::string& path, const std::string& sha256) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* read = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT bytes FROM blob_chunks WHERE sha256 = ? AND chunk_no = 1", -1,
                         &read, nullptr),
      SQLITE_OK);
  sqlite3_bind_text(read, 1, sha256.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(read), SQLITE_ROW);
  std::string bytes(static_cast<const char*>(sqlite3_column_blob(read, 0)),
                    static_cast<std::size_t>(sqlite3_column_bytes(read, 0)));
  sqlite3_finalize(read);
  bytes[0] = static_cast<char>(bytes[0] ^ 0x01);
  sqlite3_stmt* write = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "UPDATE blob_chunks SET bytes = ? WHERE sha256 = ? AND chunk_no = 1",
                         -1, &write, nullptr),
      SQLITE_OK);
  sqlite3_bind_blob(write, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(write, 2, sha256.c_str(), -1, SQLITE_TRANSIENT);
  EXPECT_EQ(sqlite3_step(write), SQLITE_DONE);
  sqlite3_finalize(write);
  EXPECT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
}

TEST(SqliteBlobStore, KeepsAttachmentsInChunksBesideTheLog) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("events.db");
  FixedClock clock(from_millis(0));
  auto events = SqliteEventStore::open({.path = db}, clock);
  ASSERT_TRUE(events.ok()) << events.error().message;
  auto store = open_blob_store(db);
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing::expect_blob_store_contract(
      **store, [&](const std::string& sha256) { corrupt_sqlite(db, sha256); });
}

TEST(SqliteBlobStore, AWriterStoresChunksAsTheyComeAndAnAbortKeepsNothing) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("events.db");
  FixedClock clock(from_millis(0));
  auto events = SqliteEventStore::open({.path = db}, clock);
  ASSERT_TRUE(events.ok()) << events.error().message;
  auto store = open_blob_store(db);
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing::expect_blob_writer_contract(**store, [&]() -> std::int64_t {
    sqlite3* c = nullptr;
    EXPECT_EQ(sqlite3_open(db.c_str(), &c), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(c, "SELECT count(*) FROM blob_chunks", -1, &q, nullptr),
              SQLITE_OK);
    EXPECT_EQ(sqlite3_step(q), SQLITE_ROW);
    const std::int64_t n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(c);
    return n;
  });
}

TEST(SqliteBlobStore, BlobsSurviveReopening) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("events.db");
  FixedClock clock(from_millis(0));
  auto events = SqliteEventStore::open({.path = db}, clock);
  ASSERT_TRUE(events.ok());
  const std::string bytes = testing::pattern_bytes(1000);
  std::string sha;
  {
    auto store = open_blob_store(db);
    ASSERT_TRUE(store.ok());
    auto put = put_blob_bytes(**store, bytes, 1 << 20, from_millis(0));
    ASSERT_TRUE(put.ok());
    sha = put->sha256;
  }
  auto store = open_blob_store(db);
  ASSERT_TRUE(store.ok());
  std::string back;
  ASSERT_TRUE(*(*store)->read(sha, [&](std::string_view c) -> Result<bool> {
    back.append(c);
    return true;
  }));
  EXPECT_TRUE(back == bytes);
}

}  // namespace
}  // namespace duban::storage
