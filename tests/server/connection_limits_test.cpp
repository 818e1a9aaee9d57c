// Hostile connections (issue 13): authentication is decided from the header, before any body
// byte is read (a client announcing an 8 MiB body without a good token gets its 401 at once),
// and connections are capped in all and per remote address (503 too_many_connections), WebSocket
// connections included until they close. Memory a large connection held goes back to the system
// (malloc_trim) when it closes.
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

class HeaderAuthTest : public ServerTest {};

// A header announcing an 8 MiB gazette: the body never follows.
const std::string kBigIngestHeader =
    "POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/markdown\r\n"
    "Content-Length: 8388608\r\n";

TEST_F(HeaderAuthTest, AMissingTokenIsRefusedBeforeAnyBodyByteIsRead) {
  duban::testing::RawConnection raw("127.0.0.1", port);
  raw.write(kBigIngestHeader + "\r\n");
  auto r = raw.read_response(3s);  // the server does not wait for the 8 MiB
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(str(r.json().at("error")), "unauthorized");
  EXPECT_TRUE(raw.closed_by_peer(3s));  // the unread body is not taken as the next request
}

TEST_F(HeaderAuthTest, AnUnknownTokenIsRefusedBeforeAnyBodyByteIsRead) {
  duban::testing::RawConnection raw("127.0.0.1", port);
  raw.write(kBigIngestHeader + "Authorization: Bearer dbn_not-a-token\r\n\r\n");
  EXPECT_EQ(raw.read_response(3s).status, 401);
  // A unit token may not ingest: refused from the header too.
  duban::testing::RawConnection unit("127.0.0.1", port);
  unit.write(kBigIngestHeader + "Authorization: Bearer " + unit_token("fgw") + "\r\n\r\n");
  EXPECT_EQ(unit.read_response(3s).status, 403);
}

TEST_F(HeaderAuthTest, AGoodTokenStillSendsItsBody) {
  duban::testing::RawConnection raw("127.0.0.1", port);
  const std::string body = R"({"command_id":"c","expected_version":0,"task":"N-1",
      "provenance":{"document":"d"},"leads":["fgw"]})";
  raw.write("POST /api/v1/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
            supervisor + "\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n");
  std::this_thread::sleep_for(100ms);
  raw.write(body);
  auto r = raw.read_response(3s);
  EXPECT_EQ(r.status, 200) << r.body;
}

class ConnectionCapTest : public ServerTest {
 protected:
  void SetUp() override {}
  void start(std::size_t total, std::size_t per_address) {
    ServerOptions o = test_options();
    o.max_connections = total;
    o.max_connections_per_address = per_address;
    start_server(o);
  }
  // Whether a new connection is served: a GET /healthz answered 200.
  bool served() {
    duban::testing::RawConnection raw("127.0.0.1", port);
    raw.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    try {
      return raw.read_response(3s).status == 200;
    } catch (const std::exception&) {
      return false;
    }
  }
  bool served_soon() {
    for (int i = 0; i < 40; ++i) {
      if (served()) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
};

TEST_F(ConnectionCapTest, ConnectionsFromOneAddressAreCapped) {
  start(100, 3);
  std::vector<std::unique_ptr<duban::testing::RawConnection>> idle;
  for (int i = 0; i < 3; ++i)
    idle.push_back(std::make_unique<duban::testing::RawConnection>("127.0.0.1", port));
  duban::testing::RawConnection extra("127.0.0.1", port);
  auto r = extra.read_response(3s);  // answered without asking
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(str(r.json().at("error")), "too_many_connections");
  EXPECT_TRUE(extra.closed_by_peer(3s));
  idle.pop_back();  // a slot frees when a connection closes
  EXPECT_TRUE(served_soon());
}

TEST_F(ConnectionCapTest, ConnectionsInAllAreCapped) {
  start(2, 100);
  duban::testing::RawConnection a("127.0.0.1", port), b("127.0.0.1", port);
  EXPECT_FALSE(served());
}

TEST_F(ConnectionCapTest, WebSocketsCountAgainstTheCapsUntilTheyClose) {
  start(100, 2);
  auto a = std::make_unique<WsClient>(ws(supervisor));
  auto b = std::make_unique<WsClient>(ws(supervisor));
  // Two upgraded connections hold both of this address's slots.
  EXPECT_FALSE(served());
  WsClient::Options o;
  o.token = supervisor;
  EXPECT_NE(WsClient::handshake_status("127.0.0.1", port, o), 101);
  b->close();
  b.reset();
  EXPECT_TRUE(served_soon());  // released at close
}

TEST_F(ConnectionCapTest, WebSocketsCountAgainstTheTotalCap) {
  start(1, 100);
  WsClient a = ws(supervisor);
  EXPECT_FALSE(served());
}

// The gauge of /metrics named `name` (0 when absent).
std::int64_t metric(HttpClient& c, const std::string& name) {
  const auto body = c.get("/metrics").body;
  const auto at = body.find("\n" + name + " ");
  if (at == std::string::npos) return 0;
  return std::stoll(body.substr(at + name.size() + 2));
}

class HeapTrimTest : public ServerTest {};

TEST_F(HeapTrimTest, ALargeConnectionClosingReturnsFreeHeapToTheSystem) {
  auto c = http();
  const auto before = metric(c, "duban_heap_trims_total");
  {
    // A big body (over HeapTrim::kLargeConnection, a gazette that is not one) on a connection
    // of its own.
    HttpClient big("127.0.0.1", port);
    const std::string text(1500 * 1024, 'x');
    auto r = big.request("POST", "/api/v1/documents", text, supervisor, "text/markdown");
    EXPECT_NE(r.status, 0);
  }
  bool trimmed = false;
  for (int i = 0; i < 100 && !trimmed; ++i) {
    trimmed = metric(c, "duban_heap_trims_total") > before;
    if (!trimmed) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(trimmed);
}

TEST_F(HeapTrimTest, AnIdleServerTrimsAfterConnectionsClosed) {
  {
    auto c = http();
    EXPECT_EQ(c.get("/healthz").status, 200);
  }
  // No connection open: the next checkpoint tick (200 ms here) trims.
  bool trimmed = false;
  for (int i = 0; i < 100 && !trimmed; ++i) {
    trimmed = server->metrics().heap_trims.load() > 0;
    if (!trimmed) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(trimmed);
}

}  // namespace
}  // namespace duban::server::testing
