// The WebSocket push of `duban serve` (docs/protocol.md) over real sockets: authentication of the
// upgrade, replay from a position then caught_up then live events, resuming after a position,
// the unit / document / task / all filters and what a unit may subscribe to, checkpoints for
// sparse filters, ping, bad and oversized client messages (an error message, or 1009), a
// malformed frame (1002) that leaves the server serving, and the Cap'n Proto subprotocol.
#include <capnp/message.h>
#include <capnp/serialize.h>

#include "server/push/protocol.capnp.h"
#include "storage/event_codec.h"
#include "storage/schema/payload_codec.h"
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class WebSocketTest : public ServerTest {
 protected:
  // Reads event messages until `type` arrives; returns the events' positions.
  static std::vector<std::int64_t> events_until(WsClient& c, const std::string& type,
                                                std::int64_t* end_position = nullptr) {
    std::vector<std::int64_t> positions;
    for (;;) {
      WsMessage m = c.next();
      auto j = m.json();
      const std::string t = str(j.at("type"));
      if (t == "event") {
        positions.push_back(j.at("position").as_int64());
        continue;
      }
      if (t == type) {
        if (end_position) *end_position = j.at("position").as_int64();
        return positions;
      }
      ADD_FAILURE() << "unexpected message " << m.data;
    }
  }

  static std::vector<std::int64_t> range(std::int64_t first, std::int64_t last) {
    std::vector<std::int64_t> out;
    for (auto p = first; p <= last; ++p) out.push_back(p);
    return out;
  }
};

TEST_F(WebSocketTest, TheUpgradeNeedsAToken) {
  WsClient::Options none;
  EXPECT_EQ(WsClient::handshake_status("127.0.0.1", port, none), 401);
  WsClient::Options bad;
  bad.token = "dbn_nope";
  EXPECT_EQ(WsClient::handshake_status("127.0.0.1", port, bad), 401);
  WsClient::Options in_query;
  in_query.query = "?token=" + supervisor;
  EXPECT_EQ(WsClient::handshake_status("127.0.0.1", port, in_query), 101);
}

TEST_F(WebSocketTest, ReplayThenCaughtUpThenLiveInOrder) {
  create_task("T-1", {"fgw"});
  create_task("T-2", {"finance"});
  const auto before = head();
  auto c = ws(supervisor);
  auto hello = c.next().json();
  EXPECT_EQ(str(hello.at("type")), "hello");
  EXPECT_EQ(hello.at("head").as_int64(), before);
  EXPECT_EQ(str(hello.at("role")), "supervisor");
  subscribe(c, R"({"all":true})", 0);
  auto subscribed = c.next().json();
  EXPECT_EQ(str(subscribed.at("type")), "subscribed");
  EXPECT_EQ(subscribed.at("from").as_int64(), 0);
  std::int64_t caught = -1;
  EXPECT_EQ(events_until(c, "caught_up", &caught), range(1, before));
  EXPECT_EQ(caught, before);

  run(task::AcknowledgeTask{TaskId("T-1")}, task::Actor::of_unit(UnitId("fgw")));
  auto live = c.next().json();
  EXPECT_EQ(str(live.at("type")), "event");
  EXPECT_EQ(live.at("position").as_int64(), before + 1);
  EXPECT_EQ(str(live.at("event_type")), "TaskAcknowledged");
  EXPECT_EQ(str(live.at("task")), "T-1");
  EXPECT_EQ(str(live.at("stream")), "task/T-1");
  EXPECT_EQ(str(live.at("actor")), "unit:fgw");
  EXPECT_EQ(str(live.at("data").at("unit")), "fgw");
}

