// Drafts (拟办 → 审核 → 交办) through service::DraftService on a real SQLite file with a fake
// clock, using the bundled gazette: recording a draft creates no task and nothing a unit can see;
// every correction kind is one DraftCorrected naming its actor and shows in the clause's audit
// history next to the machine's reading; publishing creates exactly the reviewed tasks (through
// the ingest path) and publishing again appends nothing; a mapped unit name holds for later
// drafts and plain ingests; units may not correct or publish.
#include "service/drafts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "audit/draft_history.h"
#include "model/draft/decide.h"
#include "model/gazette/parser.h"
#include "model/task/error_codes.h"
#include "storage/event_codec.h"
#include "tests/service/service_fixture.h"

namespace duban::service::testing {
namespace {

using projections::AsOf;
using projections::InboxFilter;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

IngestSource source_from(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  auto parsed = gazette::parse_gazette(bytes.str(), gazette::Format::kMarkdown,
                                       gazette::UnitDirectory::builtin());
  EXPECT_TRUE(parsed.ok());
  return IngestSource{path, bytes.str(), std::move(*parsed)};
}

std::string namer(const UnitId& id) {
  return id.str();
}

class DraftsTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    drafts = std::make_unique<DraftService>(*store, *service, clock);
    source = source_from(kGazette);
    ASSERT_FALSE(source.parsed.documents.empty());
    // The first document holding clauses is the one under review.
    for (const auto& c : source.parsed.clauses) {
      doc = DocumentId(c.doc);
      break;
    }
    auto recorded = drafts->record(source, kSupervisor);
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
  }

  std::vector<storage::RecordedEvent> log() {
    auto all = store->read_all(GlobalPosition(1), 1'000'000);
    EXPECT_TRUE(all.ok());
    return all.ok() ? *all : std::vector<storage::RecordedEvent>{};
  }

  draft::DraftState current() {
    auto d = drafts->draft(doc);
    EXPECT_TRUE(d.ok()) << d.error().message;
    return d.ok() ? *d : draft::DraftState{};
  }

  DraftChange must_correct(const draft::Command& c) {
    auto done = drafts->correct(doc, c, kSupervisor);
    EXPECT_TRUE(done.ok()) << done.error().code << ": " << done.error().message;
    return done.ok() ? *done : DraftChange{};
  }

  std::unique_ptr<DraftService> drafts;
  IngestSource source;
  DocumentId doc;
};

TEST_F(DraftsTest, RecordingADraftCreatesNoTaskAndNothingAUnitCanSee) {
  const auto events = log();
  ASSERT_FALSE(events.empty());
  for (const auto& e : events) {
    EXPECT_EQ(e.type, "DraftRecorded") << e.stream;
    EXPECT_TRUE(e.stream.starts_with("draft/")) << e.stream;
    EXPECT_EQ(e.actor, "supervisor");
  }
  ASSERT_TRUE(service->refresh().ok());
  EXPECT_TRUE(model.tasks_of_document(doc).empty());
  EXPECT_FALSE(model.document(doc).exists());
  EXPECT_TRUE(model.document_progress(AsOf{utc(2015, 9, 1)}).empty());
  EXPECT_TRUE(model.scorecards(AsOf{utc(2015, 9, 1)}).empty());
  const auto d = current();
  ASSERT_FALSE(d.clauses.empty());
  for (const auto& c : d.clauses) {
    for (const auto& u : c.units) {
      EXPECT_TRUE(model.inbox(u.unit, AsOf{utc(2015, 9, 1)}, InboxFilter::kAll).empty());
    }
  }
  // The reading keeps the parser's confidence and reasons.
  int with_reasons = 0;
  for (const auto& c : source.parsed.clauses) with_reasons += c.why.empty() ? 0 : 1;
  int kept = 0;
  auto rows = drafts->list();
  ASSERT_TRUE(rows.ok());
  for (const DraftSummary& row : rows.value()) kept += row.clauses;
  EXPECT_EQ(kept, static_cast<int>(source.parsed.clauses.size()));
  (void)with_reasons;
}

TEST_F(DraftsTest, RecordingTheSameTextAgainAppendsNothing) {
  const auto before = log().size();
  auto again = drafts->record(source, kSupervisor);
  ASSERT_TRUE(again.ok());
  for (const auto& d : *again) EXPECT_TRUE(d.unchanged);
  EXPECT_EQ(log().size(), before);
}

