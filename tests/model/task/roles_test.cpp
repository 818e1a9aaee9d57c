// Covers authorisation by a person's roles (issue 14): the actor's envelope text and its parser
// (old unit-level forms keep reading), which role each command needs (handler 承办人, unit head
// 负责人, inspector 督查员, leader 领导), the unit head's sign-off of a handler's completion when
// the unit requires it (CompletionSubmitted → CompletionSignedOff + CompletionReported, or
// SignOffRefused), and that machines (actors without a person) keep every power of their kind.
#include <gtest/gtest.h>

#include "model/account/account.h"
#include "model/task/error_codes.h"
#include "task_fixture.h"

namespace duban::task::testing {
namespace {

using account::AccountId;
using account::Role;

Actor handler(const UnitId& u, const char* login = "zhang") {
  return Actor::unit_person(u, AccountId(login), {Role::kHandler});
}
Actor head(const UnitId& u, const char* login = "wang") {
  return Actor::unit_person(u, AccountId(login), {Role::kUnitHead});
}
Actor inspector() {
  return Actor::office_person(AccountId("li"), {Role::kInspector});
}
Actor leader() {
  return Actor::office_person(AccountId("zhao"), {Role::kLeader});
}

bool mentions(const Error& e, std::string_view text) {
  return e.message.find(text) != std::string::npos;
}

class Roles : public TaskFixture {
 protected:
  // As TaskFixture::accept, with the acting unit's rules.
  std::vector<Event> accept_with(const Command& command, const Actor& actor, UnitRules rules) {
    auto result = decide(state, command, actor, now, rules);
    if (!result.ok()) {
      ADD_FAILURE() << command_name(command) << " refused: " << result.error().message;
      return {};
    }
    state = replay(state, *result);
    return *result;
  }
  static inline const UnitRules kSignOff{true, {}};
};

TEST(ActorText, OldFormsReadBackAsMachinesAndNewFormsNameThePerson) {
  for (const char* text : {"supervisor", "system", "unit:fgw"}) {
    auto a = parse_actor(text);
    ASSERT_TRUE(a) << text;
    EXPECT_FALSE(a->is_person()) << text;
    EXPECT_EQ(to_string(*a), text);
  }
  auto sim = parse_actor("simulation:unit:fgw");
  ASSERT_TRUE(sim);
  EXPECT_EQ(*sim, Actor::of_unit(UnitId("fgw")));

  const Actor person = handler(UnitId("fgw"), "zhang.san");
  EXPECT_EQ(to_string(person), "unit:fgw/person:zhang.san");
  auto back = parse_actor("unit:fgw/person:zhang.san");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->kind, Actor::Kind::kUnit);
  EXPECT_EQ(back->unit, UnitId("fgw"));
  EXPECT_EQ(back->person, AccountId("zhang.san"));
  EXPECT_EQ(to_string(inspector()), "supervisor/person:li");
  EXPECT_EQ(person_of("supervisor/person:li"), "li");
  EXPECT_EQ(person_of("unit:fgw"), "");

