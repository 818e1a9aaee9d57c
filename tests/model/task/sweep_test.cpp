// Covers the deadline sweep: DeadlineApproaching once when the light turns yellow, TaskOverdue
// once when it turns red (alone if the first sweep already finds it red), nothing on repeated
// sweeps, re-armed by a new deadline (SetDeadline, ExtensionApproved), nothing for closed,
// cancelled or deadline-less tasks. The sweep's events are applied as the system actor's.
#include <gtest/gtest.h>

#include "model/task/deadline.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

using namespace std::chrono_literals;

class Sweep : public TaskFixture {
 protected:
  void SetUp() override {
    end = *deadline_instant("2025-01-10");
    now = end - 240h;
    CreateTask c = sample_create();
    c.deadline = "2025-01-10";
    accept(c, supervisor());
  }
  // Runs a sweep at t and applies what it records.
  std::vector<Event> sweep_at(Timestamp t) {
    auto events = sweep(state, t, 0.25);
    state = replay(state, events);
    return events;
  }

  Timestamp end;
};

TEST_F(Sweep, RecordsNothingWhileGreen) {
  EXPECT_TRUE(sweep_at(end - 100h).empty());
}

TEST_F(Sweep, RecordsApproachingOnceWhenEnteringYellow) {
  auto events = sweep_at(end - 10h);
  EXPECT_EQ(only<DeadlineApproaching>(events), (DeadlineApproaching{"2025-01-10", end - 10h}));
  EXPECT_TRUE(state.approaching_recorded);
  EXPECT_TRUE(sweep_at(end - 5h).empty());
  EXPECT_TRUE(sweep_at(end).empty());
}

TEST_F(Sweep, RecordsOverdueOnceWhenRed) {
  sweep_at(end - 10h);
  auto events = sweep_at(end + 1ms);
  EXPECT_EQ(only<TaskOverdue>(events), (TaskOverdue{"2025-01-10", end + 1ms}));
  EXPECT_TRUE(sweep_at(end + 1h).empty());
  EXPECT_TRUE(sweep_at(end + 1000h).empty());
}

TEST_F(Sweep, AFirstSweepAfterTheDeadlineRecordsOnlyOverdue) {
  auto events = sweep_at(end + 1h);
  EXPECT_TRUE(std::holds_alternative<TaskOverdue>(events.at(0)));
  EXPECT_EQ(events.size(), 1u);
  EXPECT_TRUE(sweep_at(end + 2h).empty());
}

TEST_F(Sweep, AnApprovedExtensionReArmsBothReminders) {
  sweep_at(end + 1h);
  accept(RequestExtension{kTask, "2025-01-20", "late"}, unit(kLeadA));
  accept(ApproveExtension{kTask, {}}, supervisor());
  EXPECT_FALSE(state.overdue_recorded);
  Timestamp new_end = *deadline_instant("2025-01-20");
  // The window still starts at creation, now 480h long; a quarter is 120h.
  EXPECT_TRUE(sweep_at(new_end - 130h).empty());
  EXPECT_EQ(sweep_at(new_end - 10h).size(), 1u);
  EXPECT_EQ(sweep_at(new_end + 1ms).size(), 1u);
}

TEST_F(Sweep, ASetDeadlineReArmsReminders) {
  sweep_at(end + 1h);
  accept(SetDeadline{kTask, std::string("2025-01-11"), "one more day", {}}, supervisor());
  auto events = sweep_at(end + 1h);
  EXPECT_TRUE(std::holds_alternative<DeadlineApproaching>(events.at(0)));
}

TEST_F(Sweep, IgnoresClosedCancelledAndUndatedTasks) {
  TaskState undated = state;
  undated.deadline.reset();
  EXPECT_TRUE(sweep(undated, end + 1h, 0.25).empty());
  TaskState cancelled = state;
  cancelled.status = Status::kCancelled;
  EXPECT_TRUE(sweep(cancelled, end + 1h, 0.25).empty());
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  accept(ApproveCompletion{kTask, {}}, supervisor());
  EXPECT_TRUE(sweep(state, end + 1h, 0.25).empty());
}

TEST_F(Sweep, TheSystemActorCannotIssueCommands) {
  EXPECT_EQ(refuse(UrgeTask{kTask, {}, "auto"}, Actor::system()).code, "forbidden");
}

}  // namespace
}  // namespace duban::task::testing