TEST_F(DraftsTest, EveryCorrectionKindIsAnEventNamingItsActorAndShowsInTheAudit) {
  auto d = current();
  ASSERT_GE(d.clauses.size(), 4u);
  const std::string a = d.clauses[0].key, b = d.clauses[1].key, c = d.clauses[2].key,
                    e = d.clauses[3].key;
  const std::string text_c = d.clauses[2].text;
  const auto mid = text_c.find("，") != std::string::npos ? text_c.find("，") + 3 : 3;
  const std::string at = text_c.substr(mid, 6);

  must_correct(draft::ChangeUnits{a,
                                  {task::DraftUnit{"省粮食局", UnitId("grain"), task::Role::kLead},
                                   {"省财政厅", UnitId("finance"), task::Role::kParticipant}},
                                  "粮食局牵头"});
  must_correct(draft::ChangeMode{a, task::Mode::kSeparately, "各自负责"});
  must_correct(draft::ChangeLabel{a, std::string("一（改）"), std::string("新标题"), ""});
  must_correct(draft::SetClauseDeadline{a, std::string("2016-12-31"), "年底前"});
  must_correct(draft::SplitClause{c, at, std::string("split-2"), "两项任务"});
  must_correct(draft::MergeClauses{b, e, "同一任务"});
  must_correct(draft::DropClause{d.clauses[4].key, "不是任务"});
  task::DraftClause added;
  added.label = "补";
  added.text = "做好补充工作。（省粮食局负责）";
  added.line = d.clauses[0].line;
  added.end_line = d.clauses[0].line;
  added.units = {task::DraftUnit{"省粮食局", UnitId("grain"), task::Role::kLead}};
  must_correct(draft::AddClause{added, "解析遗漏"});

  std::map<std::string, int> kinds;
  for (const auto& r : log()) {
    if (r.type != "DraftCorrected") continue;
    EXPECT_EQ(r.actor, "supervisor");
    auto event = storage::decode_event(r);
    ASSERT_TRUE(event.ok());
    ++kinds[std::string(task::to_string(std::get<task::DraftCorrected>(*event).kind))];
  }
  for (const char* k : {"units", "mode", "label", "deadline", "split", "merge", "drop", "add"}) {
    EXPECT_EQ(kinds[k], 1) << k;
  }

  // The clause's history: the machine's reading first, then each change with its actor.
  auto history = audit::draft_clause_history(*store, doc, a, namer);
  ASSERT_TRUE(history.ok()) << history.error().message;
  ASSERT_EQ(history->entries.size(), 5u);
  EXPECT_EQ(history->entries[0].kind, "reading");
  EXPECT_EQ(history->entries[0].after.find(a), 0u);
  const char* expected[] = {"units", "mode", "label", "deadline"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(history->entries[i + 1].kind, expected[i]);
    EXPECT_EQ(history->entries[i + 1].actor, "supervisor");
    EXPECT_FALSE(history->entries[i + 1].before.empty());
    EXPECT_NE(history->entries[i + 1].before, history->entries[i + 1].after);
  }
  EXPECT_NE(history->entries[1].after.find("grain(lead)"), std::string::npos);
  EXPECT_NE(history->entries[4].after.find("2016-12-31"), std::string::npos);
  // A clause split off another shows the reading it came from.
  const auto split_off = current().clauses;
  std::string second;
  for (const auto& cl : split_off)
    if (cl.label == "split-2") second = cl.key;
  ASSERT_FALSE(second.empty());
  auto split_history = audit::draft_clause_history(*store, doc, second, namer);
  ASSERT_TRUE(split_history.ok());
  EXPECT_EQ(split_history->entries.front().kind, "reading");
  EXPECT_EQ(split_history->entries.back().kind, "split");
}

TEST_F(DraftsTest, UnitsMayNotCorrectOrPublish) {
  const auto d = current();
  auto refused = drafts->correct(doc, draft::DropClause{d.clauses[0].key, "x"},
                                 task::Actor::of_unit(UnitId("grain")));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, task::errc::kForbidden);
  auto publish = drafts->publish(doc, task::Actor::of_unit(UnitId("grain")));
  ASSERT_FALSE(publish.ok());
  EXPECT_EQ(publish.error().code, task::errc::kForbidden);
}

