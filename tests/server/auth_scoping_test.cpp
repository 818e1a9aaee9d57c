// What a unit token may read and do over HTTP: its own inbox, the tasks it is or was assigned to,
// its own scorecard and overdue tasks; commands only on tasks assigned to it and only where the
// lifecycle lets it. Unit A can neither read nor act on unit B's tasks, and a refused command
// appends nothing. The supervisor reads and acts on everything.
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class AuthScopingTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    create_task("A-task", {"fgw"}, {}, "2016-01-10", "doc-1");
    create_task("B-task", {"finance"}, {}, "2016-01-10", "doc-1");
    a = unit_token("fgw");
    b = unit_token("finance");
  }
  std::string a, b;
};

TEST_F(AuthScopingTest, AUnitReadsOnlyItsOwnInbox) {
  auto c = http();
  EXPECT_EQ(c.get("/api/v1/units/fgw/inbox", a).status, 200);
  auto other = c.get("/api/v1/units/finance/inbox", a);
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(str(other.json().at("error")), "forbidden");
  EXPECT_EQ(c.get("/api/v1/units/finance/inbox", supervisor).status, 200);
}

TEST_F(AuthScopingTest, AUnitReadsOnlyTasksItIsOrWasAssignedTo) {
  auto c = http();
  EXPECT_EQ(c.get(task_path("A-task"), a).status, 200);
  EXPECT_EQ(c.get(task_path("B-task"), a).status, 403);
  EXPECT_EQ(c.get(task_path("B-task"), supervisor).status, 200);
  // Dropped from A-task by a reassignment, fgw still reads the history it took part in.
  run(
      task::ReassignTask{
          TaskId("A-task"), {UnitId("commerce")}, {}, std::nullopt, "moved", std::nullopt},
      task::Actor::supervisor());
  EXPECT_EQ(c.get(task_path("A-task"), a).status, 200);
  EXPECT_TRUE(c.get("/api/v1/units/fgw/inbox", a).json().at("lead").as_array().empty());
}

TEST_F(AuthScopingTest, AUnitCannotActOnAnotherUnitsTask) {
  auto c = http();
  const auto before = head();
  auto r =
      c.post(task_path("B-task", "acknowledge"), R"({"command_id":"x","expected_version":2})", a);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(str(r.json().at("error")), "forbidden");
  auto done = c.post(task_path("B-task", "report-completion"),
                     R"({"command_id":"y","expected_version":2,"summary":"mine now"})", a);
  EXPECT_EQ(done.status, 403);
  EXPECT_EQ(head(), before);
  // Its own task: allowed where the lifecycle allows, refused where it does not.
  EXPECT_EQ(
      c.post(task_path("A-task", "acknowledge"), R"({"command_id":"z","expected_version":2})", a)
          .status,
      200);
  auto urge = c.post(task_path("A-task", "urge"), R"({"command_id":"u","expected_version":3})", a);
  EXPECT_EQ(urge.status, 403);  // urging is the supervisor's
  auto create = c.post("/api/v1/tasks", R"({"command_id":"c","expected_version":0,"task":"N",
      "provenance":{"document":"d"},"leads":["fgw"]})",
                       a);
  EXPECT_EQ(create.status, 403);
}

TEST_F(AuthScopingTest, ListsShowAUnitOnlyItsOwnRows) {
  clock.advance_to(utc(2016, 2, 1));
  auto c = http();
  auto overdue = c.get("/api/v1/overdue", a).json().at("overdue").as_array();
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(str(overdue[0].at("task")), "A-task");
  EXPECT_EQ(c.get("/api/v1/overdue", supervisor).json().at("overdue").as_array().size(), 2u);
  auto cards = c.get("/api/v1/scorecards", a).json().at("scorecards").as_array();
  ASSERT_EQ(cards.size(), 1u);
  EXPECT_EQ(str(cards[0].at("unit")), "fgw");
  auto doc = c.get("/api/v1/documents/doc-1", a).json();
  ASSERT_EQ(doc.at("task_list").as_array().size(), 1u);
  EXPECT_EQ(str(doc.at("task_list").as_array()[0].at("task")), "A-task");
}

}  // namespace
}  // namespace duban::server::testing
