// Two real `duban serve` processes on one PostgreSQL log (a fresh database on the throwaway
// server of the CTest fixture `postgres_server`), on 127.0.0.1. Node A ingests the bundled
// gazette and prints the tokens; node B starts on the same URL and shares log and tokens.
//   - Commands POSTed to A reach a WebSocket subscriber on B: every event, at the positions A
//     answered, in order, promptly (within seconds: NOTIFY wakes B's dispatcher); and once an
//     event has arrived, B's HTTP API already answers with the new state.
//   - A command on B right after one on A (the version A answered; a unit A just assigned)
//     succeeds: B's read model may lag, B's answer must not.
//   - Resume across nodes: the subscriber keeps its last position; B stops (SIGTERM, close
//     1001); more commands go to A; the subscriber resumes on the restarted B and, separately,
//     on A, and receives exactly the missed events, once, in order.
//   - Both nodes sweeping at once record each reminder once.
#include <signal.h>

#include <regex>
#include <sstream>

#include "tests/server/server_fixture.h"
#include "tests/storage/postgres_test_db.h"
#include "tests/support/serve_child.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;
using storage::testing::TestDatabase;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
// Generous: an event normally arrives within milliseconds; this only bounds a broken run.
constexpr auto kPrompt = 5s;

// A `duban serve --db postgresql://...?application_name=duban-NAME` child on a free port. The
// first node ingests the gazette and prints the supervisor token and one token per unit (--demo).
struct Node : duban::testing::ServeChild {
  Node(const std::string& url, const std::string& name, bool first)
      : ServeChild(DUBAN_BINARY, args(url + "?application_name=duban-" + name, first)) {}

  static std::vector<std::string> args(const std::string& url, bool first) {
    std::vector<std::string> a = {"serve", "--db", url, "--listen", "127.0.0.1:0", "--quiet"};
    a.insert(a.end(), {"--now", "2016-01-04", "--simulate", "--sweep-interval", "0"});
    a.insert(a.end(), {"--checkpoint-interval", "0.2", "--drain-timeout", "5"});
    if (first) a.insert(a.end(), {"--demo-tokens", "--ingest", kGazette});
    return a;
  }

  std::optional<int> stop() { return ServeChild::stop(20s); }
};

WsClient subscriber(std::uint16_t port, const std::string& token) {
  WsClient::Options o;
  o.token = token;
  return WsClient("127.0.0.1", port, o);
}

// Reads the hello and subscribes to every event (replaying after `from` when given).
void subscribe_all(WsClient& w, std::optional<std::int64_t> from = std::nullopt) {
  EXPECT_EQ(w.next().type(), "hello");
  std::string msg = R"({"type":"subscribe","filter":{"all":true})";
  if (from) msg += ",\"from\":" + std::to_string(*from);
  w.send_text(msg + "}");
  EXPECT_EQ(w.next().type(), "subscribed");
}

// The next `event` message (skipping checkpoints); throws when none arrives within `timeout`.
json::value next_event(WsClient& w, std::chrono::milliseconds timeout = kPrompt) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) throw std::runtime_error("no event in time");
    WsMessage m = w.next(left);
    if (m.type() == "event") return m.json();
    if (m.type() == "checkpoint" || m.type() == "caught_up") continue;
    throw std::runtime_error("unexpected message: " + m.data);
  }
}

// The positions of the events a resumed subscription replays, up to its caught_up.
std::vector<std::int64_t> replayed(WsClient& w) {
  std::vector<std::int64_t> out;
  for (;;) {
    WsMessage m = w.next(kPrompt);
    if (m.type() == "caught_up") return out;
    if (m.type() != "event") throw std::runtime_error("unexpected message: " + m.data);
    out.push_back(m.json().at("position").as_int64());
  }
}

std::vector<std::int64_t> positions_of(const HttpResponse& answer) {
  std::vector<std::int64_t> out;
  const json::value body = answer.json();  // the loop's range must not be a temporary's part
  for (const auto& p : body.at("positions").as_array()) out.push_back(p.as_int64());
  return out;
}

std::int64_t version_on(HttpClient& c, const std::string& task, const std::string& token) {
  return c.get(task_url(task), token).json().at("version").as_int64();
}

class TwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    a = std::make_unique<Node>(db.url(), "a", true);
    ASSERT_FALSE(a->token.empty()) << a->process.out();
    b = std::make_unique<Node>(db.url(), "b", false);
    // Two units of the log, for a reassignment.
    auto inbox = HttpClient("127.0.0.1", a->port).get("/api/v1/units/fgw/inbox", a->token).json();
    task = std::string(inbox.at("lead").as_array().at(0).at("task").as_string());
    for (const auto& [unit, token] : a->unit_tokens) {
      if (unit != "fgw") {
        other_unit = unit;
        break;
      }
    }
    ASSERT_FALSE(other_unit.empty());
    ASSERT_TRUE(a->unit_tokens.contains("fgw"));
  }

  // POSTs `action` on the task to `port` with the version the caller saw; the answer.
  HttpResponse command(std::uint16_t port, const std::string& action, std::int64_t version,
                       const std::string& fields, const std::string& token) {
    const std::string body = R"({"command_id":"c-)" + std::to_string(++commands) +
                             R"(","expected_version":)" + std::to_string(version) +
                             (fields.empty() ? "" : "," + fields) + "}";
    return HttpClient("127.0.0.1", port).post(task_url(task, action), body, token);
  }

  TestDatabase db;
  std::unique_ptr<Node> a, b;
  std::string task;
  std::string other_unit;
  int commands = 0;
};

TEST_F(TwoNodes, CommandsOnOneNodeArePushedByTheOtherInOrderAndResumeAcrossNodes) {
  HttpClient on_a("127.0.0.1", a->port);
  HttpClient on_b("127.0.0.1", b->port);
  ASSERT_EQ(on_b.get("/api/v1/whoami", a->token).status, 200) << "tokens are shared";

  WsClient w = subscriber(b->port, a->token);
  subscribe_all(w);
  ASSERT_EQ(w.next(kPrompt).type(), "caught_up");

  // Commands on A; B pushes each resulting event at A's positions, in order, promptly, and
  // B's API answers with the new state once the event has arrived.
  std::int64_t version = version_on(on_a, task, a->token);
  std::int64_t last_position = 0;
  auto on_a_then_pushed_by_b = [&](const std::string& action, const std::string& fields,
                                   const std::string& token) {
    auto answer = command(a->port, action, version, fields, token);
    ASSERT_EQ(answer.status, 200) << action << ": " << answer.body;
    version = answer.json().at("version").as_int64();
    for (std::int64_t position : positions_of(answer)) {
      const auto started = std::chrono::steady_clock::now();
      auto event = next_event(w);
      EXPECT_EQ(event.at("position").as_int64(), position) << event;
      EXPECT_LT(std::chrono::steady_clock::now() - started, kPrompt);
      last_position = event.at("position").as_int64();
    }
    EXPECT_EQ(version_on(on_b, task, a->token), version);
  };
  on_a_then_pushed_by_b("urge", R"("note":"first")", a->token);
  on_a_then_pushed_by_b("acknowledge", "", a->unit_tokens["fgw"]);
  on_a_then_pushed_by_b("progress", R"("note":"drafting","percent":30)", a->unit_tokens["fgw"]);
  on_a_then_pushed_by_b("urge", R"("note":"second")", a->token);
  on_a_then_pushed_by_b("reassign", R"("leads":[")" + other_unit + R"("],"reason":"moved")",
                        a->token);
  // B's inbox query shows the move.
  auto inbox = on_b.get("/api/v1/units/" + other_unit + "/inbox", a->token).json();
  bool listed = false;
  for (const auto& item : inbox.at("lead").as_array()) {
    listed |= item.at("task").as_string() == task;
  }
  EXPECT_TRUE(listed) << inbox;

  // On B right after A: a command with the version A answered, by the unit A just made lead.
  // Nothing in between lets B's dispatcher read A's command first.
  auto urged = command(a->port, "urge", version, R"("note":"third")", a->token);
  ASSERT_EQ(urged.status, 200) << urged.body;
  version = urged.json().at("version").as_int64();
  auto ack = command(b->port, "acknowledge", version, "", a->unit_tokens[other_unit]);
  ASSERT_EQ(ack.status, 200) << ack.body;
  version = ack.json().at("version").as_int64();
  std::vector<std::int64_t> expected = positions_of(urged);
  for (auto p : positions_of(ack)) expected.push_back(p);
  std::vector<std::int64_t> pushed;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    pushed.push_back(next_event(w).at("position").as_int64());
  }
  EXPECT_EQ(pushed, expected);
  last_position = pushed.back();
  w.close();

  // B goes away; A takes commands meanwhile; the subscriber resumes from its last position on
  // the restarted B, and on A: exactly the missed events, once, in order.
  ASSERT_EQ(b->stop(), std::optional<int>(0)) << b->process.err();
  b.reset();
  std::vector<std::int64_t> missed;
  for (int i = 0; i < 3; ++i) {
    auto answer = command(a->port, "progress", version,
                          R"("note":"while b was down","percent":)" + std::to_string(50 + i),
                          a->unit_tokens[other_unit]);
    ASSERT_EQ(answer.status, 200) << answer.body;
    version = answer.json().at("version").as_int64();
    for (auto p : positions_of(answer)) missed.push_back(p);
  }
  b = std::make_unique<Node>(db.url(), "b", false);
  for (std::uint16_t port : {b->port, a->port}) {
    WsClient again = subscriber(port, a->token);
    subscribe_all(again, last_position);
    EXPECT_EQ(replayed(again), missed) << "resumed on port " << port;
    // Nothing more, and live from here on: one more command on A arrives once.
    auto more = command(a->port, "urge", version, R"("note":"live")", a->token);
    ASSERT_EQ(more.status, 200) << more.body;
    version = more.json().at("version").as_int64();
    EXPECT_EQ(next_event(again).at("position").as_int64(), positions_of(more).at(0));
    missed.push_back(positions_of(more).at(0));
    again.close();
  }
}

