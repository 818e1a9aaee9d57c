// Covers authorisation by roles over HTTP (issue 14), against the real server on 127.0.0.1 and a
// real SQLite log, people signed in with the session cookie: with the unit's sign-off rule on, a
// handler's completion (承办人) is held until the unit head (负责人) signs it off through
// POST …/sign-off, and the supervisor cannot approve it before; a handler cannot sign off; a head
// can refuse; an inspector (督查员) cannot cancel where a leader (领导) can; a machine's unit
// token keeps its powers (its completion goes straight through); commands are recorded with the
// person in the envelope, and the task's history JSON names them; an inspector sets a unit's
// sign-off rule over HTTP (POST /api/v1/units/{unit}/sign-off), a unit cannot.
#include <gtest/gtest.h>

#include "service/password.h"
#include "service/unit_rules.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

class RolesHttpTest : public ServerTest {
 protected:
  HttpResponse post(const std::string& who, const std::string& task, const std::string& action,
                    const std::string& fields = "") {
    auto c = http();
    const auto version = c.get(task_path(task), supervisor).json().at("version").as_int64();
    const std::string b = R"({"command_id":")" + action + "-" + std::to_string(++ids_) +
                          R"(","expected_version":)" + std::to_string(version) +
                          (fields.empty() ? "" : "," + fields) + "}";
    return c.request("POST", task_path(task, action), b, {}, "application/json", {{"Cookie", who}});
  }

  std::string status_of(const std::string& task) {
    auto c = http();
    return str(c.get(task_path(task), supervisor).json().at("status"));
  }

  void require_sign_off(const std::string& unit) {
    auto set = service::set_unit_sign_off(*store, UnitId(unit), true, task::Actor::supervisor(),
                                          CommandId("rule:" + unit), clock.now());
    ASSERT_TRUE(set.ok()) << set.error().message;
  }

  int ids_ = 0;
};

TEST_F(RolesHttpTest, AHandlersCompletionWaitsForTheHeadsSignOffWhenTheUnitRequiresIt) {
  create_task("T-1", {"fgw"});
  require_sign_off("fgw");
  create_person("zhang", "fgw", {account::Role::kHandler});
  create_person("wang", "fgw", {account::Role::kUnitHead});
  create_person("li", "", {account::Role::kInspector});
  const std::string handler = sign_in_cookie("zhang");
  const std::string head = sign_in_cookie("wang");
  const std::string inspector = sign_in_cookie("li");

  auto reported = post(handler, "T-1", "report-completion", R"("summary":"已完成")");
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(str(reported.json().at("events").as_array().at(0)), "CompletionSubmitted");
  EXPECT_EQ(status_of("T-1"), "in_progress");

  auto early = post(inspector, "T-1", "approve-completion");
  EXPECT_EQ(early.status, 409) << early.body;
  auto by_handler = post(handler, "T-1", "sign-off");
  EXPECT_EQ(by_handler.status, 403) << by_handler.body;
  EXPECT_NE(str(by_handler.json().at("message")).find("unit_head"), std::string::npos);

  auto signed_off = post(head, "T-1", "sign-off", R"("note":"同意上报")");
  ASSERT_EQ(signed_off.status, 200) << signed_off.body;
  const auto types = signed_off.json().at("events").as_array();
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(str(types.at(0)), "CompletionSignedOff");
  EXPECT_EQ(str(types.at(1)), "CompletionReported");
  EXPECT_EQ(status_of("T-1"), "completion_reported");

  auto approved = post(inspector, "T-1", "approve-completion");
  EXPECT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(status_of("T-1"), "closed");

  // The history names who did what.
  auto c = http();
  const auto history = c.get(task_path("T-1"), supervisor).json().at("history").as_array();
  bool saw_handler = false, saw_head = false;
  for (const auto& e : history) {
    const auto& o = e.as_object();
    if (str(o.at("event_type")) == "CompletionSubmitted") {
      saw_handler = true;
      EXPECT_EQ(str(o.at("actor")), "unit:fgw/person:zhang");
      EXPECT_EQ(str(o.at("person_name")), "Name of zhang");
    }
    if (str(o.at("event_type")) == "CompletionSignedOff") {
      saw_head = true;
      EXPECT_EQ(str(o.at("person")), "wang");
    }
    if (str(o.at("event_type")) == "TaskCreated") {
      EXPECT_TRUE(o.at("person").is_null());
    }
  }
  EXPECT_TRUE(saw_handler && saw_head);
}

