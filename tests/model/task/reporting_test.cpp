// Reporting cycles (每月/每季度 报送进展) in the pure domain: SetReportingCycle is the
// supervisor's and is refused when nothing changes; the sweep records one ProgressReportDue per
// period in the period's last week and one ProgressReportOverdue per period that ended without
// progress (several at once after a gap, oldest first), none for a period in which progress was
// reported, none before the first full period, none for a closed task; late reports are counted.
#include <gtest/gtest.h>

#include "model/task/deadline.h"
#include "model/task/relative_deadlines.h"
#include "model/task/reporting.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

using namespace std::chrono_literals;

// Midday in Asia/Shanghai on the given civil date.
Timestamp cst(int y, unsigned m, unsigned d) {
  return utc(y, m, d, 4);
}

template <class E>
std::vector<E> all_of(const std::vector<Event>& events) {
  std::vector<E> out;
  for (const auto& e : events) {
    if (auto* x = std::get_if<E>(&e)) out.push_back(*x);
  }
  return out;
}

class Reporting : public TaskFixture {
 protected:
  void SetUp() override {
    now = cst(2016, 2, 20);
    CreateTask c = sample_create();
    c.deadline = std::nullopt;
    accept(c, supervisor());
    accept(SetReportingCycle{kTask, ReportingCycle::kMonthly, "每月报送进展"}, supervisor());
  }
  std::vector<Event> sweep_at(Timestamp t) {
    auto events = sweep(state, t, 0.25);
    state = replay(state, events);
    return events;
  }
  void progress_at(Timestamp t) {
    now = t;
    accept(ReportProgress{kTask, "进展", std::nullopt}, unit(kLeadA));
  }
};

TEST_F(Reporting, PeriodsAreNamedAndEndOnTheirLastDay) {
  const int march = report_period(ReportingCycle::kMonthly, shanghai_date(cst(2016, 3, 5)));
  EXPECT_EQ(report_period_label(ReportingCycle::kMonthly, march), "2016-03");
  EXPECT_EQ(report_period_last_day(ReportingCycle::kMonthly, march), "2016-03-31");
  const int q1 = report_period(ReportingCycle::kQuarterly, shanghai_date(cst(2016, 2, 5)));
  EXPECT_EQ(report_period_label(ReportingCycle::kQuarterly, q1), "2016-Q1");
  EXPECT_EQ(report_period_last_day(ReportingCycle::kQuarterly, q1), "2016-03-31");
  EXPECT_EQ(report_period_last_day(
                ReportingCycle::kMonthly,
                report_period(ReportingCycle::kMonthly, shanghai_date(cst(2016, 2, 1)))),
            "2016-02-29");
  EXPECT_EQ(parse_report_period("2016-Q4"), (std::pair{ReportingCycle::kQuarterly, q1 + 3}));
  EXPECT_EQ(parse_report_period("2016-03"), (std::pair{ReportingCycle::kMonthly, march}));
  EXPECT_FALSE(parse_report_period("2016-13"));
  EXPECT_EQ(reporting_cycle_named("每季度"), ReportingCycle::kQuarterly);
}

TEST_F(Reporting, SettingTheCycleIsTheSupervisorsAndMustChangeIt) {
  EXPECT_EQ(state.reporting_cycle, ReportingCycle::kMonthly);
  EXPECT_EQ(refuse(SetReportingCycle{kTask, ReportingCycle::kMonthly, "again"}, supervisor()).code,
            "invalid_command");
  EXPECT_EQ(refuse(SetReportingCycle{kTask, ReportingCycle::kQuarterly, "x"}, unit(kLeadA)).code,
            "forbidden");
  EXPECT_EQ(refuse(SetReportingCycle{kTask, ReportingCycle::kQuarterly, ""}, supervisor()).code,
            "invalid_command");
  auto events = accept(SetReportingCycle{kTask, ReportingCycle::kNone, "停止"}, supervisor());
  EXPECT_EQ(events, (std::vector<Event>{ReportingCycleSet{ReportingCycle::kNone,
                                                          ReportingCycle::kMonthly, "停止", now}}));
  EXPECT_TRUE(sweep_at(cst(2016, 6, 1)).empty());
}

