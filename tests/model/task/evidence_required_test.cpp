// Covers "a completion can be required to carry evidence" (issue 15) in decide() and apply():
// SetEvidenceRequirement ⇒ EvidenceRequirementSet (the office only, no-op refused), a
// ReportCompletion without attachments refused on such a task with a message naming the task and
// its document, with an attachment accepted (also when it goes to the unit head's sign-off),
// allowed_actions still offering the completion, and child tasks inheriting the rule.
#include <gtest/gtest.h>

#include <algorithm>

#include "model/task/allowed_actions.h"
#include "model/task/error_codes.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

const Attachment kPdf{std::string(64, 'c'), "验收报告.pdf", "application/pdf", 2048};

class EvidenceRequired : public TaskFixture {
 protected:
  void SetUp() override {
    create();
    accept(SetEvidenceRequirement{kTask, true, "办结须附佐证材料", 1}, supervisor());
  }
};

TEST_F(EvidenceRequired, SettingTheRuleRecordsItOnTheTask) {
  EXPECT_TRUE(state.evidence_required);
  auto events =
      accept(SetEvidenceRequirement{kTask, false, "不再要求", std::nullopt}, supervisor());
  const auto& set = only<EvidenceRequirementSet>(events);
  EXPECT_FALSE(set.required);
  EXPECT_EQ(set.reason, "不再要求");
  EXPECT_FALSE(state.evidence_required);
}

TEST_F(EvidenceRequired, OnlyTheOfficeSetsTheRuleAndTheSameRuleAgainIsRefused) {
  EXPECT_EQ(refuse(SetEvidenceRequirement{kTask, false, "", std::nullopt}, unit(kLeadA)).code,
            errc::kForbidden);
  EXPECT_EQ(refuse(SetEvidenceRequirement{kTask, true, "", std::nullopt}, supervisor()).code,
            errc::kInvalidCommand);
}

TEST_F(EvidenceRequired, ACompletionWithoutAttachmentsIsRefusedWithAMessageToActOn) {
  const Error e = refuse(ReportCompletion{kTask, "已完成"}, unit(kLeadA));
  EXPECT_EQ(e.code, errc::kInvalidCommand);
  EXPECT_NE(e.message.find("task 'T1' of document '青政办〔2015〕151号' requires evidence"),
            std::string::npos)
      << e.message;
  EXPECT_NE(e.message.find("attach at least one file"), std::string::npos) << e.message;
}

TEST_F(EvidenceRequired, ACompletionWithAnAttachmentIsAccepted) {
  auto events = accept(ReportCompletion{kTask, "已完成", {kPdf}}, unit(kLeadA));
  EXPECT_EQ(only<CompletionReported>(events).attachments, Attachments{kPdf});
  EXPECT_EQ(state.status, Status::kCompletionReported);
}

TEST_F(EvidenceRequired, AHandlersSubmissionForSignOffNeedsEvidenceToo) {
  const UnitRules sign_off{true, {}};
  const Actor handler =
      Actor::unit_person(kLeadA, account::AccountId("li"), {account::Role::kHandler});
  auto refused = decide(state, ReportCompletion{kTask, "已完成"}, handler, now, sign_off);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, errc::kInvalidCommand);
  auto submitted = decide(state, ReportCompletion{kTask, "已完成", {kPdf}}, handler, now, sign_off);
  ASSERT_TRUE(submitted.ok()) << submitted.error().message;
  EXPECT_TRUE(std::holds_alternative<CompletionSubmitted>(submitted->at(0)));
}

TEST_F(EvidenceRequired, ProgressReportsNeedNoEvidence) {
  accept(ReportProgress{kTask, "进展顺利", 50}, unit(kLeadA));
  EXPECT_EQ(state.status, Status::kInProgress);
}

TEST_F(EvidenceRequired, AllowedActionsStillOfferTheCompletionToALead) {
  const auto actions = allowed_actions(state, unit(kLeadA), now);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "report-completion"), actions.end());
}

TEST_F(EvidenceRequired, AChildTaskInheritsTheRule) {
  auto events = accept(ExpandTask{kTask, kLeadB, {kStranger}, std::nullopt, ""}, supervisor());
  auto child = replay(TaskState{}, child_task_events(state, std::get<ChildTaskCreated>(events[0])));
  EXPECT_TRUE(child.evidence_required);
  EXPECT_EQ(decide(child, ReportCompletion{child.id, "已完成"}, unit(kStranger), now).error().code,
            errc::kInvalidCommand);
}

TEST(EvidenceNotRequired, ACompletionWithoutAttachmentsIsAcceptedByDefault) {
  TaskState s =
      replay(TaskState{}, *decide(TaskState{}, sample_create(), supervisor(), utc(2025, 1, 1)));
  EXPECT_FALSE(s.evidence_required);
  EXPECT_TRUE(decide(s, ReportCompletion{kTask, "已完成"}, unit(kLeadA), utc(2025, 1, 2)).ok());
}

}  // namespace
}  // namespace duban::task::testing
