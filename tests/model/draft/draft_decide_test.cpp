// draft::decide and draft::apply, pure: keys are assigned in order and never reused; each
// correction is one DraftCorrected carrying the clause before and after; split, merge, drop and
// add replace clauses in place (an added clause goes by its line); refusals for the wrong
// actor, a missing clause, a leaderless change, a duplicate label, a drop without reason and a
// published draft; the same reading again records nothing.
#include <gtest/gtest.h>

#include "model/draft/decide.h"
#include "model/task/error_codes.h"

namespace duban::draft {
namespace {

using task::DraftClause;
using task::DraftUnit;

const task::Actor kSupervisor = task::Actor::supervisor();
const Timestamp kNow = from_millis(1'450'000'000'000);

DraftClause clause(const std::string& label, int line, const std::string& unit = "grain") {
  DraftClause c;
  c.part = "正文";
  c.label = label;
  c.heading = "做好" + label;
  c.text = "做好" + label + "。加强管理，完善制度。（" + unit + "牵头）";
  c.units = {DraftUnit{unit, UnitId(unit), task::Role::kLead}};
  c.line = line;
  c.end_line = line;
  c.confidence = 0.5;
  c.why = {"implicit duty"};
  return c;
}

DraftState fold(DraftState s, const std::vector<task::Event>& events) {
  for (const auto& e : events) s = draft::apply(std::move(s), e);
  return s;
}

DraftState recorded() {
  task::DraftRecorded r;
  r.document = DocumentId("doc");
  r.parts = {"正文"};
  r.version = 1;
  r.content_hash = "h1";
  r.clauses = {clause("一、", 10), clause("二、", 20), clause("三、", 30)};
  auto e = decide(DraftState{}, RecordDraft{r}, kSupervisor, kNow);
  EXPECT_TRUE(e.ok());
  return fold({}, *e);
}

std::vector<task::Event> must(const DraftState& s, const Command& c) {
  auto e = decide(s, c, kSupervisor, kNow);
  EXPECT_TRUE(e.ok()) << e.error().code << ": " << e.error().message;
  return e.ok() ? *e : std::vector<task::Event>{};
}

std::vector<std::string> keys(const DraftState& s) {
  std::vector<std::string> out;
  for (const auto& c : s.clauses) out.push_back(c.key);
  return out;
}

TEST(DraftDecide, RecordingAssignsKeysInOrderAndTheSameTextRecordsNothing) {
  DraftState s = recorded();
  EXPECT_EQ(keys(s), (std::vector<std::string>{"c1", "c2", "c3"}));
  EXPECT_EQ(s.next_key, 4);
  task::DraftRecorded same;
  same.document = DocumentId("doc");
  same.content_hash = "h1";
  EXPECT_TRUE(must(s, RecordDraft{same}).empty());
}

TEST(DraftDecide, AChangeCarriesTheClauseBeforeAndAfter) {
  DraftState s = recorded();
  auto events = must(
      s, ChangeUnits{"c2", {DraftUnit{"省财政厅", UnitId("finance"), task::Role::kLead}}, "why"});
  ASSERT_EQ(events.size(), 1u);
  const auto& c = std::get<task::DraftCorrected>(events[0]);
  EXPECT_EQ(c.kind, task::Correction::kUnits);
  ASSERT_EQ(c.before.size(), 1u);
  EXPECT_EQ(c.before[0].units[0].unit, UnitId("grain"));
  EXPECT_EQ(c.after[0].units[0].unit, UnitId("finance"));
  s = fold(s, events);
  EXPECT_EQ(s.clause("c2")->units[0].unit, UnitId("finance"));
  EXPECT_FALSE(is_doubtful(s, *s.clause("c2")));  // corrected by a person
  EXPECT_TRUE(is_doubtful(s, *s.clause("c1")));
  // The same change again records nothing.
  EXPECT_TRUE(must(s, ChangeUnits{"c2", s.clause("c2")->units, ""}).empty());
}

TEST(DraftDecide, SplitMergeDropAndAddReplaceClausesInPlace) {
  DraftState s = recorded();
  s = fold(s, must(s, SplitClause{"c1", "加强管理", std::nullopt, ""}));
  EXPECT_EQ(keys(s), (std::vector<std::string>{"c1", "c4", "c2", "c3"}));
  EXPECT_EQ(s.clause("c4")->label, "一、-2");
  EXPECT_EQ(s.clause("c4")->heading, "加强管理，完善制度");
  s = fold(s, must(s, MergeClauses{"c2", "c3", ""}));
  EXPECT_EQ(keys(s), (std::vector<std::string>{"c1", "c4", "c2"}));
  EXPECT_EQ(s.clause("c2")->end_line, 30);
  s = fold(s, must(s, DropClause{"c4", "不是任务"}));
  EXPECT_EQ(keys(s), (std::vector<std::string>{"c1", "c2"}));
  DraftClause missed = clause("补、", 15, "finance");
  s = fold(s, must(s, AddClause{missed, "遗漏"}));
  EXPECT_EQ(keys(s), (std::vector<std::string>{"c1", "c5", "c2"}));  // keys never reused
  EXPECT_EQ(s.clause("c5")->confidence, 1.0);
  EXPECT_EQ(s.corrections, 4);
}

TEST(DraftDecide, RefusalsSayWhy) {
  DraftState s = recorded();
  auto code = [&](const Command& c, const task::Actor& a = kSupervisor) {
    auto e = decide(s, c, a, kNow);
    return e.ok() ? std::string("ok") : e.error().code;
  };
  EXPECT_EQ(code(DropClause{"c1", "x"}, task::Actor::of_unit(UnitId("grain"))),
            task::errc::kForbidden);
  EXPECT_EQ(code(DropClause{"c9", "x"}), task::errc::kNotFound);
  EXPECT_EQ(code(DropClause{"c1", ""}), task::errc::kInvalidCommand);
  EXPECT_EQ(code(ChangeUnits{"c1", {DraftUnit{"x", UnitId("x"), task::Role::kParticipant}}, ""}),
            task::errc::kInvalidCommand);
  EXPECT_EQ(code(ChangeLabel{"c1", std::string("二、"), std::nullopt, ""}),
            task::errc::kInvalidCommand);
  EXPECT_EQ(code(SetClauseDeadline{"c1", std::string("2016-02-30"), ""}),
            task::errc::kInvalidCommand);
  EXPECT_EQ(code(MergeClauses{"c1", "c1", ""}), task::errc::kInvalidCommand);
  s = fold(s, must(s, MarkPublished{{TaskId("doc|正文|一、")}}));
  EXPECT_TRUE(s.published);
  EXPECT_EQ(code(DropClause{"c1", "x"}), task::errc::kIllegalTransition);
  EXPECT_TRUE(must(s, MarkPublished{{}}).empty());  // publishing twice records nothing
}

TEST(DraftDecide, UnitNamesMapOnceAndRereadClauses) {
  UnitNames names;
  auto mapped = decide(names, MapUnitName{"省 粮油办", UnitId("grain")}, kSupervisor);
  ASSERT_TRUE(mapped.ok());
  names = draft::apply(names, (*mapped)[0]);
  ASSERT_NE(names.find("省粮油办"), nullptr);  // blanks do not matter
  EXPECT_TRUE(decide(names, MapUnitName{"省粮油办", UnitId("grain")}, kSupervisor)->empty());
  EXPECT_FALSE(decide(names, MapUnitName{"x", UnitId("unknown:x")}, kSupervisor).ok());

  DraftState s = recorded();
  s = fold(
      s, must(s, ChangeUnits{"c1",
                             {DraftUnit{"省粮油办", UnitId("unknown:省粮油办"), task::Role::kLead}},
                             ""}));
  auto reread = must(s, ApplyUnitName{"省粮油办", UnitId("grain")});
  ASSERT_EQ(reread.size(), 1u);
  EXPECT_EQ(std::get<task::DraftCorrected>(reread[0]).kind, task::Correction::kUnitName);
  s = fold(s, reread);
  EXPECT_EQ(s.clause("c1")->units[0].unit, UnitId("grain"));
}

// The evidence rule (issue 15): set at review, recorded once, kept by a new text of the
// document, refused on a published draft and for a unit.
TEST(DraftEvidenceRule, RequiringEvidenceIsRecordedOnceAndKeptByANewText) {
  DraftState s = recorded();
  EXPECT_FALSE(s.evidence_required);
  auto events = must(s, RequireEvidence{true, "办结须附佐证材料"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<task::DraftEvidenceRequirementSet>(events[0]).reason, "办结须附佐证材料");
  s = fold(s, events);
  EXPECT_TRUE(s.evidence_required);
  EXPECT_TRUE(must(s, RequireEvidence{true, "again"}).empty());
  // A new text of the document, before any correction: the rule stays.
  task::DraftRecorded again;
  again.document = DocumentId("doc");
  again.parts = {"正文"};
  again.version = 1;
  again.content_hash = "h2";
  again.clauses = {clause("一、", 10)};
  s = fold(s, must(s, RecordDraft{again}));
  EXPECT_TRUE(s.evidence_required);
}

TEST(DraftEvidenceRule, AUnitCannotSetItAndAPublishedDraftRefusesIt) {
  DraftState s = recorded();
  auto by_unit = decide(s, RequireEvidence{true, ""}, task::Actor::of_unit(UnitId("grain")), kNow);
  ASSERT_FALSE(by_unit.ok());
  EXPECT_EQ(by_unit.error().code, task::errc::kForbidden);
  s = fold(s, must(s, MarkPublished{{}}));
  auto late = decide(s, RequireEvidence{true, ""}, kSupervisor, kNow);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, task::errc::kIllegalTransition);
}

}  // namespace
}  // namespace duban::draft
