// Covers plan_ingest(), run end to end through decide()/apply() against in-memory streams:
// a new document registers and creates one task per clause (with its units, mode and last
// deadline); re-ingesting the same content plans nothing (also after a revision); a revision
// registers a new version and plans only the differences (new clause → CreateTask, changed
// units → ReassignTask, changed text → ReviseTask, changed deadline → SetDeadline, removed
// clause → CancelTask), each carrying the revision's version; closed tasks are left alone with
// a note; clauses without a lead are noted; bad versions and colliding ids are refused.
#include <gtest/gtest.h>

#include <map>

#include "model/task/error_codes.h"
#include "model/task/ingest_plan.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

gazette::Assignment lead(const char* unit) {
  return {gazette::Role::kLead, unit, unit};
}
gazette::Assignment participant(const char* unit) {
  return {gazette::Role::kParticipant, unit, unit};
}

gazette::Clause clause(std::string label, std::vector<gazette::Assignment> units,
                       std::vector<std::string> dates = {},
                       gazette::Mode mode = gazette::Mode::kLead) {
  gazette::Clause c;
  c.doc = "青政办〔2015〕151号";
  c.part = "任务分工";
  c.label = label;
  c.heading = "任务" + label;
  c.text = "任务" + label + "。";
  c.mode = mode;
  c.assignments = std::move(units);
  for (auto& d : dates) c.deadlines.push_back(gazette::Deadline{d, d});
  c.source = {10, 11};
  return c;
}

class IngestPlanTest : public ::testing::Test {
 protected:
  IngestPlanTest() {
    doc.id = "青政办〔2015〕151号";
    doc.number = doc.id;
    doc.title = "关于印发社会信用体系建设规划的通知";
    doc.issuer = "青海省人民政府办公厅";
    doc.signed_date = "2015-08-20";
    doc.parts = {"任务分工"};
  }

  Result<IngestPlan> plan(const std::vector<gazette::Clause>& clauses, int version,
                          const std::string& hash) {
    std::vector<TaskState> existing;
    for (const auto& [id, s] : tasks) existing.push_back(s);
    return plan_ingest(
        IngestInput{doc, clauses, version, hash, clause_task_id, registered, existing, machine});
  }

  // Plans, then runs every planned command through decide() and apply(), like `duban ingest`.
  IngestPlan ingest(const std::vector<gazette::Clause>& clauses, int version,
                    const std::string& hash) {
    auto p = plan(clauses, version, hash);
    if (!p.ok()) {
      ADD_FAILURE() << p.error().code << ": " << p.error().message;
      return {};
    }
    appended.clear();
    for (const PlannedCommand& pc : p->commands) {
      if (std::holds_alternative<RegisterDocument>(pc.command)) {
        EXPECT_EQ(pc.stream, document_stream_id(DocumentId(doc.id)));
        auto events = decide(registered, pc.command, Actor::supervisor(), now);
        EXPECT_TRUE(events.ok()) << events.error().message;
        if (!events.ok()) continue;
        registered = replay(registered, *events);
        appended.insert(appended.end(), events->begin(), events->end());
      } else {
        TaskId id = *task_of(pc.command);
        EXPECT_EQ(pc.stream, task_stream_id(id));
        auto events = decide(tasks[id], pc.command, Actor::supervisor(), now);
        EXPECT_TRUE(events.ok()) << command_name(pc.command) << ": " << events.error().message;
        if (!events.ok()) continue;
        tasks[id] = replay(tasks[id], *events);
        appended.insert(appended.end(), events->begin(), events->end());
      }
    }
    return *p;
  }

  static std::vector<std::string_view> names(const IngestPlan& p) {
    std::vector<std::string_view> out;
    for (const auto& c : p.commands) out.push_back(command_name(c.command));
    return out;
  }

  TaskState& task(const std::string& label) { return tasks[TaskId(doc.id + "|任务分工|" + label)]; }

