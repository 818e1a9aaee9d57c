// A TaskService over a real SQLite file in a temp dir, with a fake clock the test advances, and
// helpers to run commands that must be accepted. Shared by the service and read-model tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "model/task/commands.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/sqlite_event_store.h"
#include "tests/support/temp_dir.h"

namespace duban::service::testing {

// The tests drive real stores and their results through the service.
using namespace duban::storage;

// A UTC instant.
inline Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
  using namespace std::chrono;
  return sys_days(year(y) / month(mo) / day(d)) + hours(h) + minutes(mi);
}

inline task::Provenance provenance_for(const std::string& document, const std::string& label) {
  return task::Provenance{DocumentId(document),
                          1,
                          "任务分工",
                          label,
                          "建立共享机制",
                          "建立共享机制。（省商务厅牵头）",
                          10,
                          11};
}

inline task::CreateTask create(const std::string& task, std::vector<std::string> leads,
                               std::vector<std::string> participants = {},
                               task::Deadline deadline = std::nullopt,
                               task::Mode mode = task::Mode::kLead,
                               const std::string& document = "青政办〔2015〕151号") {
  task::CreateTask c;
  c.task = TaskId(task);
  c.provenance = provenance_for(document, task);
  c.mode = mode;
  for (auto& u : leads) c.leads.emplace_back(u);
  for (auto& u : participants) c.participants.emplace_back(u);
  c.deadline = std::move(deadline);
  return c;
}

inline task::Actor unit(const std::string& id) {
  return task::Actor::of_unit(UnitId(id));
}
inline const task::Actor kSupervisor = task::Actor::supervisor();

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteEventStore::open({.path = path()}, clock);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store = std::move(*opened);
    service = std::make_unique<TaskService>(*store, model, clock);
  }

  std::string path() const { return dir.file("events.db"); }

  // Runs a command that must be accepted, under a fresh command id.
  CommandOutcome accept(const task::Command& command, const task::Actor& actor) {
    auto r = service->execute(command, actor, CommandId("cmd-" + std::to_string(++next_id)));
    EXPECT_TRUE(r.ok()) << task::command_name(command) << ": " << r.error().code << ": "
                        << r.error().message;
    return r.ok() ? std::move(*r) : CommandOutcome{};
  }

  Result<CommandOutcome> run(const task::Command& command, const task::Actor& actor) {
    return service->execute(command, actor, CommandId("cmd-" + std::to_string(++next_id)));
  }

  GlobalPosition head() {
    auto h = store->head();
    EXPECT_TRUE(h.ok());
    return h.ok() ? h->position : GlobalPosition();
  }

  duban::testing::TempDir dir;
  FixedClock clock{utc(2016, 1, 1)};
  std::unique_ptr<SqliteEventStore> store;
  projections::ReadModel model;
  std::unique_ptr<TaskService> service;
  int next_id = 0;
};

}  // namespace duban::service::testing
