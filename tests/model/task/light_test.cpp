// Covers the deadline instant (end of the day, Asia/Shanghai), strict ISO date parsing, and the
// status light at its boundaries, measured with a FixedClock the test advances: green until less
// than the yellow share of the window is left, yellow up to and including the deadline instant,
// red one millisecond later, none without a deadline, done once closed or cancelled.
#include <gtest/gtest.h>

#include "model/task/deadline.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

using namespace std::chrono_literals;

TEST(DeadlineInstant, IsTheLastMillisecondOfTheDayInShanghai) {
  EXPECT_EQ(deadline_instant("2025-01-10"), utc(2025, 1, 10, 15, 59, 59, 999));
  EXPECT_EQ(deadline_instant("2024-12-31"), utc(2024, 12, 31, 15, 59, 59, 999));
}

TEST(DeadlineInstant, RejectsMalformedDates) {
  EXPECT_EQ(deadline_instant("2025-1-10"), std::nullopt);
  EXPECT_EQ(deadline_instant("2025-02-29"), std::nullopt);
  EXPECT_EQ(deadline_instant("2025-13-01"), std::nullopt);
  EXPECT_EQ(deadline_instant("2025-01-10T00:00"), std::nullopt);
  EXPECT_EQ(deadline_instant("２０２５-01-10"), std::nullopt);
  EXPECT_EQ(deadline_instant(""), std::nullopt);
  EXPECT_TRUE(deadline_instant("2024-02-29").has_value());
}

class StatusLight : public TaskFixture {
 protected:
  // A task whose window is exactly ten days: created ten days before its deadline instant.
  void SetUp() override {
    end = *deadline_instant("2025-01-10");
    now = end - 240h;
    CreateTask c = sample_create();
    c.deadline = "2025-01-10";
    accept(c, supervisor());
    clock.advance_to(now);
  }
  task::Light at(Timestamp t) const { return light(state, t, 0.25); }

  Timestamp end;
  FixedClock clock{Timestamp{}};
};

TEST_F(StatusLight, IsGreenWhileMoreThanTheShareIsLeft) {
  EXPECT_EQ(at(clock.now()), task::Light::kGreen);
  clock.advance(100h);
  EXPECT_EQ(at(clock.now()), task::Light::kGreen);
}

TEST_F(StatusLight, IsStillGreenWithExactlyTheShareLeft) {
  clock.advance_to(end - 60h);  // 25% of 240h
  EXPECT_EQ(at(clock.now()), task::Light::kGreen);
}

TEST_F(StatusLight, TurnsYellowOneMillisecondAfterTheShareIsReached) {
  clock.advance_to(end - 60h + 1ms);
  EXPECT_EQ(at(clock.now()), task::Light::kYellow);
}

TEST_F(StatusLight, IsYellowAtTheDeadlineInstantItself) {
  clock.advance_to(end);
  EXPECT_EQ(at(clock.now()), task::Light::kYellow);
}

TEST_F(StatusLight, TurnsRedOneMillisecondAfterTheDeadline) {
  clock.advance_to(end + 1ms);
  EXPECT_EQ(at(clock.now()), task::Light::kRed);
  // Midnight in Shanghai on the next day is 16:00 UTC on the deadline date.
  EXPECT_EQ(at(utc(2025, 1, 10, 16)), task::Light::kRed);
  EXPECT_EQ(at(utc(2025, 1, 10, 15, 59)), task::Light::kYellow);
}

TEST_F(StatusLight, IsNoneWithoutADeadline) {
  accept(SetDeadline{kTask, std::nullopt, "open-ended", {}}, supervisor());
  EXPECT_EQ(at(end + 1000h), task::Light::kNone);
}

TEST_F(StatusLight, IsDoneOnceClosedEvenAfterTheDeadline) {
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  accept(ApproveCompletion{kTask, {}}, supervisor());
  EXPECT_EQ(at(end + 1000h), task::Light::kDone);
}

TEST_F(StatusLight, IsDoneOnceCancelled) {
  accept(CancelTask{kTask, "withdrawn", {}}, supervisor());
  EXPECT_EQ(at(end + 1000h), task::Light::kDone);
}

TEST_F(StatusLight, AnOpenTaskAwaitingReviewStillTurnsRed) {
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  EXPECT_EQ(at(end + 1ms), task::Light::kRed);
}

TEST_F(StatusLight, ShareZeroNeverShowsYellowAndShareOneAlwaysDoes) {
  EXPECT_EQ(light(state, end, 0.0), task::Light::kGreen);
  EXPECT_EQ(light(state, end - 239h, 1.0), task::Light::kYellow);
  EXPECT_EQ(light(state, end, -3.0), task::Light::kGreen);  // clamped to 0
}

TEST_F(StatusLight, ATaskCreatedAfterItsDeadlineIsYellowUntilRed) {
  TaskState late = state;
  late.created_at = end + 1h;
  EXPECT_EQ(light(late, end, 0.25), task::Light::kYellow);
  EXPECT_EQ(light(late, end + 2h, 0.25), task::Light::kRed);
}

TEST(LightNames, AreStable) {
  EXPECT_EQ(to_string(task::Light::kNone), "none");
  EXPECT_EQ(to_string(task::Light::kGreen), "green");
  EXPECT_EQ(to_string(task::Light::kYellow), "yellow");
  EXPECT_EQ(to_string(task::Light::kRed), "red");
  EXPECT_EQ(to_string(task::Light::kDone), "done");
}

}  // namespace
}  // namespace duban::task::testing
