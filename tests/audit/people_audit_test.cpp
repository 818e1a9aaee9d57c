// Covers what the audit says about people (issue 14), on a real SQLite file and the real
// `duban` binary: a log mixing old unit-level actors ("supervisor", "unit:fgw") with new
// person actors ("unit:fgw/person:zhang.san") verifies (`duban audit verify`), `duban audit
// history` names the person by display name, and its JSON carries the login and the name; the
// unit's sign-off rule set by `duban account sign-off` is read by TaskService, so a handler's
// completion waits for the head's sign-off before the task counts as reported.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "audit/task_history.h"
#include "model/account/account.h"
#include "service/account_service.h"
#include "service/unit_rules.h"
#include "tests/service/service_fixture.h"
#include "tests/support/run_command.h"

namespace duban::audit::testing {
namespace {

using duban::testing::run_command;
using service::testing::create;
using service::testing::unit;
using service::testing::utc;

using duban::testing::contains;

class PeopleAudit : public service::testing::ServiceTest {
 protected:
  // A person's actor, as the server builds it from their account.
  task::Actor person(const std::string& login, const std::string& name, const std::string& unit_id,
                     std::vector<account::Role> roles) {
    service::AccountService accounts(*store, clock);
    auto done = accounts.execute(
        account::CreateAccount{account::AccountId(login), name, UnitId(unit_id), roles,
                               "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaA"},
        task::Actor::supervisor(), CommandId("create:" + login));
    EXPECT_TRUE(done.ok()) << done.error().message;
    EXPECT_TRUE(accounts.refresh().ok());
    auto state = accounts.account(account::AccountId(login));
    EXPECT_TRUE(state.has_value());
    return state ? account::actor_for(*state) : task::Actor::system();
  }
};

TEST_F(PeopleAudit, OldAndNewActorsVerifyAndTheHistoryNamesThePerson) {
  accept(create("T1", {"fgw"}, {}, std::string("2016-06-30")), task::Actor::supervisor());
  accept(task::AcknowledgeTask{TaskId("T1")}, unit("fgw"));  // an old-style unit actor
  const task::Actor zhang = person("zhang.san", "张三", "fgw", {account::Role::kHandler});
  const task::Actor li = person("li.si", "李四", "", {account::Role::kInspector});
  accept(task::ReportCompletion{TaskId("T1"), "已完成"}, zhang);
  accept(task::ReturnTask{TaskId("T1"), std::nullopt, "材料不全"}, li);

  auto history = task_history(*store, TaskId("T1"), [](const UnitId& u) { return u.str(); });
  ASSERT_TRUE(history.ok()) << history.error().message;
  const auto& entries = history->entries;
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[2].actor, "unit:fgw");
  EXPECT_TRUE(entries[2].person.empty());
  EXPECT_EQ(entries[3].actor, "unit:fgw/person:zhang.san");
  EXPECT_EQ(entries[3].person_name, "张三");
  EXPECT_EQ(actor_label(entries[4]), "李四 (supervisor/person:li.si)");

  auto verify = run_command(DUBAN_BINARY, {"audit", "verify", "--db", path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  auto table = run_command(DUBAN_BINARY, {"audit", "history", "T1", "--db", path()});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(contains(table.out, "张三")) << table.out;
  EXPECT_TRUE(contains(table.out, "李四 (supervisor)")) << table.out;

  auto json =
      run_command(DUBAN_BINARY, {"audit", "history", "T1", "--db", path(), "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto events = boost::json::parse(json.out).at("events").as_array();
  EXPECT_TRUE(events.at(2).at("person").is_null());
  EXPECT_EQ(events.at(3).at("person").as_string(), "zhang.san");
  EXPECT_EQ(events.at(3).at("person_name").as_string(), "张三");
}

TEST_F(PeopleAudit, ARuleSetByTheCliMakesAHandlersCompletionWaitForTheHead) {
  accept(create("T1", {"fgw"}, {}, std::string("2016-06-30")), task::Actor::supervisor());
  auto set = run_command(
      DUBAN_BINARY, {"account", "sign-off", "--unit", "fgw", "--required", "yes", "--db", path()});
  ASSERT_EQ(set.exit_code, 0) << set.out << set.err;
  auto rules = service::unit_rules(*store, UnitId("fgw"));
  ASSERT_TRUE(rules.ok());
  EXPECT_TRUE(rules->sign_off_required);

  const task::Actor zhang = person("zhang.san", "张三", "fgw", {account::Role::kHandler});
  const task::Actor wang = person("wang.wu", "王五", "fgw", {account::Role::kUnitHead});
  auto submitted = accept(task::ReportCompletion{TaskId("T1"), "已完成"}, zhang);
  ASSERT_EQ(submitted.events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<task::CompletionSubmitted>(submitted.events[0]));
  EXPECT_EQ(model.task(TaskId("T1"))->status, task::Status::kInProgress);
  auto early = run(task::ApproveCompletion{TaskId("T1"), std::nullopt}, task::Actor::supervisor());
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, "illegal_transition");

  accept(task::SignOffCompletion{TaskId("T1"), "同意"}, wang);
  EXPECT_EQ(model.task(TaskId("T1"))->status, task::Status::kCompletionReported);
  accept(task::ApproveCompletion{TaskId("T1"), std::nullopt}, task::Actor::supervisor());
  EXPECT_EQ(model.task(TaskId("T1"))->status, task::Status::kClosed);

  auto verify = run_command(DUBAN_BINARY, {"audit", "verify", "--db", path()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  auto off = run_command(
      DUBAN_BINARY, {"account", "sign-off", "--unit", "fgw", "--required", "no", "--db", path()});
  EXPECT_EQ(off.exit_code, 0) << off.err;
  rules = service::unit_rules(*store, UnitId("fgw"));
  ASSERT_TRUE(rules.ok());
  EXPECT_FALSE(rules->sign_off_required);
}

}  // namespace
}  // namespace duban::audit::testing
