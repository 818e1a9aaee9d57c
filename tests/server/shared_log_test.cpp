// A server whose log is also written by someone else: a second store object, read model and
// TaskService on the same SQLite file stand for another node (or a `duban ingest` next to the
// server). Whatever the other writer acknowledged, this server must answer as if it had seen it:
// queries reflect it (the read model catches up with the store's head first), a unit newly
// assigned there may act here at once (the assignment check looks at the store before
// refusing), a task's state always matches the history in the same answer, a unit may follow a
// task it was assigned to a moment ago, and a pushed event is already in the answer to a query
// made right after it arrived (the read model catches up before the push publishes). The same
// holds across PostgreSQL nodes; tests/server/two_nodes_test.cpp runs real processes on one.
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class SharedLogTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    auto opened = storage::SqliteEventStore::open({.path = dir.file("events.db")}, clock);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    other_store = std::move(*opened);
    other = std::make_unique<storage::TaskService>(*other_store, other_model, clock);
  }
  void TearDown() override {
    ServerTest::TearDown();
    other.reset();
    other_store.reset();
  }

  // Runs a command on the other writer; its outcome.
  storage::CommandOutcome elsewhere(const task::Command& command, const task::Actor& actor) {
    auto done =
        other->execute(command, actor, CommandId("other:" + std::to_string(++other_commands)));
    EXPECT_TRUE(done.ok()) << done.error().code << ": " << done.error().message;
    return done.ok() ? *done : storage::CommandOutcome{};
  }

  static task::ReassignTask reassign(const std::string& task, const std::string& lead) {
    task::ReassignTask r;
    r.task = TaskId(task);
    r.leads = {UnitId(lead)};
    r.reason = "moved";
    return r;
  }

  std::unique_ptr<storage::SqliteEventStore> other_store;
  storage::projections::ReadModel other_model;
  std::unique_ptr<storage::TaskService> other;
  int other_commands = 0;
};

TEST_F(SharedLogTest, QueriesReflectWhatAnotherWriterAcknowledgedJustBefore) {
  create_task("T-1", {"fgw"}, {}, std::string("2015-12-31"));  // overdue at the test's clock
  const std::string fgw = unit_token("fgw");
  auto c = http();
  ASSERT_EQ(c.get("/api/v1/units/fgw/inbox", fgw).json().at("lead").as_array().size(), 1u);

  // Elsewhere: T-2 created, T-1 moved to swt. The server's dispatcher polls only every 100 ms;
  // the answers right after must show both anyway.
  task::CreateTask t2;
  t2.task = TaskId("T-2");
  t2.provenance =
      task::Provenance{DocumentId("青政办〔2015〕151号"), 1,  "正文", "T-2", "建立共享机制",
                       "建立共享机制。（省商务厅牵头）",  12, 13};
  t2.leads.emplace_back("fgw");
  elsewhere(t2, task::Actor::supervisor());
  elsewhere(reassign("T-1", "swt"), task::Actor::supervisor());

  auto inbox = c.get("/api/v1/units/fgw/inbox", fgw).json();
  ASSERT_EQ(inbox.at("lead").as_array().size(), 1u) << inbox;
  EXPECT_EQ(inbox.at("lead").as_array()[0].at("task").as_string(), "T-2");
  auto overdue = c.get("/api/v1/overdue", supervisor).json().at("overdue").as_array();
  ASSERT_EQ(overdue.size(), 1u);
  EXPECT_EQ(overdue[0].at("leads").as_array()[0].as_string(), "swt");
  auto documents = c.get("/api/v1/documents", supervisor).json().at("documents").as_array();
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].at("tasks").as_int64(), 2) << documents[0];
}

TEST_F(SharedLogTest, ATaskAnswerShowsTheStateOfTheHistoryInTheSameAnswer) {
  create_task("T-1", {"fgw"});
  auto before = http().get(task_path("T-1"), supervisor).json();
  ASSERT_EQ(before.at("version").as_int64(), 2);
  elsewhere(task::AcknowledgeTask{TaskId("T-1")}, task::Actor::of_unit(UnitId("fgw")));
  elsewhere(task::ReportProgress{TaskId("T-1"), "half", 50}, task::Actor::of_unit(UnitId("fgw")));

  auto after = http().get(task_path("T-1"), supervisor).json();
  EXPECT_EQ(after.at("version").as_int64(), 4) << after;
  EXPECT_EQ(after.at("history").as_array().size(), 4u);
  EXPECT_EQ(after.at("status").as_string(), "in_progress") << after;
}

TEST_F(SharedLogTest, AUnitAssignedElsewhereAMomentAgoMayActHereAtOnce) {
  create_task("T-1", {"fgw"});
  const std::string swt = unit_token("swt");
  auto c = http();
  // The server's read model knows T-1 (its own command), with fgw as the lead.
  ASSERT_EQ(c.get(task_path("T-1"), supervisor).status, 200);
  const auto moved = elsewhere(reassign("T-1", "swt"), task::Actor::supervisor());

  auto ack = c.post(task_path("T-1", "acknowledge"),
                    R"({"command_id":"swt-ack","expected_version":)" +
                        std::to_string(moved.version.value()) + "}",
                    swt);
  EXPECT_EQ(ack.status, 200) << ack.body;
  // The unit that lost the task is refused, with the domain's answer.
  auto old = c.post(task_path("T-1", "acknowledge"),
                    R"({"command_id":"fgw-ack","expected_version":)" +
                        std::to_string(moved.version.value() + 1) + "}",
                    unit_token("fgw"));
  EXPECT_EQ(old.status, 403) << old.body;
}

TEST_F(SharedLogTest, AUnitMayFollowATaskItWasAssignedElsewhereAMomentAgo) {
  create_task("T-1", {"fgw"});
  const std::string swt = unit_token("swt");
  elsewhere(reassign("T-1", "swt"), task::Actor::supervisor());
  auto w = ws(swt);
  w.next();  // hello
  subscribe(w, R"({"task":"T-1"})", 0);
  auto answer = w.next();
  EXPECT_EQ(answer.type(), "subscribed") << answer.data;
}

TEST_F(SharedLogTest, APushedEventIsInTheAnswerToAQueryMadeRightAfterIt) {
  create_task("T-1", {"fgw"});
  auto w = ws(supervisor);
  w.next();  // hello
  subscribe(w, R"({"all":true})");
  read_until(w, "caught_up");
  auto c = http();
  const auto fgw = task::Actor::of_unit(UnitId("fgw"));
  elsewhere(task::AcknowledgeTask{TaskId("T-1")}, fgw);
  for (int i = 0; i < 10; ++i) {
    elsewhere(task::ReportProgress{TaskId("T-1"), "step " + std::to_string(i), 10 * i}, fgw);
  }
  for (int i = 0; i < 11; ++i) {
    auto event = read_until(w, "event").json();
    const std::int64_t position = event.at("position").as_int64();
    // The read model behind every query has caught up at least to the event just pushed.
    auto health = c.get("/healthz").json();
    EXPECT_GE(health.at("position").as_int64(), position);
    auto inbox = c.get("/api/v1/units/fgw/inbox", supervisor).json();
    EXPECT_EQ(inbox.at("lead").as_array()[0].at("acknowledged").as_bool(), true) << inbox;
  }
}

}  // namespace
}  // namespace duban::server::testing