TEST_F(WebSocketTest, WithoutFromTheSubscriptionStartsLiveAtTheHead) {
  create_task("T-1", {"fgw"});
  auto c = ws(supervisor);
  c.next();  // hello
  subscribe(c, R"({"all":true})");
  EXPECT_EQ(str(c.next().json().at("type")), "subscribed");
  std::int64_t caught = -1;
  EXPECT_TRUE(events_until(c, "caught_up", &caught).empty());
  EXPECT_EQ(caught, head());
  run(task::UrgeTask{TaskId("T-1"), std::nullopt, "go"}, task::Actor::supervisor());
  EXPECT_EQ(c.next().json().at("position").as_int64(), head());
}

TEST_F(WebSocketTest, ResumingAfterAPositionSendsExactlyWhatFollows) {
  create_task("T-1", {"fgw"});
  create_task("T-2", {"fgw"});
  auto c = ws(supervisor);
  c.next();
  subscribe(c, R"({"all":true})", 4);
  c.next();
  EXPECT_EQ(events_until(c, "caught_up"), range(5, head()));
  // A position past the head does not come from this log.
  auto d = ws(supervisor);
  d.next();
  subscribe(d, R"({"all":true})", head() + 10);
  auto error = d.next().json();
  EXPECT_EQ(str(error.at("type")), "error");
  EXPECT_EQ(str(error.at("error")), "from_ahead");
}

TEST_F(WebSocketTest, AUnitSeesItsTasksFromTheEventThatAssignedItOn) {
  create_task("A", {"fgw"});
  create_task("B", {"finance"});
  const auto b_created = head();
  run(task::AcknowledgeTask{TaskId("B")}, task::Actor::of_unit(UnitId("finance")));
  run(
      task::ReassignTask{
          TaskId("B"), {UnitId("finance")}, {UnitId("fgw")}, std::nullopt, "help", std::nullopt},
      task::Actor::supervisor());
  const auto reassigned_last = head();
  auto c = ws(unit_token("fgw"));
  c.next();
  subscribe(c, R"({"unit":"fgw"})", 0);
  c.next();
  std::vector<std::string> seen;
  for (;;) {
    auto j = c.next().json();
    if (str(j.at("type")) == "caught_up") break;
    seen.push_back(str(j.at("task")) + ":" + str(j.at("event_type")));
    if (str(j.at("task")) == "B") {
      EXPECT_GT(j.at("position").as_int64(), b_created + 1);  // not B's creation nor finance's ack
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"A:TaskCreated", "A:UnitAssigned", "B:TaskReassigned",
                                            "B:UnitAssigned"}));
  EXPECT_EQ(reassigned_last, b_created + 3);
  // Live: an event on B now reaches fgw.
  run(task::UrgeTask{TaskId("B"), std::nullopt, "both of you"}, task::Actor::supervisor());
  auto live = c.next().json();
  EXPECT_EQ(str(live.at("event_type")), "TaskUrged");
}

TEST_F(WebSocketTest, TaskAndDocumentFiltersSelectTheirEvents) {
  create_task("D1-a", {"fgw"}, {}, std::nullopt, "doc-1");
  create_task("D2-a", {"fgw"}, {}, std::nullopt, "doc-2");
  create_task("D1-b", {"finance"}, {}, std::nullopt, "doc-1");
  auto by_task = ws(supervisor);
  by_task.next();
  subscribe(by_task, R"({"task":"D2-a"})", 0);
  by_task.next();
  EXPECT_EQ(events_until(by_task, "caught_up"), range(3, 4));

  auto by_doc = ws(supervisor);
  by_doc.next();
  subscribe(by_doc, R"({"document":"doc-1"})", 0);
  by_doc.next();
  EXPECT_EQ(events_until(by_doc, "caught_up"), (std::vector<std::int64_t>{1, 2, 5, 6}));

  // A unit's document filter shows only its own tasks of the document.
  auto unit_doc = ws(unit_token("finance"));
  unit_doc.next();
  subscribe(unit_doc, R"({"document":"doc-1"})", 0);
  unit_doc.next();
  EXPECT_EQ(events_until(unit_doc, "caught_up"), range(5, 6));
}

