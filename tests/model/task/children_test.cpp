// Covers child tasks and contributions (issue 15) in decide() and apply(): the office expands a
// group unit into one child per member (ExpandTask ⇒ ChildTaskCreated×n), a lead unit hands
// parts down to the bodies below it (DelegateTask, 转办) with deadlines no later than the
// parent's, the child's first events (child_task_events), and a participant's contribution
// (ReportContribution ⇒ ContributionReported). Authorisation: a participant cannot 转办, a
// unit not on the task (or a lead) cannot contribute, a unit cannot expand a group.
#include <gtest/gtest.h>

#include "model/account/account.h"
#include "model/task/error_codes.h"
#include "model/task/streams.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

const UnitId kGroup("city-prefecture-govs");
const UnitId kXining("xining-gov");
const UnitId kHaidong("haidong-gov");
const UnitId kBelowA("A-bureau");

class Children : public TaskFixture {
 protected:
  void SetUp() override {
    // Lead A, participant P, and the group as a second participant.
    accept(CreateTask{kTask,
                      sample_provenance(),
                      Mode::kLead,
                      {kLeadA},
                      {kPart, kGroup},
                      std::string("2025-06-30")},
           supervisor());
  }
  Result<std::vector<Event>> delegate(const Actor& actor, Deadline deadline) {
    UnitRules rules;
    rules.below = {kBelowA};
    return decide(state, DelegateTask{kTask, {kBelowA}, std::move(deadline), "分解落实"}, actor,
                  now, rules);
  }
};

TEST_F(Children, ExpandingAGroupCreatesOneChildPerMemberWithTheParentsDeadline) {
  auto events =
      accept(ExpandTask{kTask, kGroup, {kXining, kHaidong}, std::nullopt, ""}, supervisor());
  ASSERT_EQ(events.size(), 2u);
  const auto& first = std::get<ChildTaskCreated>(events[0]);
  EXPECT_EQ(first.child, child_task_id(kTask, kXining));
  EXPECT_EQ(first.child.str(), "T1~xining-gov");
  EXPECT_EQ(first.group, kGroup);
  EXPECT_TRUE(first.delegated_by.empty());
  EXPECT_EQ(first.deadline, Deadline("2025-06-30"));
  ASSERT_EQ(state.children.size(), 2u);
  EXPECT_EQ(state.children[1].unit, kHaidong);
  // The child's own stream starts as a task of the member, pointing at its parent.
  auto child = replay(TaskState{}, child_task_events(state, first));
  EXPECT_EQ(child.id, first.child);
  EXPECT_EQ(child.leads, std::vector<UnitId>{kXining});
  EXPECT_EQ(child.parent, kTask);
  EXPECT_EQ(child.deadline, Deadline("2025-06-30"));
  EXPECT_EQ(child.provenance, state.provenance);
  // The same member twice is refused.
  EXPECT_EQ(refuse(ExpandTask{kTask, kGroup, {kXining}, std::nullopt, ""}, supervisor()).code,
            errc::kIllegalTransition);
}

TEST_F(Children, ExpansionNeedsTheOfficeAnAssignedGroupAndMembers) {
  EXPECT_EQ(refuse(ExpandTask{kTask, kGroup, {kXining}, std::nullopt, ""}, unit(kLeadA)).code,
            errc::kForbidden);
  EXPECT_EQ(refuse(ExpandTask{kTask, kStranger, {kXining}, std::nullopt, ""}, supervisor()).code,
            errc::kInvalidCommand);
  auto no_members = refuse(ExpandTask{kTask, kGroup, {}, std::nullopt, ""}, supervisor());
  EXPECT_EQ(no_members.code, errc::kInvalidCommand);
  EXPECT_NE(no_members.message.find("members"), std::string::npos);
}

TEST_F(Children, ALeadHandsAPartDownToABodyBelowIt) {
  auto events = delegate(unit(kLeadA), Deadline("2025-05-31"));
  ASSERT_TRUE(events.ok()) << events.error().message;
  const auto& created = std::get<ChildTaskCreated>(events->at(0));
  EXPECT_EQ(created.delegated_by, kLeadA);
  EXPECT_EQ(created.unit, kBelowA);
  EXPECT_EQ(created.deadline, Deadline("2025-05-31"));
  EXPECT_EQ(created.note, "分解落实");
}

TEST_F(Children, AChildDeadlineLaterThanTheParentsIsRefused) {
  auto refused = delegate(unit(kLeadA), Deadline("2025-07-01"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, errc::kInvalidCommand);
  EXPECT_NE(refused.error().message.find("later than the deadline"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("2025-06-30"), std::string::npos);
}

TEST_F(Children, AParticipantCannotHandATaskDown) {
  auto refused = delegate(unit(kPart), Deadline("2025-05-31"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, errc::kForbidden);
  EXPECT_NE(refused.error().message.find("participant, not a lead"), std::string::npos);
  EXPECT_EQ(delegate(supervisor(), std::nullopt).error().code, errc::kForbidden);
}

TEST_F(Children, ALeadCannotHandATaskToAUnitNotBelowIt) {
  auto refused = decide(state, DelegateTask{kTask, {kXining}, std::nullopt, ""}, unit(kLeadA), now,
                        UnitRules{false, {kBelowA}});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, errc::kInvalidCommand);
  EXPECT_NE(refused.error().message.find("not below"), std::string::npos);
}

TEST_F(Children, AChildsCompletionLeavesTheParentOpen) {
  auto events = accept(ExpandTask{kTask, kGroup, {kXining}, std::nullopt, ""}, supervisor());
  TaskState child =
      replay(TaskState{}, child_task_events(state, std::get<ChildTaskCreated>(events[0])));
  auto reported = decide(child, ReportCompletion{child.id, "已完成"}, unit(kXining), now);
  ASSERT_TRUE(reported.ok()) << reported.error().message;
  child = replay(child, *reported);
  auto approved = decide(child, ApproveCompletion{child.id, std::nullopt}, supervisor(), now);
  ASSERT_TRUE(approved.ok());
  child = replay(child, *approved);
  EXPECT_EQ(child.status, Status::kClosed);
  EXPECT_TRUE(state.is_open());  // nothing on the parent's stream changed
}

TEST_F(Children, AParticipantsContributionIsKeptOnTheTask) {
  accept(ReportContribution{kTask, "提供了数据"}, unit(kPart));
  ASSERT_EQ(state.contributions.size(), 1u);
  EXPECT_EQ(state.contributions[0].unit, kPart);
  EXPECT_EQ(state.contributions[0].text, "提供了数据");
  EXPECT_EQ(state.contributions[0].at, now);
  EXPECT_EQ(state.status, Status::kInProgress);
  EXPECT_EQ(refuse(ReportContribution{kTask, ""}, unit(kPart)).code, errc::kInvalidCommand);
}

TEST_F(Children, OnlyAParticipantMayContribute) {
  EXPECT_EQ(refuse(ReportContribution{kTask, "x"}, unit(kStranger)).code, errc::kForbidden);
  EXPECT_EQ(refuse(ReportContribution{kTask, "x"}, unit(kLeadA)).code, errc::kForbidden);
  EXPECT_EQ(refuse(ReportContribution{kTask, "x"}, supervisor()).code, errc::kForbidden);
}

}  // namespace
}  // namespace duban::task::testing