TEST_F(TwoNodes, BothNodesSweepingAtOnceRecordEachReminderOnce) {
  // The nodes' clock is 2016-01-04 (--now): a deadline of 2015-12-31 on some of fgw's open
  // tasks makes them overdue, for the sweep to record.
  HttpClient on_a("127.0.0.1", a->port);
  auto inbox = on_a.get("/api/v1/units/fgw/inbox?status=open", a->token).json();
  std::vector<std::string> tasks;
  for (const char* role : {"lead", "participant"}) {
    for (const auto& item : inbox.at(role).as_array()) {
      tasks.emplace_back(item.at("task").as_string());
    }
  }
  ASSERT_GE(tasks.size(), 4u) << inbox;
  if (tasks.size() > 12) tasks.resize(12);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const std::int64_t version = version_on(on_a, tasks[i], a->token);
    auto set =
        on_a.post(task_url(tasks[i], "deadline"),
                  R"({"command_id":"deadline-)" + std::to_string(i) + R"(","expected_version":)" +
                      std::to_string(version) + R"(,"deadline":"2015-12-31","reason":"test"})",
                  a->token);
    ASSERT_EQ(set.status, 200) << set.body;
  }

  std::vector<std::thread> sweepers;
  std::vector<HttpResponse> answers(4);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const std::uint16_t port = i % 2 == 0 ? a->port : b->port;
    sweepers.emplace_back([&, i, port] {
      answers[i] = HttpClient("127.0.0.1", port, 60s).post("/api/v1/sweep", "{}", a->token);
    });
  }
  for (auto& t : sweepers) t.join();
  std::int64_t approaching = 0, overdue = 0;
  for (const auto& answer : answers) {
    ASSERT_EQ(answer.status, 200) << answer.body;
    approaching += answer.json().at("approaching").as_int64();
    overdue += answer.json().at("overdue").as_int64();
  }
  // Every reminder the sweeps reported is in the log once, and nothing else is.
  WsClient w = subscriber(a->port, a->token);
  subscribe_all(w, 0);
  std::map<std::string, std::map<std::string, int>> per_task;
  for (;;) {
    WsMessage m = w.next(kPrompt);
    if (m.type() == "caught_up") break;
    auto e = m.json();
    const std::string type(e.at("event_type").as_string());
    if (type == "DeadlineApproaching" || type == "TaskOverdue") {
      ++per_task[std::string(e.at("task").as_string())][type];
    }
  }
  std::int64_t recorded_approaching = 0, recorded_overdue = 0;
  for (const auto& [t, counts] : per_task) {
    for (const auto& [type, n] : counts) {
      EXPECT_EQ(n, 1) << t << " has " << n << " " << type;
      (type == "TaskOverdue" ? recorded_overdue : recorded_approaching) += n;
    }
  }
  EXPECT_GE(recorded_overdue, static_cast<std::int64_t>(tasks.size()));
  EXPECT_EQ(recorded_approaching, approaching);
  EXPECT_EQ(recorded_overdue, overdue);
}

}  // namespace
}  // namespace duban::server::testing
