// allowed_actions(): the page's buttons come from decide(), so the server never offers what it
// then refuses (issue 17: 报告办结 for a participant, actions on a closed task), over every action
// of the API's table (task_actions.h), the unit head's sign-off included (issue 14: 签发 and
// 退回承办人 for the head, not for a handler; 退回 for the office's inspector, never for a unit),
// and the unit directory (issue 15: 分解 only on a task with a group that has members, 转办 only
// for a lead with units below it).
#include "model/task/allowed_actions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "model/account/account.h"
#include "model/task/task_actions.h"
#include "tests/model/task/task_fixture.h"

namespace duban::task::testing {
namespace {

using Actions = std::vector<std::string_view>;
using account::AccountId;
using account::Role;

Actor handler(const UnitId& u) {
  return Actor::unit_person(u, AccountId("zhang"), {Role::kHandler});
}
Actor head(const UnitId& u) {
  return Actor::unit_person(u, AccountId("wang"), {Role::kUnitHead});
}
Actor inspector() {
  return Actor::office_person(AccountId("li"), {Role::kInspector});
}
Actor leader() {
  return Actor::office_person(AccountId("zhao"), {Role::kLeader});
}

bool has(const Actions& a, std::string_view action) {
  return std::find(a.begin(), a.end(), action) != a.end();
}

class AllowedActionsTest : public TaskFixture {
 protected:
  // The facts service::decision_facts() looks up, from `directory` (a unit -> the units below it).
  DirectoryFacts facts_for(const Actor& actor) const {
    DirectoryFacts facts;
    auto below = [&](const UnitId& u) {
      auto it = directory.find(u);
      return it == directory.end() ? std::vector<UnitId>{} : it->second;
    };
    if (actor.kind == Actor::Kind::kUnit) facts.rules.below = below(actor.unit);
    std::vector<UnitId> assigned = state.leads;
    assigned.insert(assigned.end(), state.participants.begin(), state.participants.end());
    for (const UnitId& u : assigned) {
      if (!below(u).empty()) facts.groups.emplace_back(u, below(u));
    }
    return facts;
  }

  Actions of(const Actor& actor) { return allowed_actions(state, actor, now, facts_for(actor)); }

  // Lead A has a body below it; the other units have none.
  std::map<UnitId, std::vector<UnitId>> directory = {{kLeadA, {UnitId("A1")}}};