TEST_F(DraftsTest, PublishingCreatesExactlyTheReviewedTasksAndPublishingAgainChangesNothing) {
  auto d = current();
  // Leaderless clauses must be fixed or dropped first: publishing refuses them.
  for (const auto& c : d.clauses) {
    const bool lead = std::any_of(c.units.begin(), c.units.end(),
                                  [](const auto& u) { return u.role == task::Role::kLead; });
    if (!lead) must_correct(draft::DropClause{c.key, "no unit"});
  }
  d = current();
  ASSERT_GE(d.clauses.size(), 3u);
  const std::string fixed = d.clauses[0].key, dropped = d.clauses[1].key;
  must_correct(draft::ChangeUnits{
      fixed, {task::DraftUnit{"省粮食局", UnitId("grain"), task::Role::kLead}}, ""});
  must_correct(draft::SetClauseDeadline{fixed, std::string("2016-12-31"), ""});
  must_correct(draft::DropClause{dropped, "重复"});
  d = current();

  auto published = drafts->publish(doc, kSupervisor);
  ASSERT_TRUE(published.ok()) << published.error().code << ": " << published.error().message;
  EXPECT_FALSE(published->already_published);
  EXPECT_EQ(published->counts.created, static_cast<int>(d.clauses.size()));
  EXPECT_EQ(published->counts.registered, 1);

  ASSERT_TRUE(service->refresh().ok());
  const auto tasks = model.tasks_of_document(doc);
  ASSERT_EQ(tasks.size(), d.clauses.size());
  ASSERT_EQ(published->tasks.size(), d.clauses.size());  // in document order, as the clauses
  for (std::size_t i = 0; i < d.clauses.size(); ++i) {
    const auto& c = d.clauses[i];
    auto t = model.task(published->tasks[i]);
    ASSERT_TRUE(t.has_value()) << c.key;
    EXPECT_EQ(t->deadline, c.deadline) << c.key;
    std::vector<UnitId> leads;
    for (const auto& u : c.units)
      if (u.role == task::Role::kLead &&
          std::find(leads.begin(), leads.end(), u.unit) == leads.end())
        leads.push_back(u.unit);
    EXPECT_EQ(t->leads, leads) << c.key;
    EXPECT_EQ(t->mode, c.mode);
  }
  auto first = model.task(published->tasks[0]);  // the clause `fixed`, first in the draft
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->leads, std::vector<UnitId>{UnitId("grain")});
  EXPECT_EQ(first->deadline, std::optional<std::string>("2016-12-31"));
  EXPECT_FALSE(model.inbox(UnitId("grain"), AsOf{utc(2015, 9, 1)}).empty());
  EXPECT_TRUE(current().published);

  // Again: nothing appended, and a correction after 交办 is refused.
  const auto before = log().size();
  auto again = drafts->publish(doc, kSupervisor);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->already_published);
  EXPECT_EQ(log().size(), before);
  auto late = drafts->correct(doc, draft::DropClause{fixed, "x"}, kSupervisor);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, task::errc::kIllegalTransition);
  // Nor does a plain ingest of the same text change anything: the corrections stand.
  std::vector<std::string> problems;
  auto planned = plan_documents({source}, model, problems);
  for (const auto& p : planned) {
    if (p.document.id == doc.str()) {
      EXPECT_TRUE(p.plan.empty());
    }
  }
}

TEST_F(DraftsTest, AMappedUnitNameRereadsTheDraftAndHoldsForLaterReadings) {
  // Pretend the parser met a name the directory lacks in the first clause.
  auto d = current();
  const std::string key = d.clauses[0].key;
  must_correct(draft::ChangeUnits{
      key, {task::DraftUnit{"省粮油办", UnitId("unknown:省粮油办"), task::Role::kLead}}, ""});
  auto mapped = drafts->map_unit_name("省粮油办", UnitId("grain"), doc, kSupervisor);
  ASSERT_TRUE(mapped.ok()) << mapped.error().message;
  ASSERT_EQ(mapped->events.size(), 1u);
  EXPECT_EQ(std::get<task::DraftCorrected>(mapped->events[0]).kind, task::Correction::kUnitName);
  EXPECT_EQ(current().clause(key)->units[0].unit, UnitId("grain"));
  bool logged = false;
  for (const auto& r : log()) {
    if (r.type == "UnitNameMapped") {
      logged = true;
      EXPECT_EQ(r.stream, task::kUnitNamesStream);
      EXPECT_EQ(r.actor, "supervisor");
    }
  }
  EXPECT_TRUE(logged);
  // Later readings apply it.
  auto names = drafts->unit_names();
  ASSERT_TRUE(names.ok());
  gazette::ParseResult later;
  gazette::Clause c;
  c.assignments.push_back(
      gazette::Assignment{gazette::Role::kLead, "省粮油办", "unknown:省粮油办"});
  later.clauses.push_back(c);
  apply_unit_names(later, *names);
  EXPECT_EQ(later.clauses[0].assignments[0].unit, "grain");
  // A unit the directory lacks is refused.
  auto bad = drafts->map_unit_name("某办", UnitId("nosuchunit"), doc, kSupervisor);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, task::errc::kInvalidCommand);
}

}  // namespace
}  // namespace duban::service::testing
