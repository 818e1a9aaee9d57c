// Covers every refusal decide() makes and its error code: who may issue what (forbidden),
// closed tasks accepting only ReopenTask and cancelled tasks nothing (illegal_transition),
// commands to tasks that do not exist (not_found), creating twice (already_exists), state
// preconditions (double acknowledgement, double completion, approving with nothing reported,
// extensions without a deadline or with one pending) and malformed fields (invalid_command).
// Every refusal must leave the state untouched and carry a message (see TaskFixture::refuse).
#include <gtest/gtest.h>

#include "model/task/error_codes.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

using Refusals = TaskFixture;

// One well-formed instance of every task command except CreateTask and RegisterDocument.
std::vector<Command> every_task_command() {
  return {ReassignTask{kTask, {kLeadA}, {}, {}, "narrow", {}},
          ReviseTask{kTask, Provenance{}, std::nullopt},
          AcknowledgeTask{kTask},
          ReportProgress{kTask, "note", {}},
          UrgeTask{kTask, {}, "hurry"},
          RequestExtension{kTask, "2025-12-31", "late"},
          ApproveExtension{kTask, {}},
          RejectExtension{kTask, "no"},
          SetDeadline{kTask, std::string("2025-12-31"), "", {}},
          ReportCompletion{kTask, "done"},
          ApproveCompletion{kTask, {}},
          ReturnTask{kTask, {}, "redo"},
          ReopenTask{kTask, "again"},
          CancelTask{kTask, "withdrawn", {}}};
}

bool supervisor_command(const Command& c) {
  return !std::holds_alternative<AcknowledgeTask>(c) &&
         !std::holds_alternative<ReportProgress>(c) &&
         !std::holds_alternative<RequestExtension>(c) &&
         !std::holds_alternative<ReportCompletion>(c);
}

TEST_F(Refusals, CommandsToAMissingTaskAreNotFound) {
  for (const Command& c : every_task_command()) {
    Actor a = supervisor_command(c) ? supervisor() : unit(kLeadA);
    EXPECT_EQ(refuse(c, a).code, errc::kNotFound) << command_name(c);
  }
}

TEST_F(Refusals, CreatingAnExistingTaskIsRejected) {
  create();
  Error e = refuse(sample_create(), supervisor());
  EXPECT_EQ(e.code, errc::kAlreadyExists);
  EXPECT_NE(e.message.find("assigned"), std::string::npos) << e.message;
}

TEST_F(Refusals, OnlyTheSupervisorCreatesTasks) {
  EXPECT_EQ(refuse(sample_create(), unit(kLeadA)).code, errc::kForbidden);
  EXPECT_EQ(refuse(sample_create(), Actor::system()).code, errc::kForbidden);
}

TEST_F(Refusals, SupervisorCommandsFromUnitsOrTheSystemAreForbidden) {
  create();
  accept(RequestExtension{kTask, "2025-12-31", "late"}, unit(kLeadA));
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  for (const Command& c : every_task_command()) {
    if (!supervisor_command(c) || std::holds_alternative<ReopenTask>(c)) continue;
    EXPECT_EQ(refuse(c, unit(kLeadA)).code, errc::kForbidden) << command_name(c);
    EXPECT_EQ(refuse(c, Actor::system()).code, errc::kForbidden) << command_name(c);
  }
}

TEST_F(Refusals, UnitCommandsFromTheSupervisorOrTheSystemAreForbidden) {
  create();
  for (const Command& c : every_task_command()) {
    if (supervisor_command(c)) continue;
    EXPECT_EQ(refuse(c, supervisor()).code, errc::kForbidden) << command_name(c);
    EXPECT_EQ(refuse(c, Actor::system()).code, errc::kForbidden) << command_name(c);
  }
}

TEST_F(Refusals, UnitsNotOnTheTaskCannotAcknowledgeOrReportProgress) {
  create();
  EXPECT_EQ(refuse(AcknowledgeTask{kTask}, unit(kStranger)).code, errc::kForbidden);
  EXPECT_EQ(refuse(ReportProgress{kTask, "n", {}}, unit(kStranger)).code, errc::kForbidden);
}

TEST_F(Refusals, AParticipantCannotReportCompletion) {
  create();
  Error e = refuse(ReportCompletion{kTask, "done"}, unit(kPart));
  EXPECT_EQ(e.code, errc::kForbidden);
  EXPECT_NE(e.message.find("participant"), std::string::npos) << e.message;
}

