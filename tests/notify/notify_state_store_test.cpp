// The NotifyStateStore contract (notify_state_store_contract.h) on a real SQLite file beside an
// event store, opened through open_notify_state_store() as `duban notify` opens it; and the
// tables survive reopening.
#include <gtest/gtest.h>

#include "storage/notify_state_store.h"
#include "storage/sqlite_event_store.h"
#include "tests/notify/notify_state_store_contract.h"
#include "tests/support/temp_dir.h"

namespace duban::notify {
namespace {

TEST(SqliteNotifyStateStore, KeepsCheckpointsAndFailuresBesideTheLog) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("events.db");
  FixedClock clock(from_millis(0));
  auto events = storage::SqliteEventStore::open({.path = db}, clock);
  ASSERT_TRUE(events.ok()) << events.error().message;
  {
    auto store = storage::open_notify_state_store(db);
    ASSERT_TRUE(store.ok()) << store.error().message;
    testing::expect_notify_state_store_contract(**store);
  }
  auto reopened = storage::open_notify_state_store(db);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->checkpoint("notify"), GlobalPosition(12));
  EXPECT_EQ((*(*reopened)->failures()).size(), 2u);
}

}  // namespace
}  // namespace duban::notify
