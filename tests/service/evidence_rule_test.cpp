// "A completion can be required to carry evidence (per document, set at review)" (issue 15),
// through service::DraftService and TaskService on a real SQLite file with the bundled gazette:
// the reviewer's setting is a DraftEvidenceRequirementSet in the draft stream; publishing gives
// every task of the document an EvidenceRequirementSet, so a completion without attachments is
// refused with a message naming the task and document while one with an attachment is accepted;
// a document reviewed without the setting gets no such event and its completions need none.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "model/draft/commands.h"
#include "model/gazette/parser.h"
#include "model/task/error_codes.h"
#include "service/drafts.h"
#include "storage/event_codec.h"
#include "tests/service/service_fixture.h"

namespace duban::service::testing {
namespace {

const std::string kEvidenceGazette =
    std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

class EvidenceRuleTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    drafts = std::make_unique<DraftService>(*store, *service, clock);
    std::ifstream in(kEvidenceGazette, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    auto parsed = gazette::parse_gazette(bytes.str(), gazette::Format::kMarkdown,
                                         gazette::UnitDirectory::builtin());
    ASSERT_TRUE(parsed.ok());
    ASSERT_FALSE(parsed->clauses.empty());
    doc = DocumentId(parsed->clauses.front().doc);
    auto recorded = drafts->record(IngestSource{kEvidenceGazette, bytes.str(), std::move(*parsed)},
                                   kSupervisor);
    ASSERT_TRUE(recorded.ok()) << recorded.error().message;
    // Publishing refuses clauses without a lead unit: drop them.
    auto d = drafts->draft(doc);
    ASSERT_TRUE(d.ok());
    for (const auto& c : d->clauses) {
      const bool lead = std::any_of(c.units.begin(), c.units.end(),
                                    [](const auto& u) { return u.role == task::Role::kLead; });
      if (lead) continue;
      ASSERT_TRUE(drafts->correct(doc, draft::DropClause{c.key, "no unit"}, kSupervisor).ok());
    }
  }

  // Publishes the draft and returns its first task, read back from the read model.
  task::TaskState publish_first() {
    auto published = drafts->publish(doc, kSupervisor);
    EXPECT_TRUE(published.ok()) << published.error().message;
    EXPECT_TRUE(service->refresh().ok());
    EXPECT_FALSE(published->tasks.empty());
    auto t = model.task(published->tasks.front());
    EXPECT_TRUE(t.has_value());
    return t.value_or(task::TaskState{});
  }

  int events_of_type(std::string_view type) {
    auto all = store->read_all(GlobalPosition(1), 1'000'000);
    EXPECT_TRUE(all.ok());
    return static_cast<int>(
        std::count_if(all->begin(), all->end(), [&](const auto& r) { return r.type == type; }));
  }

  std::unique_ptr<DraftService> drafts;
  DocumentId doc;
};

const task::Attachment kReport{std::string(64, 'e'), "验收报告.pdf", "application/pdf", 4096};

TEST_F(EvidenceRuleTest, PublishingARequiringDraftMakesCompletionsWithoutEvidenceRefused) {
  auto set = drafts->correct(doc, draft::RequireEvidence{true, "办结须附佐证材料"}, kSupervisor);
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set->events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<task::DraftEvidenceRequirementSet>(set->events[0]));
  ASSERT_TRUE(drafts->draft(doc)->evidence_required);

  const task::TaskState first = publish_first();
  EXPECT_TRUE(first.evidence_required);
  for (const auto& t : model.tasks_of_document(doc)) EXPECT_TRUE(t.evidence_required) << t.id.str();
  EXPECT_EQ(events_of_type("EvidenceRequirementSet"),
            static_cast<int>(model.tasks_of_document(doc).size()));

  const task::Actor lead = task::Actor::of_unit(first.leads.front());
  auto bare = run(task::ReportCompletion{first.id, "已完成"}, lead);
  ASSERT_FALSE(bare.ok());
  EXPECT_EQ(bare.error().code, task::errc::kInvalidCommand);
  EXPECT_NE(bare.error().message.find("of document '" + doc.str() + "' requires evidence"),
            std::string::npos)
      << bare.error().message;

  auto with = run(task::ReportCompletion{first.id, "已完成", {kReport}}, lead);
  ASSERT_TRUE(with.ok()) << with.error().message;
  ASSERT_TRUE(service->refresh().ok());
  EXPECT_EQ(model.task(first.id)->status, task::Status::kCompletionReported);
}

TEST_F(EvidenceRuleTest, ADraftReviewedWithoutTheSettingPublishesTasksThatNeedNoEvidence) {
  const task::TaskState first = publish_first();
  EXPECT_FALSE(first.evidence_required);
  EXPECT_EQ(events_of_type("EvidenceRequirementSet"), 0);
  EXPECT_EQ(events_of_type("DraftEvidenceRequirementSet"), 0);
  auto bare = run(task::ReportCompletion{first.id, "已完成"}, task::Actor::of_unit(first.leads[0]));
  EXPECT_TRUE(bare.ok()) << bare.error().message;
}

TEST_F(EvidenceRuleTest, SettingTheSameRuleTwiceRecordsItOnceAndUnitsMayNotSetIt) {
  ASSERT_TRUE(drafts->correct(doc, draft::RequireEvidence{true, ""}, kSupervisor).ok());
  auto again = drafts->correct(doc, draft::RequireEvidence{true, ""}, kSupervisor);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(events_of_type("DraftEvidenceRequirementSet"), 1);
  auto by_unit = drafts->correct(doc, draft::RequireEvidence{false, ""},
                                 task::Actor::of_unit(UnitId("grain")));
  ASSERT_FALSE(by_unit.ok());
  EXPECT_EQ(by_unit.error().code, task::errc::kForbidden);
}

}  // namespace
}  // namespace duban::service::testing