TEST_F(Reporting, NothingBeforeTheFirstFullPeriod) {
  // Set on 02-20: February is not counted, March is the first period.
  EXPECT_TRUE(sweep_at(cst(2016, 2, 28)).empty());
  EXPECT_TRUE(sweep_at(cst(2016, 3, 1)).empty());
  EXPECT_TRUE(sweep_at(cst(2016, 3, 24)).empty());  // before the last week
}

TEST_F(Reporting, OneDueReminderPerPeriodInItsLastWeek) {
  auto events = sweep_at(cst(2016, 3, 25));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<ProgressReportDue>(events[0]),
            (ProgressReportDue{"2016-03", "2016-03-31", cst(2016, 3, 25)}));
  EXPECT_TRUE(sweep_at(cst(2016, 3, 28)).empty());
  EXPECT_TRUE(sweep_at(cst(2016, 3, 31)).empty());
}

TEST_F(Reporting, APeriodEndedWithoutProgressIsOverdueOnce) {
  sweep_at(cst(2016, 3, 25));
  auto events = sweep_at(cst(2016, 4, 1));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<ProgressReportOverdue>(events[0]),
            (ProgressReportOverdue{"2016-03", "2016-03-31", cst(2016, 4, 1)}));
  EXPECT_EQ(state.late_reports, 1);
  EXPECT_TRUE(sweep_at(cst(2016, 4, 2)).empty());
}

TEST_F(Reporting, ProgressInThePeriodMeansNoReminderAtAll) {
  progress_at(cst(2016, 3, 10));
  EXPECT_TRUE(sweep_at(cst(2016, 3, 26)).empty());
  EXPECT_TRUE(sweep_at(cst(2016, 4, 1)).empty());
  EXPECT_EQ(state.late_reports, 0);
  // Progress reported after the due reminder still satisfies the period.
  EXPECT_EQ(all_of<ProgressReportDue>(sweep_at(cst(2016, 4, 25))).size(), 1u);
  progress_at(cst(2016, 4, 29));
  EXPECT_TRUE(sweep_at(cst(2016, 5, 2)).empty());
}

TEST_F(Reporting, ASweepAfterAGapRecordsEachMissedPeriodOldestFirst) {
  progress_at(cst(2016, 4, 15));  // April reported; March, May, June not
  auto events = sweep_at(cst(2016, 7, 2));
  const auto late = all_of<ProgressReportOverdue>(events);
  ASSERT_EQ(late.size(), 3u);
  EXPECT_EQ(late[0].period, "2016-03");
  EXPECT_EQ(late[1].period, "2016-05");
  EXPECT_EQ(late[2].period, "2016-06");
  EXPECT_EQ(state.late_reports, 3);
  EXPECT_TRUE(sweep_at(cst(2016, 7, 3)).empty());
}

TEST_F(Reporting, QuarterlyPeriods) {
  accept(SetReportingCycle{kTask, ReportingCycle::kQuarterly, "每季度报送"}, supervisor());
  // Set in Q1 2016: Q2 is the first period.
  EXPECT_TRUE(sweep_at(cst(2016, 3, 30)).empty());
  EXPECT_TRUE(sweep_at(cst(2016, 5, 30)).empty());
  auto due = all_of<ProgressReportDue>(sweep_at(cst(2016, 6, 25)));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].period, "2016-Q2");
  EXPECT_EQ(due[0].due, "2016-06-30");
  auto late = all_of<ProgressReportOverdue>(sweep_at(cst(2016, 7, 1)));
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].period, "2016-Q2");
}

TEST_F(Reporting, AClosedTaskGetsNoReportReminders) {
  accept(CancelTask{kTask, "撤销", std::nullopt}, supervisor());
  EXPECT_TRUE(sweep_at(cst(2016, 7, 1)).empty());
}

TEST_F(Reporting, DeadlineAndReportRemindersComeFromOneSweep) {
  accept(SetDeadline{kTask, std::string("2016-03-31"), "限期", std::nullopt}, supervisor());
  auto events = sweep_at(cst(2016, 4, 1));
  EXPECT_EQ(all_of<TaskOverdue>(events).size(), 1u);
  EXPECT_EQ(all_of<ProgressReportOverdue>(events).size(), 1u);
}

}  // namespace
}  // namespace duban::task::testing
