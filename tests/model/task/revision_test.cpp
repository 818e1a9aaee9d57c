// Covers three-way revisions in plan_ingest(), run end to end through decide()/apply() on
// in-memory streams: a revision is compared with the previous version's reading (as_read), not
// with the live task, so a deadline, a reassignment and progress made by hand survive while the
// document's own changes (units, deadline) are applied; renumbered clauses are matched by
// content (exact text, then similar text) and keep their task and id; new tasks get ids that do
// not depend on labels ("<document>|<n>"); units added by hand survive a unit change of the
// document; a date the revision drops is kept with a note; an unchanged re-ingest plans nothing.
#include <gtest/gtest.h>

#include <map>

#include "model/task/ingest_plan.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

const std::string kDoc = "青政办〔2015〕151号";
const std::string kPartTitle = "任务分工";

gazette::Assignment lead(const char* unit) {
  return {gazette::Role::kLead, unit, unit};
}
gazette::Assignment participant(const char* unit) {
  return {gazette::Role::kParticipant, unit, unit};
}

gazette::Clause clause(std::string label, std::string text, std::vector<gazette::Assignment> units,
                       std::vector<std::string> dates = {}) {
  gazette::Clause c;
  c.doc = kDoc;
  c.part = kPartTitle;
  c.label = std::move(label);
  c.text = std::move(text);
  c.heading = c.text.substr(0, c.text.find("。"));
  c.assignments = std::move(units);
  for (auto& d : dates) c.deadlines.push_back(gazette::Deadline{d, d});
  c.source = {10, 11};
  return c;
}

const std::string kCreditText =
    "建立健全社会信用体系建设工作机制，完善信用信息归集共享和使用制度，推动部门间信用信息互联互通"
    "。";
const std::string kMarketText =
    "加强市场主体信用监管，建立企业信用档案，依法公示企业信用信息，实行失信联合惩戒。";
const std::string kAuditText =
    "开展政府诚信建设专项审计，重点检查政府采购、招标投标和政府债务领域的信用状况。";
const std::string kNewText =
    "推进个人诚信体系建设，以实名制为基础，建立覆盖全省常住人口的个人信用记录。";

const std::vector<gazette::Clause>& version1() {
  static const std::vector<gazette::Clause> v = {
      clause("1.", kCreditText, {lead("发改委"), participant("财政厅")}),
      clause("2.", kMarketText, {lead("工商局")}, {"2016-06-30"}),
      clause("3.", kAuditText, {lead("审计厅")}),
  };
  return v;
}

class RevisionTest : public ::testing::Test {
 protected:
  Result<IngestPlan> plan(const std::vector<gazette::Clause>& clauses, int version,
                          const std::string& hash) {
    gazette::Document doc;
    doc.id = kDoc;
    doc.number = kDoc;
    doc.title = "关于印发社会信用体系建设规划的通知";
    doc.parts = {kPartTitle};
    std::vector<TaskState> existing;
    for (const auto& [id, s] : tasks) existing.push_back(s);
    return plan_ingest(IngestInput{doc, clauses, version, hash, {}, registered, existing});
  }

  IngestPlan ingest(const std::vector<gazette::Clause>& clauses, int version,
                    const std::string& hash) {
    auto p = plan(clauses, version, hash);
    if (!p.ok()) {
      ADD_FAILURE() << p.error().message;
      return {};
    }
    for (const PlannedCommand& pc : p->commands) {
      if (std::holds_alternative<RegisterDocument>(pc.command)) {
        registered = replay(registered, *decide(registered, pc.command, supervisor(), now));
      } else {
        run(*task_of(pc.command), pc.command, supervisor());
      }
    }
    return *p;
  }

  void run(const TaskId& id, const Command& c, const Actor& actor) {
    auto events = decide(tasks[id], c, actor, now);
    ASSERT_TRUE(events.ok()) << command_name(c) << ": " << events.error().message;
    tasks[id] = replay(tasks[id], *events);
  }

  static std::vector<std::string_view> names(const IngestPlan& p) {
    std::vector<std::string_view> out;
    for (const auto& c : p.commands) out.push_back(command_name(c.command));
    return out;
  }

