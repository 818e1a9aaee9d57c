// allowed_actions(): the page's buttons come from decide(), so the server never offers what it
// then refuses (issue 17: 报告办结 for a participant, actions on a closed task).
#include "model/task/allowed_actions.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/model/task/task_fixture.h"

namespace duban::task::testing {
namespace {

using Actions = std::vector<std::string_view>;

bool has(const Actions& a, std::string_view action) {
  return std::find(a.begin(), a.end(), action) != a.end();
}

class AllowedActionsTest : public TaskFixture {
 protected:
  Actions of(const Actor& actor) { return allowed_actions(state, actor, now); }
};

TEST_F(AllowedActionsTest, AnOpenTaskOffersEachActorItsOwnActions) {
  create();
  EXPECT_EQ(of(supervisor()),
            (Actions{"reassign", "urge", "deadline", "cancel", "reporting-cycle"}));
  EXPECT_EQ(of(unit(kLeadA)),
            (Actions{"acknowledge", "progress", "request-extension", "report-completion"}));
  const auto participant = of(unit(kPart));
  EXPECT_TRUE(has(participant, "acknowledge"));
  EXPECT_TRUE(has(participant, "progress"));
  EXPECT_FALSE(has(participant, "report-completion")) << "only leads report completion";
  EXPECT_FALSE(has(participant, "request-extension"));
  EXPECT_TRUE(of(unit(kStranger)).empty());
}

TEST_F(AllowedActionsTest, AReportedCompletionIsReviewedNotReportedAgain) {
  create(Mode::kLead, {kLeadA});
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  const auto office = of(supervisor());
  EXPECT_TRUE(has(office, "approve-completion"));
  EXPECT_TRUE(has(office, "return"));
  EXPECT_FALSE(has(of(unit(kLeadA)), "report-completion"));
}

TEST_F(AllowedActionsTest, AClosedTaskOffersOnlyReopenToTheOffice) {
  close_task();
  EXPECT_EQ(of(supervisor()), (Actions{"reopen"}));
  EXPECT_TRUE(of(unit(kLeadA)).empty());
  EXPECT_TRUE(of(unit(kPart)).empty());
}

TEST_F(AllowedActionsTest, ACancelledTaskOrNoTaskOffersNothing) {
  EXPECT_TRUE(of(supervisor()).empty()) << "no task yet";
  cancel_task();
  EXPECT_TRUE(of(supervisor()).empty());
  EXPECT_TRUE(of(unit(kLeadA)).empty());
}

}  // namespace
}  // namespace duban::task::testing