TEST_F(WebSocketTest, UnitsMaySubscribeOnlyToWhatTheyMaySee) {
  create_task("F-1", {"finance"});
  auto c = ws(unit_token("fgw"));
  c.next();
  for (const std::string filter :
       {R"({"all":true})", R"({"unit":"finance"})", R"({"task":"F-1"})"}) {
    subscribe(c, filter, 0);
    auto j = c.next().json();
    EXPECT_EQ(str(j.at("type")), "error") << filter;
    EXPECT_EQ(str(j.at("error")), "forbidden") << filter;
  }
  subscribe(c, R"({"unit":"fgw"})", 0);
  EXPECT_EQ(str(c.next().json().at("type")), "subscribed");
}

TEST_F(WebSocketTest, SparseFiltersGetCheckpointsSoTheirResumePositionAdvances) {
  create_task("Quiet", {"fgw"});
  auto c = ws(supervisor);
  c.next();
  subscribe(c, R"({"task":"Quiet"})");
  c.next();
  events_until(c, "caught_up");
  create_task("Busy", {"finance"});
  run(task::UrgeTask{TaskId("Busy"), std::nullopt, "x"}, task::Actor::supervisor());
  const auto now = head();
  std::int64_t checkpoint = -1;
  EXPECT_TRUE(events_until(c, "checkpoint", &checkpoint).empty());
  EXPECT_EQ(checkpoint, now);
}

TEST_F(WebSocketTest, PingIsAnsweredAndBadMessagesGetErrorsWithoutClosing) {
  create_task("P-1", {"fgw"});
  auto c = ws(supervisor);
  c.next();
  c.send_text(R"({"type":"ping"})");
  auto pong = c.next().json();
  EXPECT_EQ(str(pong.at("type")), "pong");
  EXPECT_EQ(pong.at("position").as_int64(), head());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"not json", "bad_message"},
      {"[1]", "bad_message"},
      {R"({"type":"dance"})", "bad_message"},
      {R"({"type":"subscribe"})", "bad_message"},
      {R"({"type":"subscribe","filter":{"unit":""}})", "bad_message"},
      {R"({"type":"subscribe","filter":{"all":true},"from":-3})", "bad_message"},
      {R"({"type":"subscribe","filter":{"all":true},"extra":1})", "bad_message"},
      {R"({"type":"unsubscribe"})", "not_subscribed"},
  };
  for (const auto& [message, code] : bad) {
    c.send_text(message);
    auto j = c.next().json();
    EXPECT_EQ(str(j.at("type")), "error") << message;
    EXPECT_EQ(str(j.at("error")), code) << message;
  }
  subscribe(c, R"({"all":true})", 0);
  EXPECT_EQ(str(c.next().json().at("type")), "subscribed");
  events_until(c, "caught_up");
  subscribe(c, R"({"all":true})", 0);
  EXPECT_EQ(str(c.next().json().at("error")), "already_subscribed");
  c.send_text(R"({"type":"unsubscribe"})");
  EXPECT_EQ(str(c.next().json().at("type")), "unsubscribed");
  auto metrics = http().get("/metrics").body;
  EXPECT_NE(metrics.find("duban_ws_client_errors_total 9"), std::string::npos) << metrics;
}

TEST_F(WebSocketTest, OversizedMessagesGetAnErrorAndHugeOnesClose1009) {
  auto c = ws(supervisor);
  c.next();
  c.send_text(std::string(20 * 1024, ' '));
  auto j = c.next().json();
  EXPECT_EQ(str(j.at("error")), "message_too_large");
  c.send_text(R"({"type":"ping"})");
  EXPECT_EQ(str(c.next().json().at("type")), "pong");
  // The header of a masked 2 MiB text frame: the server refuses it on sight, before any payload.
  std::string header = "\x81\xff";
  const std::uint64_t size = 2 * 1024 * 1024;
  for (int shift = 56; shift >= 0; shift -= 8) header.push_back(static_cast<char>(size >> shift));
  header += std::string("\x01\x02\x03\x04", 4);
  c.send_raw(header);
  try {
    c.next();
    ADD_FAILURE() << "the connection stayed open";
  } catch (const WsClosed& closed) {
    EXPECT_EQ(closed.code, 1009);
  }
  EXPECT_EQ(http().get("/healthz").status, 200);
}