  gazette::Document doc;
  std::vector<std::optional<Reading>> machine;  // IngestInput::machine_readings
  DocumentState registered;
  std::map<TaskId, TaskState> tasks;
  std::vector<Event> appended;
  Timestamp now = utc(2025, 1, 1);
};

const std::vector<gazette::Clause> kVersion1 = {
    clause("1.", {lead("发改委"), participant("财政厅")}, {"2015-12-31", "2016-06-30"}),
    clause("2.", {lead("商务厅"), lead("工商局")}, {}, gazette::Mode::kSeparately),
    clause("3.", {lead("审计厅")}),
};

TEST_F(IngestPlanTest, ANewDocumentRegistersAndCreatesOneTaskPerClause) {
  IngestPlan p = ingest(kVersion1, 1, "h1");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument", "CreateTask", "CreateTask",
                                                     "CreateTask"}));
  EXPECT_TRUE(p.notes.empty());
  EXPECT_EQ(registered.document_version, 1);
  EXPECT_EQ(registered.content_hash, "h1");
  EXPECT_EQ(registered.title, doc.title);

  const TaskState& t1 = task("1.");
  EXPECT_EQ(t1.leads, (std::vector<UnitId>{UnitId("发改委")}));
  EXPECT_EQ(t1.participants, (std::vector<UnitId>{UnitId("财政厅")}));
  EXPECT_EQ(t1.deadline, "2016-06-30");  // the last date of the clause
  EXPECT_EQ(t1.provenance.document, DocumentId(doc.id));
  EXPECT_EQ(t1.provenance.document_version, 1);
  EXPECT_EQ(t1.provenance.line, 10);
  EXPECT_EQ(task("2.").mode, Mode::kSeparately);
  EXPECT_EQ(task("2.").parts.size(), 2u);
  EXPECT_EQ(task("3.").deadline, std::nullopt);
}

TEST_F(IngestPlanTest, ACorrectedClauseSetsTheTaskAndTheMachinesReadingStaysItsBaseline) {
  // A draft whose first clause a person moved from 发改委 to 粮食局 with a deadline.
  std::vector<gazette::Clause> corrected = kVersion1;
  corrected[0].assignments = {lead("粮食局")};
  corrected[0].deadlines = {gazette::Deadline{"2016-06-30", "2016-06-30"}};
  machine = {clause_reading(kVersion1[0])};
  IngestPlan p = ingest(corrected, 1, "h1");
  const auto& create = std::get<CreateTask>(p.commands[1].command);
  ASSERT_TRUE(create.reading.has_value());
  EXPECT_EQ(*create.reading, clause_reading(kVersion1[0]));
  EXPECT_FALSE(std::get<CreateTask>(p.commands[2].command).reading.has_value());
  EXPECT_EQ(task("1.").leads, std::vector<UnitId>{UnitId("粮食局")});
  EXPECT_EQ(task("1.").as_read, clause_reading(kVersion1[0]));

  // A later version, read by the machine, that changes only clause 2.: clause 1. is left alone.
  machine.clear();
  std::vector<gazette::Clause> v2 = kVersion1;
  v2[1].text = "任务2.（修订）";
  p = ingest(v2, 2, "h2");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument", "ReviseTask"}));
  EXPECT_EQ(task("1.").leads, std::vector<UnitId>{UnitId("粮食局")});
  EXPECT_EQ(task("1.").deadline, std::optional<std::string>("2016-06-30"));
}

