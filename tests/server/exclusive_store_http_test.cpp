// A server on a store opened as the log's only writer (SqliteOptions::exclusive, what
// `duban serve --exclusive-db` does): queries skip their head() read and take the head from the
// store's memory, and must still reflect every command acknowledged before them: commands over
// HTTP (one client right after another's answer, and many clients at once), and appends by
// another service in the same process that never caught this server's read model up (over
// HTTP, and deterministically through TaskService::refresh() without a server). Last, the real
// `duban serve --exclusive-db` process: the CLI's writers are refused while it runs, its readers
// and its HTTP API are not, and the file is free again once it stopped.
#include <atomic>
#include <thread>

#include "tests/server/server_fixture.h"
#include "tests/support/serve_child.h"

namespace duban::server::testing {
namespace {

class ExclusiveStoreHttpTest : public ServerTest {
 protected:
  void SetUp() override {
    exclusive_store = true;
    ServerTest::SetUp();
  }

  // POST /api/v1/tasks creating `task` led by fgw; the HTTP status.
  int create_over_http(HttpClient& c, const std::string& task) {
    return c
        .post("/api/v1/tasks",
              R"({"command_id":"create-)" + task + R"(","expected_version":0,"task":")" + task +
                  R"(","provenance":{"document":"doc-1"},"leads":["fgw"]})",
              supervisor)
        .status;
  }
};

TEST_F(ExclusiveStoreHttpTest, TheServersStoreIsTheLogsOnlyWriter) {
  EXPECT_FALSE(store->shared_with_other_writers());
  auto writer = storage::SqliteEventStore::open({.path = dir.file("events.db")}, clock);
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.error().code, "busy");
}

TEST_F(ExclusiveStoreHttpTest, AQueryReflectsTheCommandAcknowledgedJustBeforeIt) {
  const std::string fgw = unit_token("fgw");
  auto writer = http();
  auto reader = http();
  for (int i = 0; i < 20; ++i) {
    const std::string task = "X-" + std::to_string(i);
    ASSERT_EQ(create_over_http(writer, task), 200);
    auto r = reader.get("/api/v1/units/fgw/inbox", fgw);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(r.json().at("lead").as_array().size(), static_cast<std::size_t>(i + 1)) << r.body;
    ASSERT_NE(r.body.find("\"" + task + "\""), std::string::npos) << r.body;
  }
}

TEST_F(ExclusiveStoreHttpTest, ConcurrentClientsEachSeeTheirOwnAcknowledgedCommands) {
  const std::string fgw = unit_token("fgw");
  constexpr int kClients = 4, kEach = 10;
  std::atomic<int> stale{0}, failed{0};
  std::vector<std::thread> clients;
  for (int k = 0; k < kClients; ++k) {
    clients.emplace_back([&, k] {
      auto c = http();
      for (int i = 0; i < kEach; ++i) {
        const std::string task = "C" + std::to_string(k) + "-" + std::to_string(i);
        if (create_over_http(c, task) != 200) {
          ++failed;
          continue;
        }
        auto r = c.get("/api/v1/units/fgw/inbox", fgw);
        if (r.status != 200 || r.body.find("\"" + task + "\"") == std::string::npos) ++stale;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(stale.load(), 0);
  auto inbox = http().get("/api/v1/units/fgw/inbox", fgw).json();
  EXPECT_EQ(inbox.at("lead").as_array().size(), static_cast<std::size_t>(kClients * kEach));
}

TEST_F(ExclusiveStoreHttpTest, AppendsByAnotherServiceInThisProcessReachTheNextQuery) {
  // Another TaskService on the same store object (so still the only writer) with its own read
  // model: its appends never touch the server's read model, whose next query must catch up.
  service::projections::ReadModel other_model;
  service::TaskService other(*store, other_model, clock);
  create_task("T-1", {"fgw"});
  const std::string fgw = unit_token("fgw");
  auto c = http();
  ASSERT_EQ(c.get("/api/v1/units/fgw/inbox", fgw).json().at("lead").as_array().size(), 1u);

  const task::CreateTask t2 = create_command("T-2", {"fgw"});
  auto done = other.execute(t2, task::Actor::supervisor(), CommandId("other:create:T-2"));
  ASSERT_TRUE(done.ok()) << done.error().message;

  auto inbox = c.get("/api/v1/units/fgw/inbox", fgw).json();
  ASSERT_EQ(inbox.at("lead").as_array().size(), 2u) << inbox;
  EXPECT_EQ(inbox.at("lead").as_array()[1].at("task").as_string(), "T-2");
}

// The same without a server, whose push dispatcher could catch the model up first: refresh()
// on an exclusive store must itself bring the model to what another in-process service appended.
TEST(ExclusiveStoreRefreshTest, RefreshCatchesUpWithInProcessAppendsWithoutReadingTheHead) {
  duban::testing::TempDir dir;
  TestClock clock(utc(2016, 1, 4));
  auto store =
      storage::SqliteEventStore::open({.path = dir.file("events.db"), .exclusive = true}, clock);
  ASSERT_TRUE(store.ok()) << store.error().message;
  service::projections::ReadModel model, other_model;
  service::TaskService service(**store, model, clock), other(**store, other_model, clock);
  task::CreateTask c;
  c.task = TaskId("T-1");
  c.provenance = task::Provenance{DocumentId("doc"), 1, "正文", "T-1", "x", "x", 1, 2};
  c.leads.emplace_back("fgw");
  auto done = other.execute(c, task::Actor::supervisor(), CommandId("create:T-1"));
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(model.checkpoint(), GlobalPosition(0));
  auto caught = service.refresh();
  ASSERT_TRUE(caught.ok()) << caught.error().message;
  EXPECT_EQ(*caught, done->last);
  EXPECT_TRUE(model.task(TaskId("T-1")).has_value());
}

TEST(ExclusiveServeProcess, OtherWritersAreRefusedWhileItRunsAndReadersAreNot) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("duban.db");
  auto served = std::make_unique<duban::testing::ServeChild>(
      DUBAN_BINARY,
      std::vector<std::string>{"serve", "--db", db, "--listen", "127.0.0.1:0", "--demo-tokens",
                               "--quiet", "--sweep-interval", "0", "--exclusive-db"});
  HttpClient c("127.0.0.1", served->port);
  auto created = c.post("/api/v1/tasks",
                        R"({"command_id":"create-E-1","expected_version":0,"task":"E-1",)"
                        R"("provenance":{"document":"doc-1"},"leads":["fgw"]})",
                        served->token);
  ASSERT_EQ(created.status, 200) << created.body;
  auto overdue = c.get("/api/v1/overdue", served->token);
  EXPECT_EQ(overdue.status, 200) << overdue.body;

  auto sweep = duban::testing::run_command(DUBAN_BINARY, {"sweep", "--db", db});
  EXPECT_NE(sweep.exit_code, 0);
  EXPECT_TRUE(duban::testing::contains(sweep.err, "exclusively")) << sweep.err;
  auto tasks = duban::testing::run_command(DUBAN_BINARY, {"tasks", "--db", db});
  EXPECT_EQ(tasks.exit_code, 0) << tasks.err;

  EXPECT_EQ(served->stop(15s), std::optional<int>(0));
  served.reset();
  auto after = duban::testing::run_command(DUBAN_BINARY, {"sweep", "--db", db});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

}  // namespace
}  // namespace duban::server::testing