  TaskState& task(int n) { return tasks[TaskId(kDoc + "|" + std::to_string(n))]; }

  DocumentState registered;
  std::map<TaskId, TaskState> tasks;
  Timestamp now = utc(2016, 1, 4);
};

TEST_F(RevisionTest, NewTasksAreNumberedInDocumentOrderNotByLabel) {
  IngestPlan p = ingest(version1(), 1, "h1");
  ASSERT_EQ(p.commands.size(), 4u);
  EXPECT_EQ(p.commands[1].stream, "task/" + kDoc + "|1");
  EXPECT_EQ(task(1).provenance.label, "1.");
  EXPECT_EQ(task(3).provenance.label, "3.");
  EXPECT_EQ(task(2).as_read.deadline, "2016-06-30");
}

TEST_F(RevisionTest, ARevisionKeepsTheOfficesWorkAndAppliesOnlyWhatTheDocumentChanged) {
  ingest(version1(), 1, "h1");
  const UnitId fgw("发改委"), audit("审计厅"), market("工商局"), stats("统计局");
  // The office's work: a deadline by hand on clause 1, clause 2 reassigned by hand, progress
  // on clause 3.
  run(task(1).id, SetDeadline{task(1).id, "2016-12-31", "office default", std::nullopt},
      supervisor());
  run(task(2).id, ReassignTask{task(2).id, {stats}, {market}, std::nullopt, "工商局 merged", {}},
      supervisor());
  run(task(3).id, AcknowledgeTask{task(3).id}, unit(audit));
  run(task(3).id, ReportProgress{task(3).id, "审计方案已制定", 40}, unit(audit));
  const TaskState progress_before = task(3);

  // Version 2: a new clause is inserted as 2., so the old 2. and 3. become 3. and 4. (the old
  // 3. also lightly edited); clause 1 now names 人民银行 as a second lead.
  std::vector<gazette::Clause> v2 = {
      clause("1.", kCreditText, {lead("发改委"), lead("人民银行"), participant("财政厅")}),
      clause("2.", kNewText, {lead("公安厅")}),
      clause("3.", kMarketText, {lead("工商局")}, {"2016-06-30"}),
      clause("4.", kAuditText.substr(0, kAuditText.size() - 3) + "，形成审计报告。",
             {lead("审计厅")}),
  };
  IngestPlan p = ingest(v2, 2, "h2");
  EXPECT_EQ(names(p),
            (std::vector<std::string_view>{"RegisterDocument", "ReassignTask", "ReviseTask",
                                           "CreateTask", "ReviseTask", "ReviseTask"}))
      << "no SetDeadline and no CancelTask";

  // Clause 1: the document's new lead joins; the deadline set by hand stays.
  EXPECT_EQ(task(1).leads, (std::vector<UnitId>{fgw, UnitId("人民银行")}));
  EXPECT_EQ(task(1).deadline, "2016-12-31");
  // Clause 2 (now 3.): the reassignment by hand stays, the task follows its new number.
  EXPECT_EQ(task(2).leads, (std::vector<UnitId>{stats}));
  EXPECT_EQ(task(2).participants, (std::vector<UnitId>{market}));
  EXPECT_EQ(task(2).provenance.label, "3.");
  EXPECT_EQ(task(2).deadline, "2016-06-30");
  // Clause 3 (now 4., edited): same task, same id, its progress intact.
  EXPECT_EQ(task(3).provenance.label, "4.");
  EXPECT_EQ(task(3).provenance.document_version, 2);
  EXPECT_EQ(task(3).status, Status::kInProgress);
  EXPECT_EQ(task(3).acknowledged, progress_before.acknowledged);
  EXPECT_EQ(task(3).leads, progress_before.leads);
  // The inserted clause is a new task whose id is not a label and not a taken number.
  EXPECT_EQ(task(4).provenance.label, "2.");
  EXPECT_EQ(task(4).leads, (std::vector<UnitId>{UnitId("公安厅")}));
  EXPECT_EQ(tasks.size(), 4u);

  // The same text again: nothing.
  auto again = plan(v2, 3, "h2");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
  // A third version that changes nothing about the clauses registers only.
  EXPECT_EQ(names(ingest(v2, 3, "h3")), (std::vector<std::string_view>{"RegisterDocument"}));
}

