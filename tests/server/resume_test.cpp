// Resuming a WebSocket subscription under concurrent writes: several writer threads append
// commands through the HTTP API while a client reads a few messages, drops the connection
// without a close, and reconnects with the last position it saw, again and again. Across every
// reconnect and every replay/live switch, the positions it receives must be exactly the matching
// positions of the log: contiguous for the `all` filter, the unit's own for a unit filter, none
// missing, none twice.
#include <algorithm>
#include <atomic>
#include <random>
#include <set>
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class ResumeTest : public ServerTest {
 protected:
  static constexpr int kTasks = 12;
  static constexpr int kWriters = 4;
  static constexpr int kCommandsPerWriter = 60;

  void SetUp() override {
    ServerOptions o = test_options();
    o.ring_capacity = 64;  // small, so reconnects land both in the ring and before it
    o.page_size = 16;
    start_server(o);
    for (int i = 0; i < kTasks; ++i) {
      create_task("R-" + std::to_string(i), {i % 2 == 0 ? "fgw" : "finance"});
    }
  }

  // Starts the writers: each urges random tasks through HTTP (no expected version: the urge
  // itself is what matters, and conflicts between writers retry inside the service).
  void start_writers() {
    for (int w = 0; w < kWriters; ++w) {
      writers_.emplace_back([this, w] {
        auto c = http();
        std::mt19937 rng(static_cast<unsigned>(w));
        for (int i = 0; i < kCommandsPerWriter; ++i) {
          const std::string task = "R-" + std::to_string(rng() % kTasks);
          auto state = service->read_model().task(TaskId(task));
          const auto version = state ? state->version.value() : 0;
          auto r = c.post(task_path(task, "urge"),
                          R"({"command_id":"w)" + std::to_string(w) + "-" + std::to_string(i) +
                              R"(","expected_version":)" + std::to_string(version) + "}",
                          supervisor);
          if (r.status == 409)
            --i;  // lost a race on that task: decide again
          else if (r.status != 200)
            failures_.fetch_add(1);
        }
      });
    }
  }

  void join_writers() {
    for (auto& t : writers_) t.join();
    writers_.clear();
    EXPECT_EQ(failures_.load(), 0);
  }

  // Reads with reconnects until the writers are done and the client has caught up with the
  // final head; returns every event position received, in order of arrival.
  std::vector<std::int64_t> read_with_reconnects(const std::string& token,
                                                 const std::string& filter) {
    std::vector<std::int64_t> received;
    std::int64_t last = 0;
    std::mt19937 rng(7);
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto c = ws(token);
      c.next();  // hello
      subscribe(c, filter, last);
      const int budget = 5 + static_cast<int>(rng() % 40);  // messages before this drop
      for (int n = 0; writers_done_.load() || n < budget; ++n) {
        auto m = c.read(300ms);
        if (m) {
          auto j = m->json().as_object();
          const std::string type(j.at("type").as_string());
          if (type == "event") {
            last = j.at("position").as_int64();
            received.push_back(last);
          } else if (type == "checkpoint" || type == "caught_up" || type == "fell_behind") {
            last = std::max(last, j.at("position").as_int64());
          }
        }
        if (writers_done_.load() && last >= head()) return received;
        if (std::chrono::steady_clock::now() > deadline) break;
      }
      // Drop without a close frame: the client goes away with its socket.
    }
    ADD_FAILURE() << "did not catch up with the log in time";
    return received;
  }

  std::vector<std::thread> writers_;
  std::atomic<int> failures_{0};
  std::atomic<bool> writers_done_{false};
};

TEST_F(ResumeTest, AllFilterReceivesEveryPositionOnceAcrossReconnectsUnderConcurrentWrites) {
  start_writers();
  std::thread closer([this] {
    join_writers();
    writers_done_.store(true);
  });
  const auto received = read_with_reconnects(supervisor, R"({"all":true})");
  closer.join();
  const auto end = head();
  ASSERT_EQ(static_cast<std::int64_t>(received.size()), end);
  for (std::int64_t i = 0; i < end; ++i) ASSERT_EQ(received[static_cast<std::size_t>(i)], i + 1);
}

TEST_F(ResumeTest, UnitFilterReceivesExactlyItsTasksEventsAcrossReconnects) {
  start_writers();
  std::thread closer([this] {
    join_writers();
    writers_done_.store(true);
  });
  const auto received = read_with_reconnects(unit_token("fgw"), R"({"unit":"fgw"})");
  closer.join();
  // The expected positions straight from the store: events of the tasks fgw leads.
  std::vector<std::int64_t> expected;
  auto all = store->read_all(GlobalPosition(1), 100000);
  ASSERT_TRUE(all.ok());
  for (const auto& e : *all) {
    const int n = std::stoi(e.stream.substr(std::string("task/R-").size()));
    if (n % 2 == 0) expected.push_back(e.position.value());
  }
  EXPECT_EQ(received, expected);
}

}  // namespace
}  // namespace duban::server::testing
