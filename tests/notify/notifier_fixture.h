// What the notifier tests share: a real SQLite log (service::testing::ServiceTest) with the
// notifier's tables beside it, the fake clock at 2016-01-04 09:00 China time, and a sleeper that
// records each back-off wait instead of waiting.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "notify/retry.h"
#include "storage/sqlite_notify_state_store.h"
#include "tests/service/service_fixture.h"

namespace duban::testing {

// Records every wait instead of waiting.
class RecordingSleeper final : public notify::Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds delay) override { waits.push_back(delay); }
  std::vector<std::chrono::milliseconds> waits;
};

class NotifierFixture : public service::testing::ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    clock.advance_to(service::testing::utc(2016, 1, 4, 1));
    auto opened = storage::SqliteNotifyStateStore::open(path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    state = std::move(*opened);
  }

  std::unique_ptr<storage::SqliteNotifyStateStore> state;
  RecordingSleeper sleeper;
};

}  // namespace duban::testing
