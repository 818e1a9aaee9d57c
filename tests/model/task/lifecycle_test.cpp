// Covers every transition decide() accepts, one test per command, and the state apply() folds
// from its events: create (with one UnitAssigned per unit), acknowledge, progress, urge,
// extension request/approve/reject, set deadline, report/approve completion (closing), return,
// reopen, cancel, reassign and revise. Refusals live in refusals_test.cpp.
#include <gtest/gtest.h>

#include "task_fixture.h"

namespace duban::task::testing {
namespace {

using Lifecycle = TaskFixture;

TEST_F(Lifecycle, CreatingATaskRecordsProvenanceAndAssignsEachUnit) {
  auto events = accept(sample_create(), supervisor());
  ASSERT_EQ(events.size(), 4u);
  const auto& created = std::get<TaskCreated>(events[0]);
  EXPECT_EQ(created.task, kTask);
  EXPECT_EQ(created.provenance, sample_provenance());
  EXPECT_EQ(created.created_at, now);
  EXPECT_EQ(std::get<UnitAssigned>(events[1]), (UnitAssigned{kLeadA, Role::kLead, 1}));
  EXPECT_EQ(std::get<UnitAssigned>(events[2]), (UnitAssigned{kLeadB, Role::kLead, 1}));
  EXPECT_EQ(std::get<UnitAssigned>(events[3]), (UnitAssigned{kPart, Role::kParticipant, 1}));

  EXPECT_EQ(state.id, kTask);
  EXPECT_EQ(state.status, Status::kAssigned);
  EXPECT_EQ(state.leads, (std::vector<UnitId>{kLeadA, kLeadB}));
  EXPECT_EQ(state.participants, (std::vector<UnitId>{kPart}));
  EXPECT_EQ(state.deadline, "2025-06-30");
  EXPECT_EQ(state.original_deadline, "2025-06-30");
  EXPECT_EQ(state.created_at, now);
  EXPECT_EQ(state.version, StreamVersion(4));
  ASSERT_EQ(state.parts.size(), 1u);  // co-leads share one completion
}

TEST_F(Lifecycle, CreatingATaskWithoutADocumentLeavesUnitAssignedUnversioned) {
  CreateTask c = sample_create();
  c.provenance = Provenance{};
  auto events = accept(c, supervisor());
  EXPECT_EQ(std::get<UnitAssigned>(events[1]).document_version, std::nullopt);
}

TEST_F(Lifecycle, AcknowledgingMovesTheTaskInProgressAndRecordsWho) {
  create();
  auto events = accept(AcknowledgeTask{kTask}, unit(kPart));
  EXPECT_EQ(only<TaskAcknowledged>(events), (TaskAcknowledged{kPart, now}));
  EXPECT_EQ(state.status, Status::kInProgress);
  EXPECT_TRUE(state.has_acknowledged(kPart));
  EXPECT_FALSE(state.has_acknowledged(kLeadA));
}

TEST_F(Lifecycle, ReportingProgressMovesTheTaskInProgress) {
  create();
  auto events = accept(ReportProgress{kTask, "half way", 50}, unit(kLeadB));
  EXPECT_EQ(only<ProgressReported>(events), (ProgressReported{kLeadB, "half way", 50, now}));
  EXPECT_EQ(state.status, Status::kInProgress);
}

TEST_F(Lifecycle, UrgingCountsAndMayTargetOneUnit) {
  create();
  accept(UrgeTask{kTask, {}, "please hurry"}, supervisor());
  auto events = accept(UrgeTask{kTask, kPart, "you too"}, supervisor());
  EXPECT_EQ(only<TaskUrged>(events).unit, kPart);
  EXPECT_EQ(state.urges, 2);
}

TEST_F(Lifecycle, ApprovingARequestedExtensionMovesTheDeadline) {
  create();
  accept(RequestExtension{kTask, "2025-09-30", "funding late"}, unit(kLeadA));
  ASSERT_TRUE(state.extension.has_value());
  EXPECT_EQ(state.extension->unit, kLeadA);

  auto events = accept(ApproveExtension{kTask, {}}, supervisor());
  EXPECT_EQ(only<ExtensionApproved>(events),
            (ExtensionApproved{"2025-09-30", std::string("2025-06-30")}));
  EXPECT_EQ(state.deadline, "2025-09-30");
  EXPECT_EQ(state.original_deadline, "2025-06-30");
  EXPECT_EQ(state.extensions, 1);
  EXPECT_FALSE(state.extension.has_value());
}

TEST_F(Lifecycle, TheSupervisorMayGrantADifferentDateThanRequested) {
  create();
  accept(RequestExtension{kTask, "2025-09-30", "funding late"}, unit(kLeadA));
  accept(ApproveExtension{kTask, std::string("2025-07-31")}, supervisor());
  EXPECT_EQ(state.deadline, "2025-07-31");
}

TEST_F(Lifecycle, RejectingAnExtensionKeepsTheDeadline) {
  create();
  accept(RequestExtension{kTask, "2025-09-30", "funding late"}, unit(kLeadB));
  auto events = accept(RejectExtension{kTask, "not justified"}, supervisor());
  EXPECT_EQ(only<ExtensionRejected>(events).reason, "not justified");
  EXPECT_EQ(state.deadline, "2025-06-30");
  EXPECT_EQ(state.extensions, 0);
  EXPECT_FALSE(state.extension.has_value());
}

TEST_F(Lifecycle, SettingADeadlineRecordsThePreviousOneAndCanClearIt) {
  create();
  auto events = accept(SetDeadline{kTask, std::string("2025-03-31"), "sooner", {}}, supervisor());
  EXPECT_EQ(only<DeadlineSet>(events).previous_deadline, "2025-06-30");
  EXPECT_EQ(state.deadline, "2025-03-31");
  accept(SetDeadline{kTask, std::nullopt, "no date after all", {}}, supervisor());
  EXPECT_EQ(state.deadline, std::nullopt);
  EXPECT_EQ(state.original_deadline, "2025-06-30");
}

TEST_F(Lifecycle, SettingTheFirstDeadlineMakesItTheOriginal) {
  CreateTask c = sample_create();
  c.deadline.reset();
  accept(c, supervisor());
  accept(SetDeadline{kTask, std::string("2025-12-31"), "", {}}, supervisor());
  EXPECT_EQ(state.original_deadline, "2025-12-31");
}

TEST_F(Lifecycle, ApprovingTheReportedCompletionClosesTheTask) {
  create();
  auto reported = accept(ReportCompletion{kTask, "all done"}, unit(kLeadB));
  EXPECT_EQ(only<CompletionReported>(reported), (CompletionReported{kLeadB, "all done", now}));
  EXPECT_EQ(state.status, Status::kCompletionReported);

  now = utc(2025, 2, 1);
  auto approved = accept(ApproveCompletion{kTask, {}}, supervisor());
  ASSERT_EQ(approved.size(), 2u);
  EXPECT_EQ(std::get<CompletionApproved>(approved[0]).unit, kLeadB);
  EXPECT_EQ(std::get<TaskClosed>(approved[1]).closed_at, now);
  EXPECT_EQ(state.status, Status::kClosed);
  EXPECT_EQ(state.closed_at, now);
}

TEST_F(Lifecycle, ReturningACompletionSendsItBackForRework) {
  create();
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  auto events = accept(ReturnTask{kTask, {}, "evidence missing"}, supervisor());
  EXPECT_EQ(only<TaskReturned>(events), (TaskReturned{kLeadA, "evidence missing"}));
  EXPECT_EQ(state.status, Status::kInProgress);
  EXPECT_EQ(state.returns, 1);
  EXPECT_EQ(state.parts.front().status, PartStatus::kOpen);
  // After a return the completion may be reported again, by any co-lead.
  accept(ReportCompletion{kTask, "with evidence"}, unit(kLeadB));
  EXPECT_EQ(state.status, Status::kCompletionReported);
}

TEST_F(Lifecycle, ReopeningAClosedTaskOpensItsCompletionAgain) {
  close_task();
  auto events = accept(ReopenTask{kTask, "problem came back"}, supervisor());
  EXPECT_EQ(only<TaskReopened>(events).reason, "problem came back");
  EXPECT_EQ(state.status, Status::kInProgress);
  EXPECT_EQ(state.closed_at, std::nullopt);
  EXPECT_EQ(state.parts.front().status, PartStatus::kOpen);
  accept(ReportCompletion{kTask, "fixed again"}, unit(kLeadA));
}

TEST_F(Lifecycle, CancellingAnOpenTaskIsFinal) {
  create();
  auto events = accept(CancelTask{kTask, "clause withdrawn", 2}, supervisor());
  EXPECT_EQ(only<TaskCancelled>(events), (TaskCancelled{"clause withdrawn", 2, now}));
  EXPECT_EQ(state.status, Status::kCancelled);
  EXPECT_EQ(state.cancelled_at, now);
}

TEST_F(Lifecycle, CancellingDropsAPendingExtension) {
  create();
  accept(RequestExtension{kTask, "2025-09-30", "late"}, unit(kLeadA));
  accept(CancelTask{kTask, "withdrawn", {}}, supervisor());
  EXPECT_FALSE(state.extension.has_value());
}

TEST_F(Lifecycle, ReassigningRecordsOldAndNewUnitsAndAssignsOnlyNewcomers) {
  create();
  accept(AcknowledgeTask{kTask}, unit(kLeadB));
  accept(AcknowledgeTask{kTask}, unit(kPart));
  auto events =
      accept(ReassignTask{kTask, {kLeadA, kStranger}, {kLeadB}, {}, "B moved to support", {}},
             supervisor());
  ASSERT_EQ(events.size(), 3u);
  const auto& r = std::get<TaskReassigned>(events[0]);
  EXPECT_EQ(r.old_leads, (std::vector<UnitId>{kLeadA, kLeadB}));
  EXPECT_EQ(r.old_participants, (std::vector<UnitId>{kPart}));
  EXPECT_EQ(r.new_leads, (std::vector<UnitId>{kLeadA, kStranger}));
  EXPECT_EQ(r.new_participants, (std::vector<UnitId>{kLeadB}));
  EXPECT_EQ(r.reason, "B moved to support");
  EXPECT_EQ(std::get<UnitAssigned>(events[1]), (UnitAssigned{kStranger, Role::kLead, {}}));
  EXPECT_EQ(std::get<UnitAssigned>(events[2]), (UnitAssigned{kLeadB, Role::kParticipant, {}}));

  EXPECT_EQ(state.leads, (std::vector<UnitId>{kLeadA, kStranger}));
  EXPECT_EQ(state.participants, (std::vector<UnitId>{kLeadB}));
  // P is no longer on the task, so its acknowledgement no longer counts; B's still does.
  EXPECT_EQ(state.acknowledged, (std::vector<UnitId>{kLeadB}));
}

TEST_F(Lifecycle, ReassigningMayChangeTheModeAndResetsCompletion) {
  create();
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  accept(ReassignTask{kTask, {kLeadA, kLeadB}, {kPart}, Mode::kSeparately, "split the work", {}},
         supervisor());
  EXPECT_EQ(state.mode, Mode::kSeparately);
  ASSERT_EQ(state.parts.size(), 2u);
  EXPECT_EQ(state.parts[0].status, PartStatus::kOpen);
  EXPECT_EQ(state.status, Status::kInProgress);
}

TEST_F(Lifecycle, RevisingATaskPointsItsProvenanceAtTheNewText) {
  create();
  Provenance p = sample_provenance();
  p.document_version = 2;
  p.text = "建立共享机制，2026年底前完成。";
  auto events = accept(ReviseTask{kTask, p, std::nullopt}, supervisor());
  EXPECT_EQ(only<TaskRevised>(events).provenance, p);
  EXPECT_EQ(state.provenance, p);
}

TEST_F(Lifecycle, EachAppliedEventAdvancesTheStreamVersion) {
  create();
  accept(AcknowledgeTask{kTask}, unit(kLeadA));
  accept(UrgeTask{kTask, {}, "n"}, supervisor());
  EXPECT_EQ(state.version, StreamVersion(6));
}

}  // namespace
}  // namespace duban::task::testing
