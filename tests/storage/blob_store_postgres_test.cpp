// The BlobStore contract (blob_store_contract.h) on a throwaway PostgreSQL database beside a
// PostgreSQL event store, opened through open_blob_store() as the server opens it.
#include <gtest/gtest.h>

#include "storage/blob_store.h"
#include "storage/store_factory.h"
#include "tests/storage/blob_store_contract.h"
#include "tests/storage/postgres_test_db.h"

namespace duban::storage {
namespace {

TEST(PostgresBlobStore, KeepsAttachmentsInChunksBesideTheLog) {
  testing::TestDatabase db;
  FixedClock clock(from_millis(0));
  auto events = open_event_store(db.url(), StoreAccess::create, clock);
  ASSERT_TRUE(events.ok()) << events.error().message;
  auto store = open_blob_store(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing::expect_blob_store_contract(**store, [&](const std::string& sha256) {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    const auto r = tx.exec_params(
        "UPDATE blob_chunks SET bytes = set_byte(bytes, 0, (get_byte(bytes, 0) + 1) % 256) "
        "WHERE sha256 = $1 AND chunk_no = 1",
        sha256);
    EXPECT_EQ(r.affected_rows(), 1u);
  });
  auto again = open_blob_store(db.url());
  ASSERT_TRUE(again.ok()) << "opening over existing tables";
}

TEST(PostgresBlobStore, AWriterStoresChunksAsTheyComeAndAnAbortKeepsNothing) {
  testing::TestDatabase db;
  FixedClock clock(from_millis(0));
  auto events = open_event_store(db.url(), StoreAccess::create, clock);
  ASSERT_TRUE(events.ok()) << events.error().message;
  auto store = open_blob_store(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing::expect_blob_writer_contract(**store, [&]() -> std::int64_t {
    pqxx::connection c(db.url());
    pqxx::nontransaction tx(c);
    return tx.exec1("SELECT count(*) FROM blob_chunks")[0].as<std::int64_t>();
  });
}

}  // namespace
}  // namespace duban::storage
