// The EventStore contract suite, shared by every backend. Each backend's test file provides a
// Backend (a fresh, real, empty database per test) and instantiates the suite in one line:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, EventStoreContract,
//                            ::testing::Values(BackendFactory{"sqlite", &make_sqlite_backend}),
//                            backend_name);
//
// The tests themselves live in event_store_contract_test.cpp.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "model/time.h"
#include "storage/event_store.h"

namespace duban::storage::testing {

// One test's database on one backend. open() may be called again after the previous store was
// destroyed ("restart"); every call reaches the same database.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::unique_ptr<EventStore> open(const Clock& clock) = 0;
  // An auditor's connection: reads work, appends fail with read_only.
  virtual std::unique_ptr<EventStore> open_read_only(const Clock& clock) = 0;
};

struct BackendFactory {
  std::string name;
  std::function<std::unique_ptr<Backend>()> make;  // a fresh empty database per call
};

inline std::string backend_name(const ::testing::TestParamInfo<BackendFactory>& info) {
  return info.param.name;
}

class EventStoreContract : public ::testing::TestWithParam<BackendFactory> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    store_ = backend_->open(clock_);
    ASSERT_NE(store_, nullptr);
  }
  void TearDown() override { store_.reset(); }

  EventStore& store() { return *store_; }
  void reopen() {
    store_.reset();
    store_ = backend_->open(clock_);
    ASSERT_NE(store_, nullptr);
  }

  FixedClock clock_{from_millis(1'767'312'000'000)};  // 2026-01-02T00:00:00Z
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<EventStore> store_;
};

}  // namespace duban::storage::testing