  for (const char* bad : {"", "office", "unit:", "system/person:x", "unit:fgw/person:"}) {
    EXPECT_FALSE(parse_actor(bad)) << bad;
  }
}

TEST(ActorRoles, MachinesHoldEveryRoleOfTheirKindAndPeopleOnlyTheirs) {
  EXPECT_TRUE(Actor::supervisor().may(Role::kInspector));
  EXPECT_TRUE(Actor::supervisor().may(Role::kLeader));
  EXPECT_FALSE(Actor::supervisor().may(Role::kHandler));
  EXPECT_TRUE(unit(kLeadA).may(Role::kUnitHead));
  EXPECT_FALSE(unit(kLeadA).may(Role::kInspector));
  EXPECT_FALSE(Actor::system().may(Role::kInspector));
  EXPECT_TRUE(head(kLeadA).may(Role::kHandler));  // a head does what a handler does
  EXPECT_FALSE(handler(kLeadA).may(Role::kUnitHead));
  EXPECT_FALSE(inspector().may(Role::kLeader));
}

TEST(ActorRoles, AnAccountActsForItsUnitOrTheOfficeWithItsRoles) {
  account::AccountState a;
  a.id = AccountId("zhang");
  a.unit = UnitId("fgw");
  a.roles = {Role::kHandler};
  EXPECT_EQ(account::actor_for(a), handler(UnitId("fgw")));
  a.unit = UnitId();
  a.id = AccountId("li");
  a.roles = {Role::kInspector};
  EXPECT_EQ(account::actor_for(a), inspector());
}

TEST_F(Roles, AHandlerCannotApproveOrSignOff) {
  create(Mode::kLead, {kLeadA});
  accept(ReportCompletion{kTask, "done"}, handler(kLeadA));
  Error approve = refuse(ApproveCompletion{kTask, {}}, handler(kLeadA));
  EXPECT_EQ(approve.code, errc::kForbidden);
  EXPECT_TRUE(mentions(approve, "inspector (督查员)")) << approve.message;
  accept(ReturnTask{kTask, {}, "redo"}, inspector());
  accept_with(ReportCompletion{kTask, "done"}, handler(kLeadA), kSignOff);
  Error sign = refuse(SignOffCompletion{kTask, ""}, handler(kLeadA));
  EXPECT_EQ(sign.code, errc::kForbidden);
  EXPECT_TRUE(mentions(sign, "unit_head (负责人)")) << sign.message;
}

TEST_F(Roles, WithSignOffRequiredAHandlersCompletionReachesTheSupervisorOnlyOnceSignedOff) {
  create(Mode::kLead, {kLeadA});
  auto submitted = accept_with(ReportCompletion{kTask, "平台已上线"}, handler(kLeadA), kSignOff);
  EXPECT_EQ(only<CompletionSubmitted>(submitted).summary, "平台已上线");
  EXPECT_EQ(state.status, Status::kInProgress);  // not completion_reported: the office waits
  EXPECT_EQ(state.parts.at(0).status, PartStatus::kAwaitingSignOff);

  EXPECT_EQ(refuse(ApproveCompletion{kTask, {}}, inspector()).code, errc::kIllegalTransition);
  EXPECT_EQ(refuse(ReportCompletion{kTask, "again"}, handler(kLeadA)).code,
            errc::kIllegalTransition);

  auto signed_off = accept(SignOffCompletion{kTask, "同意上报"}, head(kLeadA));
  ASSERT_EQ(signed_off.size(), 2u);
  EXPECT_EQ(std::get<CompletionSignedOff>(signed_off[0]).note, "同意上报");
  EXPECT_EQ(std::get<CompletionReported>(signed_off[1]).summary, "平台已上线");
  EXPECT_EQ(state.status, Status::kCompletionReported);

  accept(ApproveCompletion{kTask, {}}, inspector());
  EXPECT_EQ(state.status, Status::kClosed);
}

TEST_F(Roles, AHeadsRefusalOpensThePartAgainForTheHandler) {
  create(Mode::kLead, {kLeadA});
  accept_with(ReportCompletion{kTask, "done"}, handler(kLeadA), kSignOff);
  EXPECT_EQ(refuse(RefuseSignOff{kTask, ""}, head(kLeadA)).code, errc::kInvalidCommand);
  auto refused = accept(RefuseSignOff{kTask, "请补充材料"}, head(kLeadA));
  EXPECT_EQ(only<SignOffRefused>(refused).reason, "请补充材料");
  EXPECT_EQ(state.parts.at(0).status, PartStatus::kOpen);
  EXPECT_EQ(refuse(SignOffCompletion{kTask, ""}, head(kLeadA)).code, errc::kIllegalTransition);
  accept_with(ReportCompletion{kTask, "补充后"}, handler(kLeadA), kSignOff);
  EXPECT_EQ(state.parts.at(0).status, PartStatus::kAwaitingSignOff);
}

TEST_F(Roles, AHeadsOwnReportAndAMachinesGoStraightToTheSupervisor) {
  create(Mode::kSeparately, {kLeadA, kLeadB});
  only<CompletionReported>(accept_with(ReportCompletion{kTask, "A"}, head(kLeadA), kSignOff));
  only<CompletionReported>(accept_with(ReportCompletion{kTask, "B"}, unit(kLeadB), kSignOff));
  EXPECT_EQ(state.status, Status::kCompletionReported);
}

TEST_F(Roles, WithoutTheRuleAHandlersCompletionIsReportedAtOnce) {
  create(Mode::kLead, {kLeadA});
  only<CompletionReported>(accept(ReportCompletion{kTask, "done"}, handler(kLeadA)));
  EXPECT_EQ(state.status, Status::kCompletionReported);
}

TEST_F(Roles, AnInspectorReturnsButNoUnitPersonOrMachineCan) {
  create(Mode::kLead, {kLeadA});
  accept(ReportCompletion{kTask, "done"}, handler(kLeadA));
  for (const Actor& a : {handler(kLeadA), head(kLeadA), unit(kLeadA)}) {
    EXPECT_EQ(refuse(ReturnTask{kTask, {}, "redo"}, a).code, errc::kForbidden) << to_string(a);
  }
  Error by_leader = refuse(ReturnTask{kTask, {}, "redo"}, leader());
  EXPECT_TRUE(mentions(by_leader, "inspector")) << by_leader.message;
  only<TaskReturned>(accept(ReturnTask{kTask, {}, "redo"}, inspector()));
}

TEST_F(Roles, OnlyALeaderCancelsOrReopensAmongPeople) {
  close_task();
  Error reopen = refuse(ReopenTask{kTask, "again"}, inspector());
  EXPECT_EQ(reopen.code, errc::kForbidden);
  EXPECT_TRUE(mentions(reopen, "leader (领导)")) << reopen.message;
  accept(ReopenTask{kTask, "again"}, leader());
  Error cancel = refuse(CancelTask{kTask, "withdrawn", {}}, inspector());
  EXPECT_EQ(cancel.code, errc::kForbidden);
  EXPECT_TRUE(mentions(cancel, "leader (领导)")) << cancel.message;
  // A document version does not let an inspector cancel either (ingest runs as the machine).
  EXPECT_EQ(refuse(CancelTask{kTask, "withdrawn", 2}, inspector()).code, errc::kForbidden);
  accept(CancelTask{kTask, "withdrawn", {}}, leader());
  EXPECT_EQ(state.status, Status::kCancelled);
}

TEST_F(Roles, OfficePeopleDoNotActForUnitsNorUnitPeopleForOtherUnits) {
  create(Mode::kLead, {kLeadA});
  EXPECT_EQ(refuse(AcknowledgeTask{kTask}, inspector()).code, errc::kForbidden);
  EXPECT_EQ(refuse(AcknowledgeTask{kTask}, handler(kStranger)).code, errc::kForbidden);
  only<TaskAcknowledged>(accept(AcknowledgeTask{kTask}, handler(kLeadA)));
  only<TaskUrged>(accept(UrgeTask{kTask, {}, "hurry"}, inspector()));
  EXPECT_EQ(refuse(UrgeTask{kTask, {}, "hurry"}, leader()).code, errc::kForbidden);
}

TEST(SignOffRule, OnlyTheOfficesInspectorSetsItAndOnlyAChangeIsRecorded) {
  const Timestamp now = utc(2025, 1, 1);
  auto set = decide_sign_off_rule(false, kLeadA, true, inspector(), now);
  ASSERT_TRUE(set.ok());
  ASSERT_EQ(set->size(), 1u);
  EXPECT_EQ(set->front(), (account::UnitSignOffRequired{kLeadA, true, now}));
  auto same = decide_sign_off_rule(true, kLeadA, true, Actor::supervisor(), now);
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->empty());
  EXPECT_EQ(decide_sign_off_rule(false, kLeadA, true, head(kLeadA), now).error().code,
            errc::kForbidden);
  EXPECT_EQ(decide_sign_off_rule(false, kLeadA, true, leader(), now).error().code,
            errc::kForbidden);
}

}  // namespace
}  // namespace duban::task::testing
