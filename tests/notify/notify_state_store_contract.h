// One contract for both NotifyStateStore backends (storage/notify_state_store.h), run on a real
// SQLite file (notify_state_store_test.cpp) and a throwaway PostgreSQL database
// (notify_postgres_test.cpp): a fresh checkpoint is 0 and each set is read back; a failure is
// listed with every field, and recording the same key again replaces it.
#pragma once

#include <gtest/gtest.h>

#include "storage/notify_state_store.h"

namespace duban::notify::testing {

inline void expect_notify_state_store_contract(storage::NotifyStateStore& store) {
  auto fresh = store.checkpoint("notify");
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(*fresh, GlobalPosition(0));
  ASSERT_TRUE(store.set_checkpoint("notify", GlobalPosition(7), from_millis(1000)).ok());
  ASSERT_TRUE(store.set_checkpoint("notify", GlobalPosition(12), from_millis(2000)).ok());
  ASSERT_TRUE(store.set_checkpoint("other", GlobalPosition(3), from_millis(2000)).ok());
  EXPECT_EQ(*store.checkpoint("notify"), GlobalPosition(12));
  EXPECT_EQ(*store.checkpoint("other"), GlobalPosition(3));

  storage::NotificationFailure f{.idempotency_key = "9:发展改革委:office",
                                 .position = GlobalPosition(9),
                                 .recipient = "发展改革委",
                                 .channel = "office",
                                 .attempts = 6,
                                 .last_error = "webhook office answered HTTP 500",
                                 .failed_at = from_millis(5000)};
  storage::NotificationFailure earlier = f;
  earlier.idempotency_key = "4:财政厅:office";
  earlier.position = GlobalPosition(4);
  earlier.recipient = "财政厅";
  ASSERT_TRUE(store.record_failure(f).ok());
  ASSERT_TRUE(store.record_failure(earlier).ok());
  f.attempts = 3;
  f.last_error = "timeout";
  ASSERT_TRUE(store.record_failure(f).ok()) << "the same key again replaces the record";
  auto listed = store.failures();
  ASSERT_TRUE(listed.ok()) << listed.error().message;
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ(listed->at(0), earlier) << "by position";
  EXPECT_EQ(listed->at(1), f);
}

}  // namespace duban::notify::testing
