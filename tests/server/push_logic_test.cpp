// The push path's pure parts, without sockets: the routing index (which units see an event at
// a position), filter matching for each principal, and the client message decoder, which must
// turn any bytes (random, or mutations of valid JSON and Cap'n Proto messages) into a message or
// a bad_message error, never a crash.
#include <gtest/gtest.h>

#include <capnp/message.h>

#include <random>

#include "server/push/filter.h"
#include "server/push/protocol.capnp.h"
#include "server/push/routing_index.h"
#include "server/push/wire.h"
#include "storage/schema/payload_codec.h"

namespace duban::server::push {
namespace {

task::TaskCreated created(std::vector<std::string> leads, std::string document = "doc") {
  task::TaskCreated c;
  c.task = TaskId("T");
  c.provenance.document = DocumentId(std::move(document));
  for (auto& u : leads) c.leads.emplace_back(u);
  return c;
}

TEST(RoutingIndex, UnitsSeeATaskFromThePositionThatFirstAssignedThem) {
  RoutingIndex index;
  index.fold(GlobalPosition(1), "T", created({"fgw"}));
  index.fold(GlobalPosition(2), "T", task::UnitAssigned{UnitId("fgw"), task::Role::kLead, {}});
  task::TaskReassigned r;
  r.new_leads = {UnitId("fgw")};
  r.new_participants = {UnitId("finance")};
  index.fold(GlobalPosition(7), "T", r);
  index.fold(GlobalPosition(9), "T", task::TaskUrged{std::nullopt, "go"});

  EXPECT_EQ(index.route("T", GlobalPosition(1)).units, std::vector<UnitId>{UnitId("fgw")});
  EXPECT_EQ(index.route("T", GlobalPosition(6)).units, std::vector<UnitId>{UnitId("fgw")});
  EXPECT_EQ(index.route("T", GlobalPosition(7)).units,
            (std::vector<UnitId>{UnitId("fgw"), UnitId("finance")}));
  EXPECT_EQ(index.route("T", GlobalPosition(7)).document, "doc");
  EXPECT_TRUE(index.ever_assigned("T", UnitId("finance")));
  EXPECT_FALSE(index.ever_assigned("T", UnitId("commerce")));
  EXPECT_TRUE(index.route("unknown", GlobalPosition(9)).units.empty());
}

TEST(Filter, EachFilterMatchesWhatItsPrincipalMaySee) {
  PushedEvent task_event;
  task_event.task = "T";
  task_event.document = "D";
  task_event.units = {UnitId("fgw")};
  PushedEvent document_event;
  document_event.document = "D";
  const Principal sup = Principal::supervisor();
  const Principal fgw = Principal::of_unit(UnitId("fgw"));
  const Principal other = Principal::of_unit(UnitId("finance"));

  const Filter all{Filter::Kind::kAll, ""};
  EXPECT_TRUE(matches(all, sup, task_event));
  EXPECT_FALSE(matches(all, fgw, task_event));
  const Filter unit{Filter::Kind::kUnit, "fgw"};
  EXPECT_TRUE(matches(unit, fgw, task_event));
  EXPECT_TRUE(matches(unit, sup, task_event));
  EXPECT_FALSE(matches(unit, other, task_event));
  EXPECT_FALSE(matches(unit, fgw, document_event));
  const Filter task{Filter::Kind::kTask, "T"};
  EXPECT_TRUE(matches(task, fgw, task_event));
  EXPECT_FALSE(matches(task, other, task_event));
  const Filter doc{Filter::Kind::kDocument, "D"};
  EXPECT_TRUE(matches(doc, other, document_event));
  EXPECT_FALSE(matches(doc, other, task_event));
  EXPECT_TRUE(matches(doc, fgw, task_event));
  EXPECT_FALSE(matches(Filter{Filter::Kind::kDocument, "E"}, sup, task_event));
}

TEST(ClientMessages, ValidMessagesDecodeInBothFormats) {
  auto json =
      parse_client_message(R"({"type":"subscribe","filter":{"task":"T"},"from":12})", false);
  ASSERT_TRUE(json.ok()) << json.error().message;
  EXPECT_EQ(json->kind, ClientMessage::Kind::kSubscribe);
  EXPECT_EQ(json->filter, (Filter{Filter::Kind::kTask, "T"}));
  EXPECT_EQ(json->from, GlobalPosition(12));

  capnp::MallocMessageBuilder b;
  auto s = b.initRoot<wire::ClientMessage>().initSubscribe();
  s.initFilter().setUnit("fgw");
  auto capnp = parse_client_message(storage::encode_payload(b), true);
  ASSERT_TRUE(capnp.ok()) << capnp.error().message;
  EXPECT_EQ(capnp->filter, (Filter{Filter::Kind::kUnit, "fgw"}));
  EXPECT_FALSE(capnp->from.has_value());  // the default -1: live from the head
}

TEST(ClientMessages, AnyBytesDecodeToAMessageOrABadMessageErrorNeverACrash) {
  capnp::MallocMessageBuilder b;
  auto s = b.initRoot<wire::ClientMessage>().initSubscribe();
  s.initFilter().setDocument("青政办〔2015〕151号");
  s.setFrom(99);
  const std::string valid_capnp = storage::encode_payload(b);
  const std::string valid_json = R"({"type":"subscribe","filter":{"document":"青政办"},"from":3})";
  std::mt19937 rng(20160104);
  int decoded = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string bytes;
    const bool binary = round % 2 == 0;
    if (round % 3 == 0) {
      bytes.resize(rng() % 64);
      for (auto& c : bytes) c = static_cast<char>(rng());
    } else {
      bytes = binary ? valid_capnp : valid_json;
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) {
        const std::size_t at = rng() % bytes.size();
        switch (rng() % 3) {
          case 0:
            bytes[at] = static_cast<char>(rng());
            break;
          case 1:
            bytes.erase(at, 1 + rng() % 8);
            break;
          default:
            bytes.insert(at, 1, static_cast<char>(rng()));
            break;
        }
        if (bytes.empty()) break;
      }
    }
    auto m = parse_client_message(bytes, binary);
    if (m.ok())
      ++decoded;
    else
      EXPECT_EQ(m.error().code, "bad_message");
  }
  EXPECT_GT(decoded, 0);  // some mutations stay valid; the point is that none crashed
}

}  // namespace
}  // namespace duban::server::push
