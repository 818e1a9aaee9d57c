// The real `duban serve` and `duban watch` binaries as child processes: SIGTERM shuts the server
// down gracefully (the command whose request is being read when the signal arrives is still run
// and answered, WebSockets are closed with 1001, the process exits 0), and `duban watch` rides
// out a server restart, printing every event once, in order, resuming where it stopped.
#include <signal.h>

#include <regex>
#include <sstream>
#include <thread>

#include "tests/server/server_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/serve_child.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;
using duban::testing::ChildProcess;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

// A `duban serve` child on `db`; `port` 0 picks a free one. The first run ingests the gazette
// and prints the tokens (--demo).
struct Served : duban::testing::ServeChild {
  Served(const std::string& db, std::uint16_t want_port, bool first_run)
      : ServeChild(DUBAN_BINARY, args(db, want_port, first_run)) {}

  static std::vector<std::string> args(const std::string& db, std::uint16_t port, bool first_run) {
    std::vector<std::string> a = {"serve",
                                  "--db",
                                  db,
                                  "--listen",
                                  "127.0.0.1:" + std::to_string(port),
                                  "--now",
                                  "2016-01-04",
                                  "--simulate",
                                  "--quiet",
                                  "--sweep-interval",
                                  "0",
                                  "--drain-timeout",
                                  "5"};
    if (first_run) {
      a.insert(a.end(), {"--demo-tokens", "--ingest", kGazette});
    }
    return a;
  }
};

// The first open task in fgw's inbox and its version.
std::pair<std::string, std::int64_t> some_task(HttpClient& c, const std::string& token) {
  auto inbox = c.get("/api/v1/units/fgw/inbox", token).json();
  const std::string task(inbox.at("lead").as_array().at(0).at("task").as_string());
  auto state = c.get(task_url(task), token).json();
  return {task, state.at("version").as_int64()};
}

TEST(ServeProcess, SigtermFinishesTheCommandInFlightAndClosesWebSocketsWith1001) {
  duban::testing::TempDir dir;
  Served served(dir.file("duban.db"), 0, true);
  ASSERT_FALSE(served.token.empty()) << served.process.out();
  HttpClient c("127.0.0.1", served.port);
  auto [task, version] = some_task(c, served.token);

  WsClient::Options o;
  o.token = served.token;
  WsClient ws("127.0.0.1", served.port, o);
  ws.next();  // hello
  ws.send_text(R"({"type":"subscribe","filter":{"all":true}})");
  ws.next();  // subscribed
  ws.next();  // caught_up

  // A command whose request is half written when SIGTERM arrives.
  const std::string body = R"({"command_id":"in-flight","expected_version":)" +
                           std::to_string(version) + R"(,"note":"before the lights go out"})";
  duban::testing::RawConnection raw("127.0.0.1", served.port);
  raw.write("POST " + task_url(task, "urge") +
            " HTTP/1.1\r\nHost: x\r\n"
            "Authorization: Bearer " +
            served.token +
            "\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 10));
  std::this_thread::sleep_for(200ms);
  served.process.signal(SIGTERM);
  std::this_thread::sleep_for(300ms);
  raw.write(body.substr(10));
  auto answer = raw.read_response();
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.headers["connection"], "close");
  EXPECT_EQ(json::parse(answer.body).at("events").as_array().at(0).as_string(), "TaskUrged");

  int close_code = -1;
  try {
    for (;;) ws.next(10s);
  } catch (const WsClosed& closed) {
    close_code = closed.code;
  }
  EXPECT_EQ(close_code, 1001);
  EXPECT_EQ(served.process.wait_for_exit(15s), std::optional<int>(0)) << served.process.err();
  EXPECT_NE(served.process.out().find("stopped"), std::string::npos);
}

// A supervisor script (systemd, a test) may signal the moment the server says it listens: that
// SIGTERM must be the graceful shutdown, not the default handler's kill (exit 143).
TEST(ServeProcess, SigtermTheMomentItSaysListeningIsAGracefulStop) {
  duban::testing::TempDir dir;
  Served served(dir.file("duban.db"), 0, /*first_run=*/true);
  served.process.signal(SIGTERM);
  EXPECT_EQ(served.process.wait_for_exit(15s), std::optional<int>(0)) << served.process.err();
  EXPECT_NE(served.process.out().find("stopped"), std::string::npos);
}

TEST(WatchProcess, WatchResumesAfterTheServerRestartsWithoutGapOrRepeat) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("duban.db");
  auto first = std::make_unique<Served>(db, 0, true);
  const std::uint16_t port = first->port;
  const std::string token = first->token;
  ASSERT_FALSE(token.empty());
  std::int64_t start = 0;
  {
    HttpClient c("127.0.0.1", port);
    start = c.get("/healthz").json().at("position").as_int64();
  }
  ChildProcess watch(DUBAN_BINARY,
                     {"watch", "--from", std::to_string(start), "--json", "--max-events", "6",
                      "--token", token, "ws://127.0.0.1:" + std::to_string(port) + "/ws"});

  auto urge = [&](std::uint16_t p, const std::string& id) {
    HttpClient c("127.0.0.1", p);
    auto [task, version] = some_task(c, token);
    auto r = c.post(
        task_url(task, "urge"),
        R"({"command_id":")" + id + R"(","expected_version":)" + std::to_string(version) + "}",
        token);
    ASSERT_EQ(r.status, 200) << r.body;
  };
  for (int i = 0; i < 3; ++i) urge(port, "before-" + std::to_string(i));
  ASSERT_TRUE(watch.wait_for_line("\"position\":" + std::to_string(start + 3), 10s)) << watch.err();

  first->process.signal(SIGTERM);
  ASSERT_EQ(first->process.wait_for_exit(15s), std::optional<int>(0));
  first.reset();
  Served second(db, port, false);
  for (int i = 0; i < 3; ++i) urge(port, "after-" + std::to_string(i));

  ASSERT_EQ(watch.wait_for_exit(30s), std::optional<int>(0)) << watch.err();
  std::vector<std::int64_t> printed;
  std::istringstream lines(watch.out());
  for (std::string line; std::getline(lines, line);) {
    printed.push_back(json::parse(line).at("position").as_int64());
  }
  std::vector<std::int64_t> expected;
  for (std::int64_t p = start + 1; p <= start + 6; ++p) expected.push_back(p);
  EXPECT_EQ(printed, expected) << watch.err();
  EXPECT_NE(watch.err().find("1001 going away"), std::string::npos) << watch.err();
  EXPECT_NE(watch.err().find("reconnecting"), std::string::npos);
}

}  // namespace
}  // namespace duban::server::testing
