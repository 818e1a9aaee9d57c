// Publishing drafts and revising published documents through service::DraftService and the
// ingest path (service/gazette_ingest.h), on a real SQLite file with a fake clock and small
// gazettes written here:
//   - a relative deadline (7个工作日内, 30日内) becomes a date at 交办 (publish), counted in
//     working days across the 2016 Spring Festival, and the document's reading keeps no date;
//   - a correction made on the draft survives: the task's as_read is the machine's reading, so
//     the same text again changes nothing and a revision of another clause leaves the corrected
//     units alone;
//   - a revision ingested for review (--review) is a draft: nothing changes on the live tasks
//     until it is published; the proposal lists the new clause, the document's unit change and
//     no cancellation; publishing applies it, with a correction made on the revision draft, and
//     keeps a hand-set deadline, a reassignment, an approved extension and the progress of a
//     renumbered clause; the same file again, with or without review, changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "model/gazette/parser.h"
#include "service/drafts.h"
#include "service/gazette_ingest.h"
#include "tests/service/service_fixture.h"

namespace duban::service::testing {
namespace {

using projections::AsOf;

const char* kRelative =
    "# 关于做好春节前后信访工作的任务分工\n\n"
    "一、畅通渠道\n\n"
    "（一）畅通投诉渠道。开通热线，7个工作日内答复。（省信访局牵头负责）\n\n"
    "（二）开展回访。收到报告后30日内完成回访。（省民政厅负责）\n\n"
    "（三）完善制度。到2016年底前完成。（省财政厅负责）\n";

// kRelative with clause (三)'s deadline moved: a revision that leaves (一) and (二) alone.
const char* kRelativeRevised =
    "# 关于做好春节前后信访工作的任务分工\n\n"
    "一、畅通渠道\n\n"
    "（一）畅通投诉渠道。开通热线，7个工作日内答复。（省信访局牵头负责）\n\n"
    "（二）开展回访。收到报告后30日内完成回访。（省民政厅负责）\n\n"
    "（三）完善制度。到2017年底前完成。（省财政厅负责）\n";

// Four clauses; the revision inserts a clause before (二), which renumbers (二)…(四), and moves
// (三) 完善制度 from 省财政厅 to 省统计局.
const char* kFour =
    "# 关于加强粮食安全工作的任务分工\n\n"
    "一、重点任务\n\n"
    "（一）落实粮食安全责任制。明确各级政府粮食安全责任。（省粮食局牵头负责）\n\n"
    "（二）开展粮食质量检测。加强粮食收购环节质量检测工作。（省民政厅负责）\n\n"
    "（三）完善粮食储备制度。到2016年底前完成储备体制改革。（省财政厅负责）\n\n"
    "（四）推进粮食流通统计。建立粮食流通统计调查制度。（省统计局负责）\n";

const char* kFourRevised =
    "# 关于加强粮食安全工作的任务分工\n\n"
    "一、重点任务\n\n"
    "（一）落实粮食安全责任制。明确各级政府粮食安全责任。（省粮食局牵头负责）\n\n"
    "（二）加强粮食安全宣传。广泛宣传节约粮食的社会风尚。（省委宣传部负责）\n\n"
    "（三）开展粮食质量检测。加强粮食收购环节质量检测工作。（省民政厅负责）\n\n"
    "（四）完善粮食储备制度。到2016年底前完成储备体制改革。（省统计局负责）\n\n"
    "（五）推进粮食流通统计。建立粮食流通统计调查制度。（省统计局负责）\n";

IngestSource source_of(const std::string& name, const std::string& text) {
  auto parsed =
      gazette::parse_gazette(text, gazette::Format::kMarkdown, gazette::UnitDirectory::builtin());
  EXPECT_TRUE(parsed.ok());
  return IngestSource{name, text, parsed.ok() ? std::move(*parsed) : gazette::ParseResult{}};
}

class DraftRevisionsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    drafts = std::make_unique<DraftService>(*store, *service, clock);
  }

  // Records `text` for review; returns its (only) document.
  DocumentId review(const std::string& text) {
    auto recorded = drafts->record(source_of("gazette.md", text), kSupervisor);
    EXPECT_TRUE(recorded.ok()) << recorded.error().message;
    if (!recorded.ok() || recorded->empty()) return DocumentId();
    return recorded->front().document;
  }