TEST_F(IngestPlanTest, IngestingTheSameContentAgainPlansNothing) {
  ingest(kVersion1, 1, "h1");
  auto again = plan(kVersion1, 2, "h1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(IngestPlanTest, ARevisionAppendsOnlyTheDifferences) {
  ingest(kVersion1, 1, "h1");
  std::vector<gazette::Clause> v2 = kVersion1;
  v2[0].assignments = {lead("发改委"), lead("人民银行"), participant("财政厅")};  // units
  v2[1].text = "任务2.（修订）";                                                  // text
  v2.erase(v2.begin() + 2);                                                       // 3. removed
  v2.push_back(clause("4.", {lead("统计局")}));                                   // new
  v2[1].deadlines = {gazette::Deadline{"2017年底", "2017-12-31"}};                // deadline

  IngestPlan p = ingest(v2, 2, "h2");
  // A task's ReviseTask comes after its other commands: the reading it carries is the last word.
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument", "ReassignTask",
                                                     "ReviseTask", "SetDeadline", "ReviseTask",
                                                     "CreateTask", "CancelTask"}));
  EXPECT_EQ(registered.document_version, 2);

  const auto& reassign = std::get<ReassignTask>(p.commands[1].command);
  EXPECT_EQ(reassign.reason, "document revision 2");
  EXPECT_EQ(reassign.document_version, 2);
  EXPECT_EQ(task("1.").leads, (std::vector<UnitId>{UnitId("发改委"), UnitId("人民银行")}));
  EXPECT_EQ(task("2.").provenance.text, "任务2.（修订）");
  EXPECT_EQ(task("2.").provenance.document_version, 2);
  EXPECT_EQ(task("2.").deadline, "2017-12-31");
  EXPECT_EQ(task("3.").status, Status::kCancelled);
  EXPECT_EQ(task("4.").provenance.document_version, 2);
  // Its text did not change, but what it says about units did: the new reading is recorded.
  EXPECT_EQ(task("1.").provenance.document_version, 2);
  EXPECT_EQ(task("1.").as_read.leads, task("1.").leads);

  // Every task event appended for the revision records version 2.
  for (const Event& e : appended) {
    std::visit(
        [](const auto& ev) {
          using E = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<E, TaskReassigned> || std::is_same_v<E, DeadlineSet> ||
                        std::is_same_v<E, TaskCancelled> || std::is_same_v<E, UnitAssigned>) {
            EXPECT_EQ(ev.document_version, 2) << E::kType;
          } else if constexpr (std::is_same_v<E, TaskCreated> || std::is_same_v<E, TaskRevised>) {
            EXPECT_EQ(ev.provenance.document_version, 2) << E::kType;
          } else if constexpr (std::is_same_v<E, DocumentRegistered>) {
            EXPECT_EQ(ev.version, 2);
          } else {
            ADD_FAILURE() << "unexpected " << E::kType;
          }
        },
        e);
  }

  auto again = plan(v2, 3, "h2");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST_F(IngestPlanTest, ANewVersionWithUnchangedClausesOnlyRegisters) {
  ingest(kVersion1, 1, "h1");
  IngestPlan p = ingest(kVersion1, 2, "h1-with-new-preamble");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument"}));
}

TEST_F(IngestPlanTest, ARunInterruptedHalfWayIsCompletedByTheNextRun) {
  // Only the first clause made it before a crash; the registration was not appended.
  std::vector<gazette::Clause> first = {kVersion1[0]};
  ingest(first, 1, "h1");
  registered = DocumentState{};
  IngestPlan p = ingest(kVersion1, 1, "h1");
  EXPECT_EQ(names(p),
            (std::vector<std::string_view>{"RegisterDocument", "CreateTask", "CreateTask"}));
}

TEST_F(IngestPlanTest, ClosedTasksAreNotTouchedByARevision) {
  ingest(kVersion1, 1, "h1");
  TaskState& t3 = task("3.");
  t3.status = Status::kClosed;
  std::vector<gazette::Clause> v2 = {kVersion1[0], kVersion1[1]};  // 3. removed
  IngestPlan p = ingest(v2, 2, "h2");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument"}));
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("stays closed"), std::string::npos) << p.notes[0];

  v2.push_back(kVersion1[2]);
  v2.back().assignments = {lead("监察厅")};
  p = ingest(v2, 3, "h3");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument"}));
  EXPECT_EQ(p.notes.size(), 1u);
}

