// Covers child tasks and contributions through TaskService on a real SQLite store (issue 15):
// expanding 市、州人民政府 (各市州政府) gives each of the eight 市州人民政府 of the built-in
// directory its own child task, in its unit's inbox; a lead's 转办 to a body the log's directory
// puts below it is accepted with an earlier deadline and refused with a later one; a retried
// expansion creates nothing twice; a participant's contribution is kept on the task; children
// stay out of their document's task list (ingest never revises or cancels them).
#include <gtest/gtest.h>

#include <algorithm>

#include "model/gazette/units.h"
#include "model/task/error_codes.h"
#include "model/task/streams.h"
#include "service/unit_directory_log.h"
#include "service_fixture.h"

namespace duban::service::testing {
namespace {

const std::string kGroup = "city-prefecture-govs";

bool in_inbox(const projections::ReadModel& model, const std::string& unit, const TaskId& task) {
  auto items = model.inbox(UnitId(unit), projections::AsOf{utc(2016, 1, 2)});
  return std::any_of(items.begin(), items.end(),
                     [&](const projections::InboxItem& i) { return i.task == task; });
}

class ChildTasks : public ServiceTest {};

TEST_F(ChildTasks, ExpandingTheCityGroupGivesEachOfTheEightCityGovernmentsATaskInItsInbox) {
  const auto members = gazette::UnitDirectory::builtin().below(kGroup);
  ASSERT_EQ(members.size(), 8u);
  accept(create("T1", {"fgw"}, {kGroup}, std::string("2016-06-30")), kSupervisor);

  accept(task::ExpandTask{TaskId("T1"), UnitId(kGroup), {}, std::nullopt, "各市州分别落实"},
         kSupervisor);

  const auto parent = model.task(TaskId("T1"));
  ASSERT_TRUE(parent);
  ASSERT_EQ(parent->children.size(), 8u);
  for (const std::string& m : members) {
    const TaskId child = task::child_task_id(TaskId("T1"), UnitId(m));
    const auto state = model.task(child);
    ASSERT_TRUE(state) << m;
    EXPECT_EQ(state->parent, TaskId("T1"));
    EXPECT_EQ(state->leads, std::vector<UnitId>{UnitId(m)});
    EXPECT_EQ(state->deadline, task::Deadline("2016-06-30"));
    EXPECT_TRUE(in_inbox(model, m, child)) << m;
  }
  // The document's own tasks are still just the parent.
  EXPECT_EQ(model.tasks_of_document(DocumentId("青政办〔2015〕151号")).size(), 1u);
  // A child's completion leaves the parent open.
  const TaskId xining = task::child_task_id(TaskId("T1"), UnitId("xining-gov"));
  accept(task::ReportCompletion{xining, "已完成"}, unit("xining-gov"));
  accept(task::ApproveCompletion{xining, std::nullopt}, kSupervisor);
  EXPECT_EQ(model.task(xining)->status, task::Status::kClosed);
  EXPECT_TRUE(model.task(TaskId("T1"))->is_open());
}

TEST_F(ChildTasks, RetryingAnExpansionCreatesNothingTwice) {
  accept(create("T1", {"fgw"}, {kGroup}, std::string("2016-06-30")), kSupervisor);
  const task::ExpandTask expand{TaskId("T1"), UnitId(kGroup), {}, std::nullopt, ""};
  auto first = service->execute(expand, kSupervisor, CommandId("expand-1"));
  ASSERT_TRUE(first.ok()) << first.error().message;
  const GlobalPosition after_first = head();
  auto again = service->execute(expand, kSupervisor, CommandId("expand-1"));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(head(), after_first);
}

TEST_F(ChildTasks, ALeadHandsDownToABodyBelowItButNotPastItsOwnDeadline) {
  const std::string tsv =
      "fgw\tdepartment\t省发展改革委\t\n"
      "fgw-price\tbureau\t省物价局\t\tfgw\n"
      "swt\tdepartment\t省商务厅\t\n";
  auto recorded = record_directory(*store, DirectoryText{tsv, "test.tsv"}, kSupervisor);
  ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  accept(create("T1", {"fgw"}, {"swt"}, std::string("2016-06-30")), kSupervisor);

  auto later = run(
      task::DelegateTask{
          TaskId("T1"), {UnitId("fgw-price")}, std::string("2016-07-31"), "核定价格"},
      unit("fgw"));
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().code, task::errc::kInvalidCommand);
  EXPECT_NE(later.error().message.find("later than the deadline"), std::string::npos)
      << later.error().message;

  auto by_participant =
      run(task::DelegateTask{TaskId("T1"), {UnitId("fgw-price")}, std::string("2016-05-31"), ""},
          unit("swt"));
  ASSERT_FALSE(by_participant.ok());
  EXPECT_EQ(by_participant.error().code, task::errc::kForbidden);

  accept(
      task::DelegateTask{
          TaskId("T1"), {UnitId("fgw-price")}, std::string("2016-05-31"), "核定价格"},
      unit("fgw"));
  const TaskId child = task::child_task_id(TaskId("T1"), UnitId("fgw-price"));
  EXPECT_TRUE(in_inbox(model, "fgw-price", child));
  EXPECT_EQ(model.task(child)->deadline, task::Deadline("2016-05-31"));
  EXPECT_EQ(model.task(TaskId("T1"))->children.at(0).delegated_by, UnitId("fgw"));
}

TEST_F(ChildTasks, TheDirectoryIsParsedOncePerVersionAndAnotherWritersIsSeenAtTheNextCall) {
  auto first = service->directory().current();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_TRUE((*first)->below("fgw").empty());  // the built-in directory has no body below fgw
  auto again = service->directory().current();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(first->get(), again->get());  // nothing new recorded: not parsed again

  // Another process on the same file records a directory with a body below fgw.
  auto other = SqliteEventStore::open({.path = path()}, clock);
  ASSERT_TRUE(other.ok()) << other.error().message;
  const std::string tsv =
      "fgw\tdepartment\t省发展改革委\t\n"
      "fgw-price\tbureau\t省物价局\t\tfgw\n";
  ASSERT_TRUE(record_directory(**other, DirectoryText{tsv, "other.tsv"}, kSupervisor).ok());

  auto seen = service->directory().current();
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  EXPECT_EQ((*seen)->below("fgw"), std::vector<std::string>{"fgw-price"});
  auto kept = service->directory().current();
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(seen->get(), kept->get());
  accept(create("T1", {"fgw"}, {}, std::string("2016-06-30")), kSupervisor);
  accept(task::DelegateTask{TaskId("T1"), {UnitId("fgw-price")}, std::string("2016-05-31"), ""},
         unit("fgw"));
}

TEST_F(ChildTasks, AParticipantsContributionIsKeptOnTheTask) {
  accept(create("T1", {"fgw"}, {"swt"}, std::string("2016-06-30")), kSupervisor);
  accept(task::ReportContribution{TaskId("T1"), "提供了进出口数据"}, unit("swt"));
  const auto state = model.task(TaskId("T1"));
  ASSERT_EQ(state->contributions.size(), 1u);
  EXPECT_EQ(state->contributions[0].unit, UnitId("swt"));
  EXPECT_EQ(state->contributions[0].text, "提供了进出口数据");
  auto stranger = run(task::ReportContribution{TaskId("T1"), "x"}, unit("czt"));
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().code, task::errc::kForbidden);
}

}  // namespace
}  // namespace duban::service::testing
