// `duban watch`'s pure parts: which URLs it accepts, and the readable line it prints for an
// event message (data fields kept, bulky ones left out).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "clients/watch/event_line.h"
#include "clients/watch/watch_url.h"

namespace duban::clients {
namespace {

TEST(WatchUrl, WsAndHttpUrlsWithAPortAreAccepted) {
  auto u = parse_watch_url("ws://127.0.0.1:8080/ws");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 8080);
  EXPECT_EQ(u->path, "/ws");
  auto h = parse_watch_url("http://localhost:9000");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->host, "localhost");
  EXPECT_EQ(h->path, "/ws");
  EXPECT_EQ(parse_watch_url("ws://example.org")->port, 80);
  EXPECT_FALSE(parse_watch_url("wss://127.0.0.1:8080/ws"));
  EXPECT_FALSE(parse_watch_url("127.0.0.1:8080"));
  EXPECT_FALSE(parse_watch_url("ws://:8080/ws"));
  EXPECT_FALSE(parse_watch_url("ws://127.0.0.1:99999/ws"));
  EXPECT_FALSE(parse_watch_url("ws://127.0.0.1:x/ws"));
}

TEST(EventLine, ShowsPositionTaskTypeActorAndTheDataFields) {
  auto m = boost::json::parse(R"({"type":"event","position":1424,"stream":"task/T-1","version":9,
      "event_type":"TaskReassigned","recorded_at":"2016-01-04T02:00:00.000Z","actor":"supervisor",
      "command_id":"c","task":"T-1","document":"D",
      "data":{"old_leads":["fgw"],"new_leads":["fgw","finance"],"new_participants":[],
              "reason":"help","document_version":null}})")
               .as_object();
  EXPECT_EQ(event_line(m),
            "#1424 2016-01-04T02:00:00.000Z task T-1 v9 TaskReassigned by supervisor: "
            "old_leads=fgw new_leads=fgw,finance reason=help");
  auto doc = boost::json::parse(R"({"type":"event","position":1,"stream":"document/D","version":1,
      "event_type":"DocumentRegistered","recorded_at":"t","actor":"supervisor","document":"D",
      "data":{"document":"D","version":1,"content_hash":"sha256:ab"}})")
                 .as_object();
  EXPECT_EQ(event_line(doc),
            "#1 t document D v1 DocumentRegistered by supervisor: document=D version=1");
}

}  // namespace
}  // namespace duban::clients
