// Two duban nodes on one PostgreSQL log, as two TaskServices, each with its own read model over
// its own PostgresEventStore object (its own connections), in one fresh database. Covers what a
// second node changes for the application layer: both nodes run the deadline sweep over the
// same tasks at the same moment and every reminder is still recorded once (the sweep's command
// id is "sweep:<task>@<version>" and its append expects that version, so the loser of a race
// gets the winner's result back as a duplicate or decides again); a node whose read model lags
// behind the other's commands decides against the store, not against its stale copy (no
// refusal and no conflict a client would see); both read models end equal to a rebuild; and a
// node's --db URL can name its sessions (?application_name=).
#include <algorithm>
#include <atomic>
#include <barrier>
#include <set>
#include <thread>

#include "model/task/commands.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/postgres_event_store.h"
#include "tests/storage/postgres_test_db.h"

namespace duban::storage::testing {
namespace {

using service::SweepOutcome;
using service::TaskService;
namespace projections = service::projections;

Timestamp utc(int y, unsigned mo, unsigned d) {
  using namespace std::chrono;
  return sys_days(year(y) / month(mo) / day(d));
}

task::CreateTask create(const std::string& id, std::string deadline) {
  task::CreateTask c;
  c.task = TaskId(id);
  c.provenance =
      task::Provenance{DocumentId("青政办〔2015〕151号"), 1,  "任务分工", id, "建立共享机制",
                       "建立共享机制。（省商务厅牵头）",  10, 11};
  c.leads.emplace_back("fgw");
  c.deadline = std::move(deadline);
  return c;
}

const task::Actor kSupervisor = task::Actor::supervisor();
task::Actor unit(const std::string& id) {
  return task::Actor::of_unit(UnitId(id));
}

// One node: its own store object (writer, listener, readers), read model and service.
struct Node {
  Node(const std::string& url, const std::string& name, const Clock& clock) {
    auto opened = PostgresEventStore::open({.url = url, .application_name = name}, clock);
    if (!opened) throw std::runtime_error(opened.error().code + ": " + opened.error().message);
    store = std::move(*opened);
    service = std::make_unique<TaskService>(*store, model, clock);
  }
  std::unique_ptr<PostgresEventStore> store;
  projections::ReadModel model;
  std::unique_ptr<TaskService> service;
};

class TwoNodes : public ::testing::Test {
 protected:
  TestDatabase db;
  FixedClock clock_a{utc(2016, 1, 1)};
  FixedClock clock_b{utc(2016, 1, 1)};
  Node a{db.url(), "duban-a", clock_a};
  Node b{db.url(), "duban-b", clock_b};

  void set_time(Timestamp t) {
    clock_a.advance_to(t);
    clock_b.advance_to(t + std::chrono::minutes(3));  // a node's clock is never quite the other's
  }

