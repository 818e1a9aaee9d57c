// Bounded memory against WebSocket clients that push (docs/protocol.md, "Limits"): a client that
// sends pings or forbidden subscribes and never reads the replies has its reads paused at the
// per-connection byte budget and, past the grace, is closed with 1008 and a reason, its queue
// never much above the budget and returned at the close; a client that sends a burst and then
// reads gets every reply, in order; pings beyond the rate get rate_limited; a normal subscriber
// on the same server keeps receiving throughout. And the dispatcher's ring stays under its byte
// bound, older events replaying from the store.
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

constexpr std::size_t kBudget = 8 * 1024;
// A reply of one client message may take the queue past the budget before reads pause.
constexpr std::int64_t kSlack = 1024;

const std::string kForbiddenSubscribe = R"({"type":"subscribe","filter":{"all":true}})";
const std::string kPing = R"({"type":"ping"})";

class SendBudgetTest : public ServerTest {
 protected:
  void SetUp() override {}

  void start(std::chrono::milliseconds grace) {
    ServerOptions o = test_options();
    o.ws_send_budget = kBudget;
    o.ws_budget_grace = grace;
    o.ws_pings_per_second = 5;
    o.socket_send_buffer = 4096;  // small kernel buffers: the queue fills after a few KB
    start_server(o);
    create_task("B-1", {"fgw"});
  }

  std::int64_t metric(const std::string& name) {
    const auto body = http().get("/metrics").body;
    const auto at = body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stoll(body.substr(at + name.size() + 2));
  }