TEST_F(Refusals, AParticipantCannotRequestAnExtension) {
  create();
  EXPECT_EQ(refuse(RequestExtension{kTask, "2025-12-31", "late"}, unit(kPart)).code,
            errc::kForbidden);
}

TEST_F(Refusals, AClosedTaskAcceptsNothingButReopen) {
  close_task();
  for (const Command& c : every_task_command()) {
    if (std::holds_alternative<ReopenTask>(c)) continue;
    Actor a = supervisor_command(c) ? supervisor() : unit(kLeadA);
    Error e = refuse(c, a);
    EXPECT_EQ(e.code, errc::kIllegalTransition) << command_name(c);
    EXPECT_NE(e.message.find("ReopenTask"), std::string::npos) << e.message;
  }
}

TEST_F(Refusals, ReassigningAClosedTaskIsRejected) {
  close_task();
  EXPECT_EQ(refuse(ReassignTask{kTask, {kLeadB}, {}, {}, "r", {}}, supervisor()).code,
            errc::kIllegalTransition);
}

TEST_F(Refusals, ACancelledTaskAcceptsNothing) {
  cancel_task();
  for (const Command& c : every_task_command()) {
    Actor a = supervisor_command(c) ? supervisor() : unit(kLeadA);
    EXPECT_EQ(refuse(c, a).code, errc::kIllegalTransition) << command_name(c);
  }
}

TEST_F(Refusals, OnlyAClosedTaskCanBeReopened) {
  create();
  Error e = refuse(ReopenTask{kTask, "again"}, supervisor());
  EXPECT_EQ(e.code, errc::kIllegalTransition);
  EXPECT_NE(e.message.find("assigned"), std::string::npos) << e.message;
}

TEST_F(Refusals, OnlyTheSupervisorReopens) {
  close_task();
  EXPECT_EQ(refuse(ReopenTask{kTask, "again"}, unit(kLeadA)).code, errc::kForbidden);
}

TEST_F(Refusals, AcknowledgingTwiceIsRejected) {
  create();
  accept(AcknowledgeTask{kTask}, unit(kPart));
  EXPECT_EQ(refuse(AcknowledgeTask{kTask}, unit(kPart)).code, errc::kIllegalTransition);
}

TEST_F(Refusals, ReportingCompletionTwiceWithoutAReturnIsRejected) {
  create();
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  // The co-lead cannot report the shared completion a second time either.
  EXPECT_EQ(refuse(ReportCompletion{kTask, "done"}, unit(kLeadA)).code, errc::kIllegalTransition);
  EXPECT_EQ(refuse(ReportCompletion{kTask, "me too"}, unit(kLeadB)).code, errc::kIllegalTransition);
}

TEST_F(Refusals, ApprovingWithNothingReportedIsRejected) {
  create();
  Error e = refuse(ApproveCompletion{kTask, {}}, supervisor());
  EXPECT_EQ(e.code, errc::kIllegalTransition);
  EXPECT_NE(e.message.find("reports first"), std::string::npos) << e.message;
}

TEST_F(Refusals, ReturningWithNothingReportedIsRejected) {
  create();
  EXPECT_EQ(refuse(ReturnTask{kTask, {}, "redo"}, supervisor()).code, errc::kIllegalTransition);
}

TEST_F(Refusals, ApprovingNamingANonLeadIsInvalid) {
  create();
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  EXPECT_EQ(refuse(ApproveCompletion{kTask, kPart}, supervisor()).code, errc::kInvalidCommand);
}

TEST_F(Refusals, ExtensionsNeedADeadlineToExtend) {
  CreateTask c = sample_create();
  c.deadline.reset();
  accept(c, supervisor());
  EXPECT_EQ(refuse(RequestExtension{kTask, "2025-12-31", "late"}, unit(kLeadA)).code,
            errc::kIllegalTransition);
}

TEST_F(Refusals, OnlyOneExtensionMayBePending) {
  create();
  accept(RequestExtension{kTask, "2025-12-31", "late"}, unit(kLeadA));
  Error e = refuse(RequestExtension{kTask, "2026-01-31", "later"}, unit(kLeadB));
  EXPECT_EQ(e.code, errc::kIllegalTransition);
  EXPECT_NE(e.message.find("pending"), std::string::npos) << e.message;
}