TEST_F(WebSocketTest, AMalformedFrameClosesThatConnectionWith1002Only) {
  auto c = ws(supervisor);
  c.next();
  // A text frame without the mask every client frame must carry (RFC 6455 5.1).
  c.send_raw(std::string("\x81\x05hello", 7));
  try {
    c.next();
    ADD_FAILURE() << "the connection stayed open";
  } catch (const WsClosed& closed) {
    EXPECT_EQ(closed.code, 1002);
  }
  auto other = ws(supervisor);
  EXPECT_EQ(str(other.next().json().at("type")), "hello");
}

TEST_F(WebSocketTest, TheCapnpSubprotocolCarriesTheSameMessagesAsBinaryFrames) {
  create_task("K-1", {"fgw"});
  auto c = ws(supervisor, "duban.capnp.v1");
  EXPECT_EQ(c.subprotocol(), "duban.capnp.v1");
  auto read = [&] {
    WsMessage m = c.next();
    EXPECT_TRUE(m.binary);
    auto reader = storage::PayloadReader::open(m.data);
    if (!reader) throw std::runtime_error(reader.error().message);
    return std::move(*reader);
  };
  {
    auto hello = read();
    auto root = hello.root<wire::ServerMessage>();
    ASSERT_EQ(root.which(), wire::ServerMessage::HELLO);
    EXPECT_EQ(root.getHello().getHead(), head());
    EXPECT_EQ(std::string(root.getHello().getRole().cStr()), "supervisor");
  }
  capnp::MallocMessageBuilder subscribe_message;
  auto sub = subscribe_message.initRoot<wire::ClientMessage>().initSubscribe();
  sub.initFilter().setTask("K-1");
  sub.setFrom(0);
  c.send_binary(storage::encode_payload(subscribe_message));
  {
    auto subscribed = read();
    ASSERT_EQ(subscribed.root<wire::ServerMessage>().which(), wire::ServerMessage::SUBSCRIBED);
  }
  for (std::int64_t position = 1; position <= 2; ++position) {
    auto msg = read();
    auto root = msg.root<wire::ServerMessage>();
    ASSERT_EQ(root.which(), wire::ServerMessage::EVENT);
    auto e = root.getEvent();
    EXPECT_EQ(e.getPosition(), position);
    EXPECT_EQ(std::string(e.getTask().cStr()), "K-1");
    auto payload = e.getPayload();
    auto decoded = storage::decode_event(
        e.getEventType().cStr(), e.getSchemaVersion(),
        std::string_view(reinterpret_cast<const char*>(payload.begin()), payload.size()));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    if (position == 1) {
      EXPECT_EQ(std::get<task::TaskCreated>(*decoded).task.str(), "K-1");
    } else {
      EXPECT_EQ(std::get<task::UnitAssigned>(*decoded).unit.str(), "fgw");
    }
  }
  {
    auto caught = read();
    auto root = caught.root<wire::ServerMessage>();
    ASSERT_EQ(root.which(), wire::ServerMessage::CAUGHT_UP);
    EXPECT_EQ(root.getCaughtUp(), head());
  }
  // A JSON text frame is understood on a capnp connection too, and a broken binary one is an
  // error message.
  c.send_binary("\x01\x02\x03");
  {
    auto error = read();
    auto root = error.root<wire::ServerMessage>();
    ASSERT_EQ(root.which(), wire::ServerMessage::ERROR);
    EXPECT_EQ(std::string(root.getError().getCode().cStr()), "bad_message");
  }
  c.send_text(R"({"type":"ping"})");
  EXPECT_EQ(read().root<wire::ServerMessage>().which(), wire::ServerMessage::PONG);
}

}  // namespace
}  // namespace duban::server::testing