TEST_F(RevisionTest, UnitsAddedByHandSurviveTheDocumentsOwnUnitChange) {
  ingest(version1(), 1, "h1");
  const UnitId fgw("发改委"), czt("财政厅"), tjj("统计局"), rmyh("人民银行");
  run(task(1).id, ReassignTask{task(1).id, {fgw}, {czt, tjj}, std::nullopt, "add 统计局", {}},
      supervisor());
  std::vector<gazette::Clause> v2 = version1();
  v2[0].assignments = {lead("发改委"), participant("人民银行")};  // 财政厅 out, 人民银行 in
  IngestPlan p = ingest(v2, 2, "h2");
  EXPECT_EQ(names(p),
            (std::vector<std::string_view>{"RegisterDocument", "ReassignTask", "ReviseTask"}));
  EXPECT_EQ(task(1).leads, (std::vector<UnitId>{fgw}));
  EXPECT_EQ(task(1).participants, (std::vector<UnitId>{tjj, rmyh}));
  EXPECT_EQ(task(1).as_read.participants, (std::vector<UnitId>{rmyh}));
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("set by hand were kept"), std::string::npos) << p.notes[0];

  // The next revision leaves the clause alone: the hand-added unit is not dropped then either.
  std::vector<gazette::Clause> v3 = v2;
  v3[2].text += "（修订）";
  ingest(v3, 3, "h3");
  EXPECT_EQ(task(1).participants, (std::vector<UnitId>{tjj, rmyh}));
}

TEST_F(RevisionTest, TheDocumentsNewDeadlineIsSetAndADroppedOneIsKept) {
  ingest(version1(), 1, "h1");
  run(task(3).id, SetDeadline{task(3).id, "2016-09-30", "office", std::nullopt}, supervisor());
  std::vector<gazette::Clause> v2 = version1();
  v2[0].deadlines = {gazette::Deadline{"2016年底前", "2016-12-31"}};  // the document adds one
  v2[1].deadlines.clear();                                            // and drops one
  IngestPlan p = ingest(v2, 2, "h2");
  // Each task's ReviseTask comes last, carrying the reading as_read keeps.
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument", "SetDeadline",
                                                     "ReviseTask", "ReviseTask"}));
  EXPECT_EQ(task(1).deadline, "2016-12-31");
  EXPECT_EQ(task(2).deadline, "2016-06-30");
  EXPECT_EQ(task(2).as_read.deadline, std::nullopt);
  EXPECT_EQ(task(3).deadline, "2016-09-30");  // the document never spoke about it
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_NE(p.notes[0].find("names no deadline"), std::string::npos) << p.notes[0];
}

TEST_F(RevisionTest, ADeletedClauseIsCancelledAndItsNumberNotReused) {
  ingest(version1(), 1, "h1");
  std::vector<gazette::Clause> v2 = {version1()[0], version1()[2],
                                     clause("3.", kNewText, {lead("公安厅")})};
  v2[1].label = "2.";
  IngestPlan p = ingest(v2, 2, "h2");
  EXPECT_EQ(names(p), (std::vector<std::string_view>{"RegisterDocument", "ReviseTask", "CreateTask",
                                                     "CancelTask"}));
  EXPECT_EQ(task(2).status, Status::kCancelled);
  EXPECT_EQ(task(3).provenance.label, "2.");
  EXPECT_EQ(task(4).provenance.text, kNewText);
}

TEST(ClauseSimilarity, LightEditsAreSimilarAndOtherClausesAreNot) {
  EXPECT_DOUBLE_EQ(clause_similarity(kAuditText, kAuditText), 1.0);
  EXPECT_GE(clause_similarity(kAuditText, kAuditText + "形成审计报告。"), kSimilarClause);
  EXPECT_LT(clause_similarity(kAuditText, kMarketText), kSimilarClause);
  EXPECT_LT(clause_similarity(kCreditText, kNewText), kSimilarClause);
}

}  // namespace
}  // namespace duban::task::testing
