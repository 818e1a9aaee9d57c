// Covers how completion is shared. Separately mode (分别负责): each lead reports and gets approval
// for its own part, CompletionApproved is recorded per part and TaskClosed only with the last;
// returns and approvals name the part. Lead/responsible mode: co-leads share one completion,
// any lead reports it and one approval closes the task. Also reassignment's effect on parts.
#include <gtest/gtest.h>

#include "model/task/error_codes.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

using CompletionParts = TaskFixture;

TEST_F(CompletionParts, SeparatelyModeGivesEachLeadItsOwnPart) {
  create(Mode::kSeparately);
  ASSERT_EQ(state.parts.size(), 2u);
  EXPECT_EQ(state.parts[0].lead, kLeadA);
  EXPECT_EQ(state.parts[1].lead, kLeadB);
}

TEST_F(CompletionParts, SeparatelyModeClosesOnlyWhenEveryPartIsApproved) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  EXPECT_EQ(state.status, Status::kCompletionReported);
  auto first = accept(ApproveCompletion{kTask, kLeadA}, supervisor());
  EXPECT_EQ(only<CompletionApproved>(first).unit, kLeadA);
  EXPECT_EQ(state.status, Status::kInProgress);
  EXPECT_EQ(state.parts[0].status, PartStatus::kApproved);
  EXPECT_EQ(state.parts[1].status, PartStatus::kOpen);

  accept(ReportCompletion{kTask, "B done"}, unit(kLeadB));
  auto last = accept(ApproveCompletion{kTask, kLeadB}, supervisor());
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(std::get<CompletionApproved>(last[0]).unit, kLeadB);
  EXPECT_TRUE(std::holds_alternative<TaskClosed>(last[1]));
  EXPECT_EQ(state.status, Status::kClosed);
}

TEST_F(CompletionParts, SeparatelyModeLetsEachLeadReportOnce) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  accept(ReportCompletion{kTask, "B done"}, unit(kLeadB));  // B's own part: allowed
  EXPECT_EQ(refuse(ReportCompletion{kTask, "again"}, unit(kLeadA)).code, errc::kIllegalTransition);
}

TEST_F(CompletionParts, AnApprovedPartCannotBeReportedAgain) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  accept(ApproveCompletion{kTask, kLeadA}, supervisor());
  Error e = refuse(ReportCompletion{kTask, "again"}, unit(kLeadA));
  EXPECT_EQ(e.code, errc::kIllegalTransition);
  EXPECT_NE(e.message.find("approved"), std::string::npos) << e.message;
}

TEST_F(CompletionParts, WithSeveralPartsPendingTheSupervisorMustNameOne) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  accept(ReportCompletion{kTask, "B done"}, unit(kLeadB));
  EXPECT_EQ(refuse(ApproveCompletion{kTask, {}}, supervisor()).code, errc::kInvalidCommand);
  EXPECT_EQ(refuse(ReturnTask{kTask, {}, "redo"}, supervisor()).code, errc::kInvalidCommand);
}

TEST_F(CompletionParts, WithOnePartPendingTheSupervisorMayOmitTheUnit) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "B done"}, unit(kLeadB));
  auto events = accept(ApproveCompletion{kTask, {}}, supervisor());
  EXPECT_EQ(only<CompletionApproved>(events).unit, kLeadB);
}

TEST_F(CompletionParts, ApprovingAPartNotYetReportedIsRejected) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  EXPECT_EQ(refuse(ApproveCompletion{kTask, kLeadB}, supervisor()).code, errc::kIllegalTransition);
}

TEST_F(CompletionParts, ReturningOnePartLeavesTheOthersUnderReview) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  accept(ReportCompletion{kTask, "B done"}, unit(kLeadB));
  auto events = accept(ReturnTask{kTask, kLeadA, "incomplete"}, supervisor());
  EXPECT_EQ(only<TaskReturned>(events).unit, kLeadA);
  EXPECT_EQ(state.parts[0].status, PartStatus::kOpen);
  EXPECT_EQ(state.parts[1].status, PartStatus::kReported);
  EXPECT_EQ(state.status, Status::kCompletionReported);
  accept(ReportCompletion{kTask, "A redone"}, unit(kLeadA));
}

TEST_F(CompletionParts, CoLeadsShareOneCompletionAndOneApprovalCloses) {
  create(Mode::kLead);
  accept(ReportCompletion{kTask, "joint report"}, unit(kLeadB));
  auto events = accept(ApproveCompletion{kTask, {}}, supervisor());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<CompletionApproved>(events[0]).unit, kLeadB);
  EXPECT_EQ(state.status, Status::kClosed);
}

TEST_F(CompletionParts, ResponsibleModeSharesCompletionLikeLeadMode) {
  create(Mode::kResponsible);
  EXPECT_EQ(state.parts.size(), 1u);
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  accept(ApproveCompletion{kTask, kLeadB}, supervisor());  // any lead names the shared part
  EXPECT_EQ(state.status, Status::kClosed);
}

TEST_F(CompletionParts, ReopeningReopensEveryPart) {
  create(Mode::kSeparately);
  for (const UnitId& u : {kLeadA, kLeadB}) {
    accept(ReportCompletion{kTask, "done"}, unit(u));
    accept(ApproveCompletion{kTask, u}, supervisor());
  }
  ASSERT_EQ(state.status, Status::kClosed);
  accept(ReopenTask{kTask, "audit found gaps"}, supervisor());
  EXPECT_EQ(state.parts[0].status, PartStatus::kOpen);
  EXPECT_EQ(state.parts[1].status, PartStatus::kOpen);
}

TEST_F(CompletionParts, ReassigningKeepsTheStatusOfRemainingLeadsParts) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  accept(ApproveCompletion{kTask, kLeadA}, supervisor());
  accept(ReassignTask{kTask, {kLeadA, kStranger}, {}, {}, "B replaced by X", {}}, supervisor());
  ASSERT_EQ(state.parts.size(), 2u);
  EXPECT_EQ(state.parts[0], (Part{kLeadA, PartStatus::kApproved, kLeadA, "A done"}));
  EXPECT_EQ(state.parts[1], (Part{kStranger, PartStatus::kOpen, {}, {}}));
}

TEST_F(CompletionParts, DroppingTheLastOpenPartClosesTheTask) {
  create(Mode::kSeparately);
  accept(ReportCompletion{kTask, "A done"}, unit(kLeadA));
  accept(ApproveCompletion{kTask, kLeadA}, supervisor());
  auto events = accept(ReassignTask{kTask, {kLeadA}, {}, {}, "B's part dropped", {}}, supervisor());
  EXPECT_TRUE(std::holds_alternative<TaskClosed>(events.back()));
  EXPECT_EQ(state.status, Status::kClosed);
}

}  // namespace
}  // namespace duban::task::testing