TEST_F(IngestPlanTest, AClauseWithoutALeadIsNotedNotCreated) {
  IngestPlan p = ingest({clause("9.", {participant("财政厅")})}, 1, "h1");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument"}));
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("no lead"), std::string::npos);
}

TEST_F(IngestPlanTest, ARevisionDroppingEveryLeadLeavesTheTaskAlone) {
  ingest(kVersion1, 1, "h1");
  std::vector<gazette::Clause> v2 = kVersion1;
  v2[2].assignments = {participant("审计厅")};
  IngestPlan p = ingest(v2, 2, "h2");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument"}));
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("left unchanged"), std::string::npos) << p.notes[0];
  EXPECT_EQ(task("3.").status, Status::kAssigned);
}

TEST_F(IngestPlanTest, AUnitNamedAsLeadAndParticipantIsOnlyALead) {
  ingest({clause("1.", {lead("发改委"), participant("发改委"), lead("发改委")})}, 1, "h1");
  EXPECT_EQ(task("1.").leads, (std::vector<UnitId>{UnitId("发改委")}));
  EXPECT_TRUE(task("1.").participants.empty());
}

TEST_F(IngestPlanTest, NewContentNeedsAHigherVersion) {
  ingest(kVersion1, 1, "h1");
  auto p = plan(kVersion1, 1, "h2");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, errc::kInvalidCommand);
}

TEST_F(IngestPlanTest, TwoClausesMappingToOneTaskIdAreRefused) {
  auto p = plan({clause("1.", {lead("a")}), clause("1.", {lead("b")})}, 1, "h1");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, errc::kInvalidCommand);
}

TEST_F(IngestPlanTest, ADocumentWithoutAnIdIsRefused) {
  doc.id.clear();
  EXPECT_FALSE(plan(kVersion1, 1, "h1").ok());
}

TEST_F(IngestPlanTest, ACustomTaskIdFunctionIsUsed) {
  std::vector<TaskState> none;
  auto p = plan_ingest(IngestInput{doc, kVersion1, 1, "h1",
                                   [](const gazette::Clause& c) { return TaskId("t-" + c.label); },
                                   registered, none});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->commands[1].stream, "task/t-1.");
}

TEST(DocumentRegistration, RegisteringTheSameContentTwiceIsRejected) {
  DocumentState s;
  RegisterDocument r{DocumentId("d"), "", "t", "", "", {}, 1, "h"};
  auto first = decide(s, r, Actor::supervisor(), Timestamp{});
  ASSERT_TRUE(first.ok());
  s = replay(s, *first);
  r.version = 2;
  auto second = decide(s, r, Actor::supervisor(), Timestamp{});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, errc::kAlreadyExists);
}

TEST(DocumentRegistration, OnlyTheSupervisorRegistersAndTaskCommandsAreRefused) {
  DocumentState s;
  RegisterDocument r{DocumentId("d"), "", "t", "", "", {}, 1, "h"};
  EXPECT_EQ(decide(s, r, Actor::system(), Timestamp{}).error().code, errc::kForbidden);
  EXPECT_EQ(decide(s, AcknowledgeTask{kTask}, Actor::supervisor(), Timestamp{}).error().code,
            errc::kInvalidCommand);
}

TEST(DocumentRegistration, VersionsMustIncrease) {
  DocumentState s;
  auto first = decide(s, RegisterDocument{DocumentId("d"), "", "t", "", "", {}, 2, "h"},
                      Actor::supervisor(), Timestamp{});
  ASSERT_TRUE(first.ok());
  s = replay(s, *first);
  EXPECT_EQ(decide(s, RegisterDocument{DocumentId("d"), "", "t", "", "", {}, 2, "h2"},
                   Actor::supervisor(), Timestamp{})
                .error()
                .code,
            errc::kInvalidCommand);
}

}  // namespace
}  // namespace duban::task::testing
