// Shared helpers for the task-domain tests: a fixed clock, actors, and a fixture that runs
// commands through decide() and folds the results with apply(), as the server does.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "model/task/actor.h"
#include "model/task/apply.h"
#include "model/task/commands.h"
#include "model/task/decide.h"
#include "model/task/task_state.h"
#include "model/time.h"

namespace duban::task::testing {

// A UTC instant, to the millisecond.
inline Timestamp utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0, int ms = 0) {
  using namespace std::chrono;
  return sys_days(year(y) / month(mo) / day(d)) + hours(h) + minutes(mi) + seconds(s) +
         milliseconds(ms);
}

inline const TaskId kTask("T1");
inline const UnitId kLeadA("A");
inline const UnitId kLeadB("B");
inline const UnitId kPart("P");
inline const UnitId kStranger("X");

inline Actor supervisor() {
  return Actor::supervisor();
}
inline Actor unit(const UnitId& u) {
  return Actor::of_unit(u);
}

inline Provenance sample_provenance() {
  return Provenance{DocumentId("青政办〔2015〕151号"), 1,  "任务分工", "11.(2)", "建立共享机制",
                    "建立共享机制。（省商务厅牵头）",  40, 42};
}

inline CreateTask sample_create(Mode mode = Mode::kLead,
                                std::vector<UnitId> leads = {kLeadA, kLeadB}) {
  return CreateTask{kTask,   sample_provenance(),      mode, std::move(leads),
                    {kPart}, std::string("2025-06-30")};
}

class TaskFixture : public ::testing::Test {
 protected:
  // Runs a command that must be accepted; applies and returns its events.
  std::vector<Event> accept(const Command& command, const Actor& actor) {
    auto result = decide(state, command, actor, now);
    if (!result.ok()) {
      ADD_FAILURE() << command_name(command) << " refused: " << result.error().code << ": "
                    << result.error().message;
      return {};
    }
    state = replay(state, *result);
    return *result;
  }

  // Runs a command that must be refused; checks the state is untouched and returns the error.
  Error refuse(const Command& command, const Actor& actor) {
    TaskState before = state;
    auto result = decide(state, command, actor, now);
    if (result.ok()) {
      ADD_FAILURE() << command_name(command) << " was accepted but should be refused";
      return Error{};
    }
    EXPECT_FALSE(result.error().message.empty());
    EXPECT_EQ(state, before);
    return result.error();
  }

  void create(Mode mode = Mode::kLead, std::vector<UnitId> leads = {kLeadA, kLeadB}) {
    accept(sample_create(mode, std::move(leads)), supervisor());
  }

  void close_task() {
    create();
    accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
    accept(ApproveCompletion{kTask, {}}, supervisor());
    ASSERT_EQ(state.status, Status::kClosed);
  }

  void cancel_task() {
    create();
    accept(CancelTask{kTask, "withdrawn", {}}, supervisor());
    ASSERT_EQ(state.status, Status::kCancelled);
  }

  TaskState state;
  Timestamp now = utc(2025, 1, 1);
};

template <class E>
const E& only(const std::vector<Event>& events) {
  EXPECT_EQ(events.size(), 1u);
  return std::get<E>(events.at(0));
}

}  // namespace duban::task::testing