  PublishOutcome publish(const DocumentId& doc) {
    auto done = drafts->publish(doc, kSupervisor);
    EXPECT_TRUE(done.ok()) << done.error().code << ": " << done.error().message;
    return done.ok() ? *done : PublishOutcome{};
  }

  // A plain `duban ingest` of `text`; returns what it appended.
  IngestCounts ingest(const std::string& text) {
    EXPECT_TRUE(service->refresh().ok());
    std::vector<std::string> problems;
    auto planned =
        plan_documents({source_of("gazette.md", text)}, model, problems, AssignedAt{clock.now()});
    EXPECT_TRUE(problems.empty()) << problems.front();
    IngestCounts total;
    for (const auto& d : planned) {
      auto done = run_plan(*service, d);
      EXPECT_TRUE(done.ok()) << done.error().message;
      if (done.ok()) total.add(*done);
    }
    return total;
  }

  std::string key_of(const DocumentId& doc, const std::string& label) {
    auto d = drafts->draft(doc);
    EXPECT_TRUE(d.ok());
    for (const auto& c : d->clauses)
      if (c.label == label) return c.key;
    ADD_FAILURE() << "no clause " << label;
    return "";
  }

  void correct(const DocumentId& doc, const draft::Command& c) {
    auto done = drafts->correct(doc, c, kSupervisor);
    ASSERT_TRUE(done.ok()) << done.error().code << ": " << done.error().message;
    ASSERT_FALSE(done->events.empty());
  }

  // The document's open tasks by printed label.
  std::map<std::string, task::TaskState> tasks_by_label(const DocumentId& doc) {
    EXPECT_TRUE(service->refresh().ok());
    std::map<std::string, task::TaskState> out;
    for (auto& s : model.tasks_of_document(doc))
      if (s.is_open()) out[s.provenance.label] = s;
    return out;
  }

  std::size_t log_size() {
    auto all = store->read_all(GlobalPosition(1), 1'000'000);
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }

  std::unique_ptr<DraftService> drafts;
};

TEST_F(DraftRevisionsTest,
       RelativeDeadlinesBecomeDatesAtPublishCountingWorkingDaysAcrossSpringFestival) {
  const DocumentId doc = review(kRelative);
  ASSERT_FALSE(doc.empty());
  // The draft keeps the span as written; no date yet.
  auto d = drafts->draft(doc);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->clauses.size(), 3u);
  EXPECT_EQ(d->clauses[0].deadline, std::nullopt);
  EXPECT_EQ(d->clauses[0].deadline_text, "7个工作日内");

  clock.advance_to(utc(2016, 2, 5, 2));  // 交办 on Friday 2016-02-05, 10:00 in Shanghai
  const auto published = publish(doc);
  EXPECT_EQ(published.counts.created, 3);
  auto tasks = tasks_by_label(doc);
  ASSERT_EQ(tasks.size(), 3u);
  // Sat 02-06 (worked) 1, Sun 02-14 (worked) 2, 02-15..19 3..7.
  EXPECT_EQ(tasks.at("(一)").deadline, std::optional<std::string>("2016-02-19"));
  // 02-05 + 30 = 03-06, a Sunday: Monday 03-07.
  EXPECT_EQ(tasks.at("(二)").deadline, std::optional<std::string>("2016-03-07"));
  EXPECT_EQ(tasks.at("(三)").deadline, std::optional<std::string>("2016-12-31"));
  // The document itself names no date for (一): its reading says so.
  EXPECT_EQ(tasks.at("(一)").as_read.deadline, std::nullopt);

  // A revision that moves only (三)'s date leaves the resolved dates of (一) and (二) alone.
  clock.advance_to(utc(2016, 3, 1));
  const auto revised = ingest(kRelativeRevised);
  EXPECT_EQ(revised.registered, 1);
  EXPECT_EQ(revised.deadlines, 1);
  EXPECT_EQ(revised.revised, 1);
  EXPECT_EQ(revised.created, 0);
  tasks = tasks_by_label(doc);
  EXPECT_EQ(tasks.at("(一)").deadline, std::optional<std::string>("2016-02-19"));
  EXPECT_EQ(tasks.at("(二)").deadline, std::optional<std::string>("2016-03-07"));
  EXPECT_EQ(tasks.at("(三)").deadline, std::optional<std::string>("2017-12-31"));
}