  // Both nodes sweep at once, `rounds` times each; returns the reminders each recorded.
  std::pair<SweepOutcome, SweepOutcome> sweep_both(int rounds) {
    SweepOutcome total_a, total_b;
    std::barrier start(2);
    auto sweeper = [&](Node& node, SweepOutcome& total) {
      start.arrive_and_wait();
      for (int i = 0; i < rounds; ++i) {
        auto swept = node.service->sweep(0.2);
        ASSERT_TRUE(swept.ok()) << swept.error().code << ": " << swept.error().message;
        total.approaching += swept->approaching;
        total.overdue += swept->overdue;
      }
    };
    std::thread ta(sweeper, std::ref(a), std::ref(total_a));
    std::thread tb(sweeper, std::ref(b), std::ref(total_b));
    ta.join();
    tb.join();
    return {total_a, total_b};
  }
};

TEST_F(TwoNodes, BothNodesSweepingTheSameTasksAtOnceRecordEachReminderOnce) {
  constexpr int kTasks = 40;
  for (int i = 0; i < kTasks; ++i) {
    // Deadlines on a few days, so the sweep order has ties and spans.
    auto made =
        a.service->execute(create("T" + std::to_string(i), "2016-12-2" + std::to_string(i % 8 + 1)),
                           kSupervisor, CommandId("create-" + std::to_string(i)));
    ASSERT_TRUE(made.ok()) << made.error().message;
  }
  ASSERT_TRUE(b.service->refresh().ok());

  set_time(utc(2016, 12, 5));  // under 20% of the year left: yellow for every task
  auto [yellow_a, yellow_b] = sweep_both(3);
  EXPECT_EQ(yellow_a.approaching + yellow_b.approaching, kTasks);
  EXPECT_EQ(yellow_a.overdue + yellow_b.overdue, 0);

  set_time(utc(2017, 1, 3));  // past every deadline
  auto [late_a, late_b] = sweep_both(3);
  EXPECT_EQ(late_a.overdue + late_b.overdue, kTasks);
  EXPECT_EQ(late_a.approaching + late_b.approaching, 0);

  for (int i = 0; i < kTasks; ++i) {
    const std::string stream = "task/T" + std::to_string(i);
    auto events = a.store->read_stream(stream);
    ASSERT_TRUE(events.ok());
    std::vector<std::string> types;
    for (const auto& e : *events) types.push_back(e.type);
    EXPECT_EQ(types, (std::vector<std::string>{"TaskCreated", "UnitAssigned", "DeadlineApproaching",
                                               "TaskOverdue"}))
        << stream;
  }
  ASSERT_TRUE(a.service->refresh().ok());
  ASSERT_TRUE(b.service->refresh().ok());
  projections::ReadModel rebuilt;
  ASSERT_TRUE(rebuilt.catch_up(*a.store).ok());
  EXPECT_TRUE(a.model.state() == rebuilt.state());
  EXPECT_TRUE(b.model.state() == rebuilt.state());
}

TEST_F(TwoNodes, ANodeWhoseReadModelLagsDecidesAgainstTheStore) {
  ASSERT_TRUE(a.service->execute(create("T1", "2016-12-31"), kSupervisor, CommandId("c1")).ok());
  ASSERT_TRUE(b.service->refresh().ok());
  auto ack = a.service->execute(task::AcknowledgeTask{TaskId("T1")}, unit("fgw"), CommandId("c2"));
  ASSERT_TRUE(ack.ok());

  // b has not seen the acknowledgement: without an expected version it loses the race on the
  // store, catches up and decides again; the client sees one success.
  ASSERT_LT(b.model.task(TaskId("T1"))->version, ack->version);
  auto progress = b.service->execute(task::ReportProgress{TaskId("T1"), "half", 50}, unit("fgw"),
                                     CommandId("c3"));
  ASSERT_TRUE(progress.ok()) << progress.error().code << ": " << progress.error().message;
  EXPECT_EQ(progress->version, ack->version.next());

  // With the version a's answer gave, b looks again before calling it a conflict.
  auto urged = a.service->execute(task::UrgeTask{TaskId("T1"), std::nullopt, "faster"}, kSupervisor,
                                  CommandId("c4"));
  ASSERT_TRUE(urged.ok()) << urged.error().message;
  auto more = b.service->execute(task::ReportProgress{TaskId("T1"), "most", 80}, unit("fgw"),
                                 CommandId("c5"), urged->version);
  ASSERT_TRUE(more.ok()) << more.error().code << ": " << more.error().message;

  // A reassignment on a: the new lead acts on b at once. Deciding against b's stale state
  // would say forbidden; b looks at the store before refusing.
  task::ReassignTask reassign;
  reassign.task = TaskId("T1");
  reassign.leads = {UnitId("swt")};
  reassign.reason = "moved";
  auto moved = a.service->execute(reassign, kSupervisor, CommandId("c6"));
  ASSERT_TRUE(moved.ok()) << moved.error().message;
  auto by_new =
      b.service->execute(task::AcknowledgeTask{TaskId("T1")}, unit("swt"), CommandId("c7"));
  ASSERT_TRUE(by_new.ok()) << by_new.error().code << ": " << by_new.error().message;
  // And the old lead is refused, on either node, with the domain's answer.
  auto by_old = b.service->execute(task::ReportProgress{TaskId("T1"), "late", 90}, unit("fgw"),
                                   CommandId("c8"));
  ASSERT_FALSE(by_old.ok());
  EXPECT_EQ(by_old.error().code, "forbidden");

  ASSERT_TRUE(a.service->refresh().ok());
  EXPECT_TRUE(a.model.state() == b.model.state());
}

TEST(NodeNames, ANodeNamesItsSessionsAfterTheApplicationNameInItsUrl) {
  TestDatabase db;
  FixedClock clock{utc(2016, 1, 1)};
  auto named = PostgresEventStore::open({.url = db.url() + "?application_name=node-a"}, clock);
  ASSERT_TRUE(named.ok()) << named.error().message;
  auto unnamed = PostgresEventStore::open({.url = db.url(), .application_name = "node-b"}, clock);
  ASSERT_TRUE(unnamed.ok()) << unnamed.error().message;
  ASSERT_TRUE((*named)->head().ok());  // a reader connection for each
  ASSERT_TRUE((*unnamed)->head().ok());

  const std::set<std::string> expected = {"node-a writer", "node-a listener", "node-a reader",
                                          "node-b writer", "node-b listener", "node-b reader"};
  pqxx::connection admin(db.server_url());
  std::set<std::string> names;
  // The listeners connect on their own threads: look a few times.
  for (int i = 0;
       i < 100 && !std::includes(names.begin(), names.end(), expected.begin(), expected.end());
       ++i) {
    if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    names.clear();
    for (const auto& row : pg_exec(admin,
                                   "SELECT application_name FROM pg_stat_activity WHERE "
                                   "datname = '" +
                                       db.name() + "'")) {
      names.insert(row[0].as<std::string>());
    }
  }
  for (const auto& name : expected) EXPECT_TRUE(names.contains(name)) << name;
}

}  // namespace
}  // namespace duban::storage::testing
