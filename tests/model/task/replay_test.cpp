// Covers replay determinism and the event vocabulary: folding the events decide() returned, in
// one pass from an empty state, reproduces the state built command by command (a scripted
// lifecycle with an exact expected state, and thousands of random command sequences from a
// fixed seed); apply() rejects events routed to the wrong kind of stream; every event type has a
// distinct stable name and schema version 1; names of modes, roles, statuses and actors are
// stable.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <stdexcept>

#include "model/task/deadline.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

TEST(Replay, AScriptedLifecycleReplaysToTheExpectedState) {
  std::vector<Event> log;
  TaskState live;
  auto run = [&](const Command& c, const Actor& a, Timestamp t) {
    auto events = decide(live, c, a, t);
    ASSERT_TRUE(events.ok()) << events.error().message;
    live = replay(live, *events);
    log.insert(log.end(), events->begin(), events->end());
  };
  run(sample_create(Mode::kSeparately), supervisor(), utc(2025, 1, 1));
  run(AcknowledgeTask{kTask}, unit(kLeadA), utc(2025, 1, 2));
  run(UrgeTask{kTask, kLeadB, "sign please"}, supervisor(), utc(2025, 1, 5));
  run(ReportCompletion{kTask, "A done"}, unit(kLeadA), utc(2025, 2, 1));
  run(ReturnTask{kTask, kLeadA, "missing data"}, supervisor(), utc(2025, 2, 2));
  run(RequestExtension{kTask, "2025-08-31", "data late"}, unit(kLeadB), utc(2025, 2, 3));
  run(ApproveExtension{kTask, {}}, supervisor(), utc(2025, 2, 4));
  run(ReportCompletion{kTask, "A done again"}, unit(kLeadA), utc(2025, 3, 1));
  run(ApproveCompletion{kTask, kLeadA}, supervisor(), utc(2025, 3, 2));

  TaskState expected;
  expected.id = kTask;
  expected.provenance = sample_provenance();
  expected.mode = Mode::kSeparately;
  expected.leads = {kLeadA, kLeadB};
  expected.participants = {kPart};
  expected.parts = {Part{kLeadA, PartStatus::kApproved, kLeadA, "A done again"},
                    Part{kLeadB, PartStatus::kOpen, {}, {}}};
  expected.status = Status::kInProgress;
  expected.acknowledged = {kLeadA};
  expected.deadline = "2025-08-31";
  expected.original_deadline = "2025-06-30";
  expected.urges = 1;
  expected.returns = 1;
  expected.extensions = 1;
  expected.created_at = utc(2025, 1, 1);
  // The document's reading stays what TaskCreated said: the extension was not the document's.
  expected.as_read = Reading{Mode::kSeparately, {kLeadA, kLeadB}, {kPart}, "2025-06-30"};
  expected.version = StreamVersion(static_cast<std::int64_t>(log.size()));
  EXPECT_EQ(live, expected);
  EXPECT_EQ(replay(TaskState{}, log), expected);
}

// A random but reproducible walk over commands and actors; most are refused, which is the
// point: refusals must not change anything, acceptances must replay exactly.
Command random_command(std::mt19937& rng) {
  const std::vector<UnitId> units = {kLeadA, kLeadB, kPart, kStranger};
  auto pick_unit = [&] { return units[rng() % units.size()]; };
  const std::vector<std::string> dates = {"2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"};
  auto pick_date = [&] { return dates[rng() % dates.size()]; };
  switch (rng() % 15) {
    case 0:
      return sample_create(static_cast<Mode>(rng() % 3));
    case 1: {
      std::vector<UnitId> leads = {pick_unit()};
      if (rng() % 2) leads.push_back(pick_unit());
      return ReassignTask{kTask, leads, {}, static_cast<Mode>(rng() % 3), "shuffle", {}};
    }
    case 2:
      return AcknowledgeTask{kTask};
    case 3:
      return ReportProgress{kTask, "n", static_cast<int>(rng() % 101)};
    case 4:
      return UrgeTask{kTask, {}, "hurry"};
    case 5:
      return RequestExtension{kTask, pick_date(), "late"};
    case 6:
      return ApproveExtension{kTask, {}};
    case 7:
      return RejectExtension{kTask, "no"};
    case 8:
      return SetDeadline{kTask, pick_date(), "", {}};
    case 9:
      return ReportCompletion{kTask, "done"};
    case 10:
      return ApproveCompletion{kTask,
                               rng() % 2 ? std::optional<UnitId>(pick_unit()) : std::nullopt};
    case 11:
      return ReturnTask{kTask, {}, "redo"};
    case 12:
      return ReopenTask{kTask, "again"};
    case 13:
      return CancelTask{kTask, "withdrawn", {}};
    default:
      return ReviseTask{kTask, Provenance{DocumentId("d"), 2, "p", "l", "h", "t", 1, 2},
                        std::nullopt};
  }
}