TEST_F(Refusals, DecidingAnExtensionNeedsOnePending) {
  create();
  EXPECT_EQ(refuse(ApproveExtension{kTask, {}}, supervisor()).code, errc::kIllegalTransition);
  EXPECT_EQ(refuse(RejectExtension{kTask, "no"}, supervisor()).code, errc::kIllegalTransition);
}

TEST_F(Refusals, AnExtensionMustMoveTheDeadlineLater) {
  create();
  EXPECT_EQ(refuse(RequestExtension{kTask, "2025-06-30", "late"}, unit(kLeadA)).code,
            errc::kInvalidCommand);
  EXPECT_EQ(refuse(RequestExtension{kTask, "2025-01-31", "late"}, unit(kLeadA)).code,
            errc::kInvalidCommand);
}

TEST_F(Refusals, MalformedDatesAreInvalid) {
  create();
  EXPECT_EQ(refuse(RequestExtension{kTask, "2025-02-30", "late"}, unit(kLeadA)).code,
            errc::kInvalidCommand);
  EXPECT_EQ(refuse(SetDeadline{kTask, std::string("2025/12/31"), "", {}}, supervisor()).code,
            errc::kInvalidCommand);
  TaskState fresh;
  std::swap(state, fresh);
  CreateTask c = sample_create();
  c.deadline = "2017年底";
  EXPECT_EQ(refuse(c, supervisor()).code, errc::kInvalidCommand);
}

TEST_F(Refusals, CreatingWithoutALeadOrWithARepeatedUnitIsInvalid) {
  EXPECT_EQ(refuse(sample_create(Mode::kLead, {}), supervisor()).code, errc::kInvalidCommand);
  CreateTask c = sample_create();
  c.participants.push_back(kLeadA);
  EXPECT_EQ(refuse(c, supervisor()).code, errc::kInvalidCommand);
}

TEST_F(Refusals, ReassigningNeedsAReasonAndAChange) {
  create();
  EXPECT_EQ(refuse(ReassignTask{kTask, {kLeadA}, {}, {}, "", {}}, supervisor()).code,
            errc::kInvalidCommand);
  EXPECT_EQ(
      refuse(ReassignTask{kTask, {kLeadA, kLeadB}, {kPart}, {}, "same", {}}, supervisor()).code,
      errc::kInvalidCommand);
}

TEST_F(Refusals, ProgressNeedsANoteOrAValidPercentage) {
  create();
  EXPECT_EQ(refuse(ReportProgress{kTask, "", {}}, unit(kPart)).code, errc::kInvalidCommand);
  EXPECT_EQ(refuse(ReportProgress{kTask, "", 101}, unit(kPart)).code, errc::kInvalidCommand);
  EXPECT_EQ(refuse(ReportProgress{kTask, "", -1}, unit(kPart)).code, errc::kInvalidCommand);
}

TEST_F(Refusals, UrgingAUnitNotOnTheTaskIsInvalid) {
  create();
  EXPECT_EQ(refuse(UrgeTask{kTask, kStranger, "hurry"}, supervisor()).code, errc::kInvalidCommand);
}

TEST_F(Refusals, SettingTheSameDeadlineIsInvalid) {
  create();
  EXPECT_EQ(refuse(SetDeadline{kTask, std::string("2025-06-30"), "", {}}, supervisor()).code,
            errc::kInvalidCommand);
}

TEST_F(Refusals, ACommandForAnotherTaskIsInvalid) {
  create();
  EXPECT_EQ(refuse(UrgeTask{TaskId("T2"), {}, "hurry"}, supervisor()).code, errc::kInvalidCommand);
}

TEST_F(Refusals, RegisterDocumentIsNotATaskCommand) {
  create();
  EXPECT_EQ(
      refuse(RegisterDocument{DocumentId("d"), "", "", "", "", {}, 1, "h"}, supervisor()).code,
      errc::kInvalidCommand);
}

TEST_F(Refusals, EmptyReasonsAndSummariesAreInvalid) {
  create();
  EXPECT_EQ(refuse(ReportCompletion{kTask, ""}, unit(kLeadA)).code, errc::kInvalidCommand);
  EXPECT_EQ(refuse(CancelTask{kTask, "", {}}, supervisor()).code, errc::kInvalidCommand);
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  EXPECT_EQ(refuse(ReturnTask{kTask, {}, ""}, supervisor()).code, errc::kInvalidCommand);
}

}  // namespace
}  // namespace duban::task::testing