TEST_F(DraftRevisionsTest, ACorrectedUnitSurvivesTheSameTextAndARevisionOfAnotherClause) {
  const DocumentId doc = review(kRelative);
  ASSERT_FALSE(doc.empty());
  // The machine read 省民政厅 for (二); the office knows 省粮食局 leads it.
  const std::string key = key_of(doc, "(二)");
  correct(doc, draft::ChangeUnits{key,
                                  {task::DraftUnit{"省粮食局", UnitId("grain"), task::Role::kLead}},
                                  "粮食局牵头"});
  correct(doc, draft::SetClauseDeadline{key, std::string("2016-06-30"), "按季度"});
  clock.advance_to(utc(2016, 2, 5, 2));
  publish(doc);
  auto tasks = tasks_by_label(doc);
  const task::TaskState corrected = tasks.at("(二)");
  EXPECT_EQ(corrected.leads, std::vector<UnitId>{UnitId("grain")});
  EXPECT_EQ(corrected.deadline, std::optional<std::string>("2016-06-30"));
  // The baseline of the next revision is what the machine read.
  EXPECT_EQ(corrected.as_read.leads, std::vector<UnitId>{UnitId("civil-affairs")});
  EXPECT_EQ(corrected.as_read.deadline, std::nullopt);

  // The same text again, plainly or for review: nothing.
  const auto before = log_size();
  EXPECT_EQ(ingest(kRelative), IngestCounts{});
  auto again = drafts->record(source_of("gazette.md", kRelative), kSupervisor);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->front().unchanged);
  EXPECT_EQ(log_size(), before);

  // A revision of (三) only: (二) keeps the corrected unit and deadline, untouched.
  const auto revised = ingest(kRelativeRevised);
  EXPECT_EQ(revised.registered, 1);
  EXPECT_EQ(revised.reassigned, 0);
  EXPECT_EQ(revised.revised, 1);
  tasks = tasks_by_label(doc);
  EXPECT_EQ(tasks.at("(二)").leads, std::vector<UnitId>{UnitId("grain")});
  EXPECT_EQ(tasks.at("(二)").deadline, std::optional<std::string>("2016-06-30"));
  EXPECT_EQ(tasks.at("(二)").version, corrected.version);
  EXPECT_EQ(tasks.at("(三)").deadline, std::optional<std::string>("2017-12-31"));
}