TEST(Replay, RandomCommandSequencesReplayToTheSameState) {
  std::mt19937 rng(20150820);
  const std::vector<UnitId> units = {kLeadA, kLeadB, kPart, kStranger};
  int accepted = 0;
  for (int run = 0; run < 300; ++run) {
    TaskState live;
    std::vector<Event> log;
    Timestamp now = utc(2025, 1, 1);
    for (int step = 0; step < 60; ++step) {
      Command c = random_command(rng);
      Actor a = rng() % 2 ? supervisor() : unit(units[rng() % units.size()]);
      now += std::chrono::hours(rng() % 200);
      TaskState before = live;
      auto events = decide(live, c, a, now);
      if (!events.ok()) {
        ASSERT_EQ(live, before);
        ASSERT_FALSE(events.error().code.empty());
        continue;
      }
      ++accepted;
      for (const Event& e : *events) live = task::apply(std::move(live), e);
      log.insert(log.end(), events->begin(), events->end());
      for (const Event& e : sweep(live, now, 0.25)) {
        live = task::apply(std::move(live), e);
        log.push_back(e);
      }
      ASSERT_EQ(live.version, StreamVersion(static_cast<std::int64_t>(log.size())));
    }
    ASSERT_EQ(replay(TaskState{}, log), live) << "run " << run;
  }
  EXPECT_GT(accepted, 1000);  // the walk really exercised the rules
}

TEST(Replay, ApplyingAnEventToTheWrongKindOfStreamIsABug) {
  EXPECT_THROW(task::apply(TaskState{}, Event{DocumentRegistered{}}), std::logic_error);
  EXPECT_THROW(task::apply(DocumentState{}, Event{TaskUrged{}}), std::logic_error);
}

TEST(EventVocabulary, EveryEventHasADistinctStableNameAndSchemaVersionOne) {
  const auto& names = event_type_names();
  EXPECT_EQ(names.size(), std::variant_size_v<Event>);
  EXPECT_EQ(std::set<std::string_view>(names.begin(), names.end()).size(), names.size());
  EXPECT_EQ(event_type_name(TaskCreated{}), "TaskCreated");
  EXPECT_EQ(event_type_name(TaskOverdue{}), "TaskOverdue");
  EXPECT_EQ(event_type_name(DocumentRegistered{}), "DocumentRegistered");
  EXPECT_EQ(event_schema_version(CompletionApproved{}), 1);
  EXPECT_TRUE(is_document_event(DocumentRegistered{}));
  EXPECT_FALSE(is_document_event(TaskClosed{}));
}

TEST(EventVocabulary, CommandsNameThemselvesAndTheirTask) {
  EXPECT_EQ(command_name(ReturnTask{}), "ReturnTask");
  EXPECT_EQ(task_of(UrgeTask{kTask, {}, ""}), kTask);
  EXPECT_EQ(task_of(RegisterDocument{}), std::nullopt);
}

TEST(EventVocabulary, EnumNamesRoundTrip) {
  for (Mode m : {Mode::kLead, Mode::kSeparately, Mode::kResponsible}) {
    EXPECT_EQ(parse_mode(to_string(m)), m);
  }
  for (Role r : {Role::kLead, Role::kParticipant}) EXPECT_EQ(parse_role(to_string(r)), r);
  EXPECT_EQ(parse_mode("jointly"), std::nullopt);
  EXPECT_EQ(to_string(Status::kCompletionReported), "completion_reported");
  EXPECT_EQ(to_string(PartStatus::kReported), "reported");
  EXPECT_EQ(to_string(Actor::of_unit(kLeadA)), "unit:A");
  EXPECT_EQ(to_string(Actor::supervisor()), "supervisor");
  EXPECT_EQ(to_string(Actor::system()), "system");
}

}  // namespace
}  // namespace duban::task::testing
