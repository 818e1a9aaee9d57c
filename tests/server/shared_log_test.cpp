// A server whose log is also written by someone else: a second store object, read model and
// TaskService on the same SQLite file stand for another node (or a `duban ingest` next to the
// server). Whatever the other writer acknowledged, this server must answer as if it had seen it:
// queries reflect it (the read model catches up with the store's head first), a unit newly
// assigned there may act here at once (the assignment check looks at the store before
// refusing), a task's state always matches the history in the same answer, a unit may follow a
// task it was assigned to a moment ago, and a pushed event is already in the answer to a query
// made right after it arrived (the read model catches up before the push publishes). The same
// holds across PostgreSQL nodes; tests/server/two_nodes_test.cpp runs real processes on one.
#include <mutex>
#include <thread>

#include "server/push/dispatcher.h"
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
    other = std::make_unique<service::TaskService>(*other_store, other_model, clock);
  }
  void TearDown() override {
    ServerTest::TearDown();
    other.reset();
    other_store.reset();
  }

  // Runs a command on the other writer; its outcome.
  service::CommandOutcome elsewhere(const task::Command& command, const task::Actor& actor) {
    auto done =
        other->execute(command, actor, CommandId("other:" + std::to_string(++other_commands)));
    EXPECT_TRUE(done.ok()) << done.error().code << ": " << done.error().message;
    return done.ok() ? *done : service::CommandOutcome{};
  }

  static task::ReassignTask reassign(const std::string& task, const std::string& lead) {
    task::ReassignTask r;
    r.task = TaskId(task);
    r.leads = {UnitId(lead)};
    r.reason = "moved";
    return r;
  }

  std::unique_ptr<storage::SqliteEventStore> other_store;
  service::projections::ReadModel other_model;
  std::unique_ptr<service::TaskService> other;
  int other_commands = 0;
};

TEST_F(SharedLogTest, QueriesReflectWhatAnotherWriterAcknowledgedJustBefore) {
  create_task("T-1", {"fgw"}, {}, std::string("2015-12-31"));  // overdue at the test's clock
  const std::string fgw = unit_token("fgw");
  auto c = http();
  ASSERT_EQ(c.get("/api/v1/units/fgw/inbox", fgw).json().at("lead").as_array().size(), 1u);

  // Elsewhere: T-2 created, T-1 moved to swt. The server's dispatcher polls only every 100 ms;
  // the answers right after must show both anyway.
  const task::CreateTask t2 = create_command("T-2", {"fgw"});
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

// The order behind the last test, without its race: the dispatcher runs its hook (the server's
// read-model catch-up) on a batch before any subscriber, ring reader or head() can see it.
TEST(DispatcherOrder, ABatchIsPublishedOnlyAfterTheHookHasRunOnIt) {
  struct Counting final : push::Subscriber {
    void on_log_advanced() override { calls.fetch_add(1); }
    void on_checkpoint_tick() override {}
    std::atomic<int> calls{0};
  };
  duban::testing::TempDir dir;
  FixedClock clock{utc(2016, 1, 4)};
  auto store = storage::SqliteEventStore::open({.path = dir.file("events.db")}, clock);
  ASSERT_TRUE(store.ok());
  Metrics metrics;
  push::Dispatcher dispatcher(**store, metrics, push::DispatcherOptions{64, 8, 10ms});
  auto subscriber = std::make_shared<Counting>();
  dispatcher.add_subscriber(subscriber);

  struct AtHook {
    std::int64_t last, head, notified;
    bool in_ring;
  };
  std::mutex mu;
  std::vector<AtHook> seen;
  ASSERT_TRUE(dispatcher
                  .start([&](GlobalPosition last) {
                    push::Dispatcher::Events ring;
                    dispatcher.read_ring(GlobalPosition(last.value() - 1), 1, ring);
                    std::this_thread::sleep_for(5ms);  // a subscriber woken early would show
                    std::lock_guard lock(mu);
                    seen.push_back({last.value(), dispatcher.head().value(),
                                    subscriber->calls.load(), !ring.empty()});
                  })
                  .ok());
  for (int i = 0; i < 3; ++i) {
    const storage::NewEvent e{"Noted", 1, "payload", "tester"};
    ASSERT_TRUE((*store)
                    ->append("note/" + std::to_string(i), storage::ExpectedVersion::any(),
                             std::span(&e, 1), CommandId("n" + std::to_string(i)))
                    .ok());
    // Each append is its own batch: wait for it to be published before the next.
    ASSERT_TRUE(dispatcher.wait_for_head(GlobalPosition(i + 1), 5s));
  }
  dispatcher.stop();
  std::lock_guard lock(mu);
  ASSERT_EQ(seen.size(), 3u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].last, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(seen[i].head, seen[i].last - 1) << "head() moved before the hook ran";
    EXPECT_EQ(seen[i].notified, static_cast<std::int64_t>(i)) << "subscribers woken first";
    EXPECT_FALSE(seen[i].in_ring) << "the ring had the batch before the hook ran";
  }
}

}  // namespace
}  // namespace duban::server::testing