TEST_F(DraftRevisionsTest, ARevisionForReviewChangesNothingUntilPublishedThenKeepsTheOfficesWork) {
  clock.advance_to(utc(2016, 1, 4));
  EXPECT_EQ(ingest(kFour).created, 4);
  const auto parsed = source_of("gazette.md", kFour).parsed;
  ASSERT_EQ(parsed.documents.size(), 1u);
  const DocumentId doc(parsed.documents.front().id);
  auto v1 = tasks_by_label(doc);
  ASSERT_EQ(v1.size(), 4u) << "the test gazette should parse into four tasks";
  const TaskId hand_deadline = v1.at("(一)").id, reassigned = v1.at("(二)").id,
               unit_change = v1.at("(三)").id, in_progress = v1.at("(四)").id;
  ASSERT_EQ(v1.at("(三)").leads, std::vector<UnitId>{UnitId("finance")});

  // The office's work on the live tasks.
  accept(task::SetDeadline{hand_deadline, "2016-09-30", "office default", std::nullopt},
         kSupervisor);
  accept(task::ReassignTask{reassigned,
                            {UnitId("civil-affairs")},
                            {UnitId("grain")},
                            std::nullopt,
                            "粮食局参加",
                            std::nullopt},
         kSupervisor);
  accept(task::RequestExtension{unit_change, "2017-03-31", "改革需要更多时间"}, unit("finance"));
  accept(task::ApproveExtension{unit_change, std::nullopt}, kSupervisor);
  accept(task::AcknowledgeTask{in_progress}, unit("stats"));
  accept(task::ReportProgress{in_progress, "已建立统计调查制度草案", 40}, unit("stats"));
  v1 = tasks_by_label(doc);

  // The revision for review: a draft, and no task changes.
  clock.advance_to(utc(2016, 3, 1));
  const auto before = log_size();
  ASSERT_EQ(review(kFourRevised), doc);
  const auto after_review = log_size();
  EXPECT_EQ(after_review, before + 1);  // one DraftRecorded
  EXPECT_EQ(tasks_by_label(doc), v1);

  // The proposal: a new task for the inserted clause, the document's unit change, the
  // renumbered clauses revised, nothing cancelled, nothing of the office's work undone.
  auto proposal = drafts->propose(doc);
  ASSERT_TRUE(proposal.ok()) << proposal.error().message;
  EXPECT_TRUE(proposal->revision);
  EXPECT_EQ(proposal->version, 2);
  std::map<std::string, int> kinds;
  for (const auto& c : proposal->changes) {
    ++kinds[c.what];
    EXPECT_NE(c.what, "CancelTask") << c.task.str();
    EXPECT_NE(c.what, "SetDeadline") << c.task.str();
    if (c.what == "ReassignTask") {
      EXPECT_EQ(c.task, unit_change);
      EXPECT_EQ(c.key, key_of(doc, "(四)"));
    }
    if (c.what == "CreateTask") {
      EXPECT_EQ(c.key, key_of(doc, "(二)"));
    }
  }
  EXPECT_EQ(kinds["CreateTask"], 1);
  EXPECT_EQ(kinds["ReassignTask"], 1);
  EXPECT_EQ(log_size(), after_review);

  // The reviewer corrects the revision: the new clause gets a deadline.
  correct(doc, draft::SetClauseDeadline{key_of(doc, "(二)"), std::string("2016-06-30"), ""});
  const auto published = publish(doc);
  EXPECT_EQ(published.version, 2);
  EXPECT_EQ(published.counts.created, 1);
  EXPECT_EQ(published.counts.reassigned, 1);
  EXPECT_EQ(published.counts.cancelled, 0);
  EXPECT_EQ(published.counts.deadlines, 0);

  auto v2 = tasks_by_label(doc);
  ASSERT_EQ(v2.size(), 5u);
  // The hand-set deadline stays.
  EXPECT_EQ(v2.at("(一)").id, hand_deadline);
  EXPECT_EQ(v2.at("(一)").deadline, std::optional<std::string>("2016-09-30"));
  // The reassignment stays, on the renumbered clause.
  EXPECT_EQ(v2.at("(三)").id, reassigned);
  EXPECT_EQ(v2.at("(三)").participants, std::vector<UnitId>{UnitId("grain")});
  // The document's unit change is applied; the approved extension stays.
  EXPECT_EQ(v2.at("(四)").id, unit_change);
  EXPECT_EQ(v2.at("(四)").leads, std::vector<UnitId>{UnitId("stats")});
  EXPECT_EQ(v2.at("(四)").deadline, std::optional<std::string>("2017-03-31"));
  EXPECT_EQ(v2.at("(四)").extensions, 1);
  // Progress stays with its clause, now (五).
  EXPECT_EQ(v2.at("(五)").id, in_progress);
  EXPECT_EQ(v2.at("(五)").status, task::Status::kInProgress);
  EXPECT_TRUE(v2.at("(五)").has_acknowledged(UnitId("stats")));
  // The inserted clause is a new task with the reviewer's deadline.
  EXPECT_EQ(v2.at("(二)").leads, std::vector<UnitId>{UnitId("propaganda")});
  EXPECT_EQ(v2.at("(二)").deadline, std::optional<std::string>("2016-06-30"));
  EXPECT_EQ(model.document(doc).document_version, 2);

  // The same revised file again, with or without review, changes nothing.
  const auto settled = log_size();
  auto again = drafts->record(source_of("gazette.md", kFourRevised), kSupervisor);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->front().unchanged);
  EXPECT_EQ(ingest(kFourRevised), IngestCounts{});
  auto republished = drafts->publish(doc, kSupervisor);
  ASSERT_TRUE(republished.ok());
  EXPECT_TRUE(republished->already_published);
  EXPECT_EQ(log_size(), settled);
}

}  // namespace
}  // namespace duban::service::testing