TEST_F(RolesHttpTest, AHeadRefusesASubmittedCompletionAndAMachineTokenNeedsNoSignOff) {
  create_task("T-1", {"fgw"});
  create_task("T-2", {"fgw"});
  require_sign_off("fgw");
  create_person("zhang", "fgw", {account::Role::kHandler});
  create_person("wang", "fgw", {account::Role::kUnitHead});
  const std::string handler = sign_in_cookie("zhang");
  const std::string head = sign_in_cookie("wang");
  ASSERT_EQ(post(handler, "T-1", "report-completion", R"("summary":"done")").status, 200);
  EXPECT_EQ(post(head, "T-1", "refuse-sign-off", "").status, 400);  // a reason is required
  auto refused = post(head, "T-1", "refuse-sign-off", R"("reason":"请补充材料")");
  ASSERT_EQ(refused.status, 200) << refused.body;
  EXPECT_EQ(str(refused.json().at("events").as_array().at(0)), "SignOffRefused");
  EXPECT_EQ(status_of("T-1"), "in_progress");

  // A machine (a unit token without an account) holds every unit role: straight through.
  auto c = http();
  auto machine = c.post(
      task_path("T-2", "report-completion"),
      R"({"command_id":"m-1","expected_version":)" +
          std::to_string(c.get(task_path("T-2"), supervisor).json().at("version").as_int64()) +
          R"(,"summary":"done"})",
      unit_token("fgw"));
  ASSERT_EQ(machine.status, 200) << machine.body;
  EXPECT_EQ(str(machine.json().at("events").as_array().at(0)), "CompletionReported");
  EXPECT_EQ(status_of("T-2"), "completion_reported");
}

TEST_F(RolesHttpTest, AnInspectorCannotCancelOrReopenButALeaderCan) {
  create_task("T-1", {"fgw"});
  create_person("li", "", {account::Role::kInspector});
  create_person("zhao", "", {account::Role::kLeader});
  const std::string inspector = sign_in_cookie("li");
  const std::string leader = sign_in_cookie("zhao");
  auto by_inspector = post(inspector, "T-1", "cancel", R"("reason":"撤销")");
  EXPECT_EQ(by_inspector.status, 403) << by_inspector.body;
  EXPECT_NE(str(by_inspector.json().at("message")).find("leader (领导)"), std::string::npos);
  auto urge_by_leader = post(leader, "T-1", "urge", R"("note":"加快")");
  EXPECT_EQ(urge_by_leader.status, 403) << urge_by_leader.body;
  auto by_leader = post(leader, "T-1", "cancel", R"("reason":"撤销")");
  EXPECT_EQ(by_leader.status, 200) << by_leader.body;
  EXPECT_EQ(status_of("T-1"), "cancelled");

  auto stream = store->read_stream("task/T-1");
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(stream->back().actor, "supervisor/person:zhao");
  EXPECT_EQ(stream->back().command_id.str().rfind("client:account:zhao:", 0), 0u);
}

TEST_F(RolesHttpTest, AnInspectorTurnsAUnitsSignOffRuleOnOverHttpAndAUnitMayNot) {
  create_task("T-1", {"fgw"});
  create_person("li", "", {account::Role::kInspector});
  create_person("zhang", "fgw", {account::Role::kHandler});
  create_person("wang", "fgw", {account::Role::kUnitHead});
  const std::string inspector = sign_in_cookie("li");
  const std::string handler = sign_in_cookie("zhang");
  auto c = http();
  auto rule = [&](const std::string& who, const std::string& body) {
    return c.request("POST", "/api/v1/units/fgw/sign-off", body, {}, "application/json",
                     {{"Cookie", who}});
  };
  EXPECT_EQ(rule(sign_in_cookie("wang"), R"({"required":true})").status, 403);
  EXPECT_EQ(rule(inspector, R"({"required":"yes"})").status, 400);
  auto set = rule(inspector, R"({"required":true,"command_id":"rule-1"})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_FALSE(set.json().at("duplicate").as_bool());
  auto stream = store->read_stream("unit-policy/fgw");
  ASSERT_TRUE(stream.ok());
  ASSERT_EQ(stream->size(), 1u);
  EXPECT_EQ(stream->back().type, "UnitSignOffRequired");
  EXPECT_EQ(stream->back().actor, "supervisor/person:li");
  auto shown = c.request("GET", "/api/v1/units/fgw/sign-off", {}, {}, {}, {{"Cookie", handler}});
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_TRUE(shown.json().at("required").as_bool());
  EXPECT_EQ(c.get("/api/v1/units/no-such-unit/sign-off", supervisor).status, 404);

  auto reported = post(handler, "T-1", "report-completion", R"("summary":"已完成")");
  ASSERT_EQ(reported.status, 200) << reported.body;
  EXPECT_EQ(str(reported.json().at("events").as_array().at(0)), "CompletionSubmitted");
}

TEST_F(RolesHttpTest, WhoamiShowsTheSignedInPersonAndRoles) {
  create_person("wang", "fgw", {account::Role::kUnitHead});
  auto c = http();
  auto who = c.request("GET", "/api/v1/whoami", {}, {}, "application/json",
                       {{"Cookie", sign_in_cookie("wang")}});
  ASSERT_EQ(who.status, 200) << who.body;
  EXPECT_EQ(str(who.json().at("account")), "wang");
  EXPECT_EQ(str(who.json().at("roles").as_array().at(0)), "unit_head");
}

}  // namespace
}  // namespace duban::server::testing