  // Polls /metrics until `name` reaches `at_least`; false after `timeout`.
  bool wait_metric(const std::string& name, std::int64_t at_least,
                   std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (metric(name) >= at_least) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  bool wait_metric_at_most(const std::string& name, std::int64_t at_most,
                           std::chrono::milliseconds timeout = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (metric(name) <= at_most) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  WsClient hostile() {
    WsClient::Options o;
    o.token = unit_token("fgw");
    o.receive_buffer = 4096;
    WsClient c("127.0.0.1", port, o);
    c.next();  // hello
    return c;
  }

  WsClient normal_subscriber() {
    WsClient c = ws(supervisor);
    c.next();  // hello
    subscribe(c, R"({"all":true})");
    read_until(c, "caught_up");
    return c;
  }

  // A command whose event the normal subscriber must receive within a few seconds.
  void expect_live_event(WsClient& c) {
    const auto outcome =
        run(task::UrgeTask{TaskId("B-1"), std::nullopt, "go"}, task::Actor::supervisor());
    const auto m = read_until(c, "event");
    EXPECT_EQ(m.json().at("position").as_int64(), outcome.last.value());
  }

  // Reads what the hostile client was sent until the close; returns the close code.
  static int read_to_close(WsClient& c, std::string* reason) {
    for (int i = 0; i < 100000; ++i) {
      try {
        if (!c.read(5s)) return -1;
      } catch (const WsClosed& closed) {
        if (reason) *reason = closed.what();
        return closed.code;
      }
    }
    return -1;
  }

  // Sends `message` `n` times without reading, then leaves the connection alone until the
  // server gives up on it; checks the close and the queue's bound.
  void expect_closed_for_not_reading(const std::string& message, int n) {
    start(300ms);
    WsClient normal = normal_subscriber();
    WsClient bad = hostile();
    for (int i = 0; i < n; ++i) bad.send_text(message);

    // Meanwhile the normal client is served.
    expect_live_event(normal);

    ASSERT_TRUE(wait_metric("duban_ws_budget_closes_total", 1)) << "the client was not closed";
    const std::int64_t peak = metric("duban_ws_queued_bytes_peak");
    EXPECT_GE(peak, static_cast<std::int64_t>(kBudget));           // the budget was reached...
    EXPECT_LE(peak, static_cast<std::int64_t>(kBudget) + kSlack);  // ...and held

    std::string reason;
    EXPECT_EQ(read_to_close(bad, &reason), 1008);
    EXPECT_NE(reason.find("send budget exceeded"), std::string::npos) << reason;

    // The memory is given back: nothing queued, the connection gone; the other one still live.
    EXPECT_TRUE(wait_metric_at_most("duban_ws_connections", 1));
    EXPECT_EQ(metric("duban_ws_queued_bytes"), 0);
    expect_live_event(normal);
  }
};

TEST_F(SendBudgetTest, AClientSendingForbiddenSubscribesWithoutReadingIsClosedWith1008) {
  expect_closed_for_not_reading(kForbiddenSubscribe, 1000);
}

TEST_F(SendBudgetTest, AClientSendingPingsWithoutReadingIsClosedWith1008) {
  expect_closed_for_not_reading(kPing, 1500);
}

TEST_F(SendBudgetTest, AClientThatReadsAfterABurstGetsEveryReplyInOrder) {
  start(10s);  // a long grace: the client reads well within it
  WsClient c = hostile();
  constexpr int kBurst = 600;  // ~70 KB of replies: several times the budget and the buffers
  for (int i = 0; i < kBurst; ++i) {
    c.send_text(R"({"type":"subscribe","filter":{"unit":"other-)" + std::to_string(i) + R"("}})");
  }
  // The replies exceed the budget and the buffers many times over: reads pause. (Waited for
  // before reading: a client reading at once could keep pace with a slow server, under ASan
  // say, so that nothing ever queued up.)
  ASSERT_TRUE(wait_metric("duban_ws_reads_paused_total", 1)) << "reads were never paused";
  // They resume as the client reads: every subscribe is answered, in the order sent, and the
  // connection stays open.
  for (int i = 0; i < kBurst; ++i) {
    const auto m = c.next().json();
    ASSERT_EQ(m.at("error").as_string(), "forbidden");
    ASSERT_NE(std::string(m.at("message").as_string()).find("(fgw)"), std::string::npos);
  }
  EXPECT_EQ(metric("duban_ws_budget_closes_total"), 0);
  EXPECT_LE(metric("duban_ws_queued_bytes_peak"), static_cast<std::int64_t>(kBudget) + kSlack);
  c.send_text(kPing);
  EXPECT_EQ(read_until(c, "pong").type(), "pong");
}

TEST_F(SendBudgetTest, PingsBeyondTheRateAreAnsweredWithRateLimited) {
  start(10s);
  WsClient c = hostile();
  constexpr int kPings = 40;
  for (int i = 0; i < kPings; ++i) c.send_text(kPing);
  int pongs = 0, limited = 0;
  for (int i = 0; i < kPings; ++i) {
    const auto m = c.next().json();
    if (m.at("type").as_string() == "pong") ++pongs;
    if (m.at("type").as_string() == "error" && m.at("error").as_string() == "rate_limited") {
      ++limited;
    }
  }
  EXPECT_EQ(pongs + limited, kPings);
  EXPECT_GE(pongs, 5);   // the bucket's first five...
  EXPECT_LE(pongs, 15);  // ...and what refilled while the pings arrived (5 a second)
  EXPECT_EQ(metric("duban_ws_pings_limited_total"), limited);
  // The bucket refills: a ping a second later is answered.
  std::this_thread::sleep_for(1s);
  c.send_text(kPing);
  EXPECT_EQ(c.next().type(), "pong");
}

TEST_F(SendBudgetTest, TheRingStaysUnderItsByteBoundAndOlderEventsReplayFromTheStore) {
  ServerOptions o = test_options();
  o.ring_max_bytes = 32 * 1024;
  start_server(o);
  create_task("R-1", {"fgw"});
  const std::int64_t start_at = head();
  constexpr int kEvents = 40;
  for (int i = 0; i < kEvents; ++i) {  // ~4 KB each in JSON and as much again in capnp
    run(task::ReportProgress{TaskId("R-1"), std::string(4000, 'n') + std::to_string(i),
                             std::nullopt},
        task::Actor::of_unit(UnitId("fgw")));
  }
  ASSERT_TRUE(wait_metric("duban_log_position", start_at + kEvents));
  const std::int64_t ring_bytes = metric("duban_push_ring_bytes");
  EXPECT_GT(ring_bytes, 0);
  EXPECT_LE(ring_bytes, 32 * 1024);
  EXPECT_LT(metric("duban_push_ring_events"), kEvents);

  // A subscriber from before those events gets every one, in order, from the store and the ring.
  WsClient c = ws(supervisor);
  c.next();  // hello
  subscribe(c, R"({"all":true})", start_at);
  std::vector<std::int64_t> positions;
  std::vector<WsMessage> skipped;
  read_until(c, "caught_up", &skipped);
  for (const auto& m : skipped) {
    if (m.type() == "event") positions.push_back(m.json().at("position").as_int64());
  }
  ASSERT_EQ(positions.size(), static_cast<std::size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) EXPECT_EQ(positions[i], start_at + 1 + i);
}

}  // namespace
}  // namespace duban::server::testing