  // A handler of `unit` reports completion while the unit requires its head's sign-off.
  void submit_for_sign_off(const UnitId& unit) {
    auto submitted = decide(state, ReportCompletion{kTask, "done"}, handler(unit), now,
                            UnitRules{.sign_off_required = true, .below = {}});
    ASSERT_TRUE(submitted.ok()) << submitted.error().message;
    ASSERT_TRUE(std::holds_alternative<CompletionSubmitted>(submitted->front()));
    state = replay(state, *submitted);
  }
};

TEST_F(AllowedActionsTest, AnOpenTaskOffersEachActorItsOwnActions) {
  create();
  // Lead A has a body below it (the fixture's directory): the office may expand A into it, and A
  // may hand down to it (转办).
  EXPECT_EQ(of(supervisor()), (Actions{"reassign", "revise", "urge", "deadline", "cancel",
                                       "reporting-cycle", "expand"}));
  EXPECT_EQ(of(unit(kLeadA)), (Actions{"acknowledge", "progress", "request-extension",
                                       "report-completion", "delegate"}));
  const auto participant = of(unit(kPart));
  EXPECT_TRUE(has(participant, "acknowledge"));
  EXPECT_TRUE(has(participant, "progress"));
  EXPECT_TRUE(has(participant, "contribute"));
  EXPECT_FALSE(has(of(unit(kLeadA)), "contribute")) << "contributions are the participants'";
  EXPECT_FALSE(has(participant, "report-completion")) << "only leads report completion";
  EXPECT_FALSE(has(participant, "request-extension"));
  EXPECT_TRUE(of(unit(kStranger)).empty());
}

TEST_F(AllowedActionsTest, WithoutUnitsBelowInTheDirectoryNeitherExpandNorDelegateIsOffered) {
  directory.clear();
  create();
  EXPECT_FALSE(has(of(supervisor()), "expand")) << "no assigned unit is a group with members";
  EXPECT_FALSE(has(of(unit(kLeadA)), "delegate")) << "no body below the lead";
  EXPECT_TRUE(has(of(unit(kLeadA)), "report-completion"));
  // Without directory facts at all (the four-argument form) the same holds.
  EXPECT_FALSE(has(allowed_actions(state, supervisor(), now), "expand"));
  EXPECT_FALSE(has(allowed_actions(state, unit(kLeadA), now), "delegate"));
}

TEST_F(AllowedActionsTest, ExpandIsOfferedWhileAnAssignedGroupHasMembersWithoutAChildTask) {
  directory = {{kLeadB, {UnitId("B1"), UnitId("B2")}}, {kStranger, {UnitId("X1")}}};
  create();
  EXPECT_TRUE(has(of(supervisor()), "expand"));
  EXPECT_FALSE(has(of(unit(kLeadA)), "expand")) << "expanding is the office's";
  accept(ExpandTask{kTask, kLeadB, {UnitId("B1")}, std::nullopt, ""}, supervisor());
  EXPECT_TRUE(has(of(supervisor()), "expand")) << "B2 has no child task yet";
  accept(ExpandTask{kTask, kLeadB, {UnitId("B2")}, std::nullopt, ""}, supervisor());
  EXPECT_FALSE(has(of(supervisor()), "expand"))
      << "every member has its child; X's members do not count, X is not on the task";
}

TEST_F(AllowedActionsTest, DelegateIsOfferedToALeadWithBodiesBelowItOnly) {
  directory = {{kLeadA, {UnitId("A1")}}, {kPart, {UnitId("P1")}}};
  create();
  EXPECT_TRUE(has(of(unit(kLeadA)), "delegate"));
  EXPECT_FALSE(has(of(unit(kLeadB)), "delegate")) << "nothing below B";
  EXPECT_FALSE(has(of(unit(kPart)), "delegate")) << "转办 is a lead's";
  EXPECT_FALSE(has(of(supervisor()), "delegate"));
  auto rules = facts_for(unit(kLeadA)).rules;
  auto handed = decide(state, DelegateTask{kTask, {UnitId("A1")}, std::nullopt, ""}, unit(kLeadA),
                       now, rules);
  ASSERT_TRUE(handed.ok()) << handed.error().message;
  state = replay(state, *handed);
  EXPECT_FALSE(has(of(unit(kLeadA)), "delegate")) << "A1 has its child task already";
}

TEST_F(AllowedActionsTest, AReportedCompletionIsReviewedNotReportedAgain) {
  create(Mode::kLead, {kLeadA});
  accept(ReportCompletion{kTask, "done"}, unit(kLeadA));
  const auto office = of(supervisor());
  EXPECT_TRUE(has(office, "approve-completion"));
  EXPECT_TRUE(has(office, "return"));
  EXPECT_FALSE(has(of(unit(kLeadA)), "report-completion"));
}

TEST_F(AllowedActionsTest, AUnitHeadMaySignOffASubmittedCompletionAndAHandlerMayNot) {
  create(Mode::kLead, {kLeadA});
  submit_for_sign_off(kLeadA);
  const auto by_head = of(head(kLeadA));
  EXPECT_TRUE(has(by_head, "sign-off"));
  EXPECT_TRUE(has(by_head, "refuse-sign-off"));
  EXPECT_FALSE(has(by_head, "report-completion")) << "it was submitted already";
  const auto by_handler = of(handler(kLeadA));
  EXPECT_FALSE(has(by_handler, "sign-off"));
  EXPECT_FALSE(has(by_handler, "refuse-sign-off"));
  EXPECT_FALSE(has(by_handler, "report-completion"));
  EXPECT_TRUE(has(by_handler, "progress"));
  // Not reported yet: the office has nothing to review, and no other unit signs it off.
  EXPECT_FALSE(has(of(inspector()), "approve-completion"));
  EXPECT_FALSE(has(of(inspector()), "return"));
  EXPECT_FALSE(has(of(head(kPart)), "sign-off"));
}

TEST_F(AllowedActionsTest, NothingAwaitsSignOffUntilAHandlerSubmits) {
  create(Mode::kLead, {kLeadA});
  EXPECT_FALSE(has(of(head(kLeadA)), "sign-off"));
  EXPECT_FALSE(has(of(head(kLeadA)), "refuse-sign-off"));
  submit_for_sign_off(kLeadA);
  accept(SignOffCompletion{kTask, ""}, head(kLeadA));
  EXPECT_FALSE(has(of(head(kLeadA)), "sign-off")) << "signed off: now the office reviews it";
  EXPECT_TRUE(has(of(inspector()), "approve-completion"));
}

TEST_F(AllowedActionsTest, AnInspectorMayReturnAReportedCompletionButAUnitMayNot) {
  create(Mode::kLead, {kLeadA});
  accept(ReportCompletion{kTask, "done"}, head(kLeadA));
  EXPECT_TRUE(has(of(inspector()), "return"));
  EXPECT_TRUE(has(of(inspector()), "approve-completion"));
  EXPECT_FALSE(has(of(leader()), "return")) << "returning is the inspector's";
  for (const Actor& u : {head(kLeadA), handler(kLeadA), unit(kLeadA), head(kPart)}) {
    EXPECT_FALSE(has(of(u), "return")) << to_string(u);
    EXPECT_FALSE(has(of(u), "approve-completion")) << to_string(u);
  }
}

TEST_F(AllowedActionsTest, EveryActionOfTheApiTableIsOfferedToSomeoneSometime) {
  // Each action's sample is a command for this task; a table entry nobody can ever be offered
  // would be a button the page can never show.
  std::set<std::string_view> offered;
  auto collect = [&] {
    for (const Actor& a :
         {supervisor(), unit(kLeadA), head(kLeadA), handler(kLeadA), unit(kPart)}) {
      for (auto action : of(a)) offered.insert(action);
    }
  };
  create(Mode::kLead, {kLeadA});
  collect();
  accept(RequestExtension{kTask, "2026-01-31", "more time"}, unit(kLeadA));
  collect();
  submit_for_sign_off(kLeadA);
  collect();
  accept(SignOffCompletion{kTask, ""}, head(kLeadA));
  collect();
  accept(ApproveCompletion{kTask, std::nullopt}, supervisor());
  collect();
  for (const TaskAction& action : task_actions()) {
    EXPECT_EQ(task_of(action.sample(state)), kTask) << action.name;
    EXPECT_TRUE(offered.count(action.name)) << action.name << " was never offered";
  }
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
