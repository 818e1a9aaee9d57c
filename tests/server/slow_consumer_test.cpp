// A WebSocket client that stops reading while the log grows: the server keeps at most its send
// queue's bound of messages for it (memory stays bounded, /metrics shows it), does not slow the
// writers down, and once the client reads again it gets fell_behind, the missed events replayed
// from the store, caught_up, and live events, with every position exactly once and in order.
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

constexpr std::size_t kSendQueue = 8;

class SlowConsumerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerOptions o = test_options();
    o.ring_capacity = 32;
    o.page_size = 16;
    o.ws_send_queue = kSendQueue;
    o.socket_send_buffer = 4096;  // small kernel buffers: the queue fills after a few messages
    start_server(o);
    for (int i = 0; i < 8; ++i) create_task("S-" + std::to_string(i), {"fgw"});
  }

  // Appends `n` events from several threads (the store's group commit keeps this quick).
  void append(int n) {
    std::vector<std::thread> writers;
    for (int w = 0; w < 4; ++w) {
      writers.emplace_back([this, w, n] {
        for (int i = w; i < n; i += 4) {
          auto done = service->execute(
              task::ReportProgress{TaskId("S-" + std::to_string(w)),
                                   std::string(300, 'x') + std::to_string(i), std::nullopt},
              task::Actor::of_unit(UnitId("fgw")), CommandId("p-" + std::to_string(i)));
          EXPECT_TRUE(done.ok()) << done.error().message;
        }
      });
    }
    for (auto& t : writers) t.join();
  }

  std::int64_t gauge(const std::string& name) {
    const auto body = http().get("/metrics").body;
    const auto at = body.find("\n" + name + " ");
    if (at == std::string::npos) return -1;
    return std::stoll(body.substr(at + name.size() + 2));
  }
};

TEST_F(SlowConsumerTest, AClientThatStopsReadingFallsBehindThenCatchesUpFromTheStore) {
  WsClient::Options o;
  o.token = supervisor;
  o.receive_buffer = 4096;
  WsClient c("127.0.0.1", port, o);
  c.next();  // hello
  subscribe(c, R"({"all":true})");
  c.next();  // subscribed
  const std::int64_t start =
      json::value_to<std::int64_t>(c.next().json().at("position"));  // caught_up

  // The client reads nothing while 400 events (~200 KB) are appended: far more than its queue,
  // the kernel buffers and the dispatcher's ring hold.
  append(400);
  const std::int64_t end = head();
  ASSERT_EQ(end, start + 400);
  std::this_thread::sleep_for(200ms);
  const auto queued = gauge("duban_ws_queued_messages");
  EXPECT_GE(queued, 1);
  EXPECT_LE(queued, static_cast<std::int64_t>(kSendQueue) + 2);  // + control messages

  // Reading again: everything after `start`, in order, once; fell_behind before the replay.
  // (caught_up may come before `end` when the dispatcher has not read the last appends yet; they
  // follow live.)
  std::vector<std::int64_t> positions;
  bool fell_behind = false, caught_up = false;
  while (!caught_up || positions.empty() || positions.back() < end) {
    auto j = c.next(10s).json().as_object();
    const std::string type(j.at("type").as_string());
    if (type == "event") positions.push_back(j.at("position").as_int64());
    if (type == "fell_behind") {
      fell_behind = true;
      EXPECT_FALSE(caught_up);
      EXPECT_EQ(j.at("position").as_int64(), start + static_cast<std::int64_t>(positions.size()));
    }
    if (type == "caught_up") {
      caught_up = true;
      EXPECT_EQ(j.at("position").as_int64(), start + static_cast<std::int64_t>(positions.size()));
    }
  }
  EXPECT_TRUE(fell_behind);
  ASSERT_EQ(positions.size(), 400u);
  for (std::size_t i = 0; i < positions.size(); ++i) {
    ASSERT_EQ(positions[i], start + 1 + static_cast<std::int64_t>(i));
  }
  EXPECT_GE(gauge("duban_ws_fell_behind_total"), 1);
  EXPECT_GE(gauge("duban_ws_replay_pages_total"), 1);

  // And live again afterwards.
  run(task::UrgeTask{TaskId("S-0"), std::nullopt, "again"}, task::Actor::supervisor());
  auto live = c.next().json();
  EXPECT_EQ(live.at("position").as_int64(), end + 1);
}

}  // namespace
}  // namespace duban::server::testing
