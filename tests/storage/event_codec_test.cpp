// The event codec (storage/event_codec.h): every domain event type round-trips through its
// Cap'n Proto payload, alone and through a real SQLite store; optional fields keep "absent"
// apart from zero and empty; the envelope gets the type name, schema version and actor; and
// payloads this build cannot read (unknown type, newer schema version, malformed bytes, an
// enumerant outside the schema) are bad_payload values naming the event. The payload structs
// match the event declarations (named after kType, one field per field) and the samples set
// every payload field, so the round trips exercise every write and read.
#include <gtest/gtest.h>

#include <capnp/dynamic.h>

#include <set>

#include "storage/event_codec.h"
#include "storage/schema/event_schemas.h"
#include "storage/schema/events.capnp.h"
#include "storage/schema/payload_codec.h"
#include "storage/sqlite_event_store.h"
#include "storage/store_errc.h"
#include "tests/storage/event_samples.h"
#include "tests/support/temp_dir.h"

namespace duban::storage {
namespace {

using testing::every_event_sample;

TEST(EventCodec, SamplesCoverEveryEventType) {
  std::set<std::string_view> sampled;
  for (const auto& e : every_event_sample()) sampled.insert(task::event_type_name(e));
  const auto& names = task::event_type_names();
  EXPECT_EQ(sampled, std::set<std::string_view>(names.begin(), names.end()));
}

TEST(EventCodec, EveryPayloadStructMatchesItsEventDeclaration) {
  EXPECT_EQ(event_payload_schemas().size(), task::EventTypes::kSize);
  for (const std::string& problem : event_schema_mismatches()) ADD_FAILURE() << problem;
}

// A field the sample leaves at its default would round-trip even if write() or read() forgot
// it. For a named union (an optional), the sample must pick a member that carries a value.
TEST(EventCodec, EverySampleSetsEveryPayloadField) {
  const auto schemas = event_payload_schemas();
  for (const task::Event& event : every_event_sample()) {
    const std::string payload = encode_event_payload(event);
    auto reader = PayloadReader::open(payload);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    const capnp::DynamicStruct::Reader root =
        reader->root<capnp::AnyStruct>().as<capnp::DynamicStruct>(schemas.at(event.index()));
    for (capnp::StructSchema::Field field : root.getSchema().getFields()) {
      const std::string name = field.getProto().getName().cStr();
      if (field.getProto().isGroup()) {
        const auto group = root.get(field).as<capnp::DynamicStruct>();
        KJ_IF_MAYBE (member, group.which()) {
          EXPECT_NE(member->getType().which(), capnp::schema::Type::VOID)
              << task::event_type_name(event) << "." << name << ": give it a value in the sample";
        }
      } else {
        EXPECT_TRUE(root.has(field, capnp::HasMode::NON_DEFAULT))
            << task::event_type_name(event) << "." << name << " is left at its default";
      }
    }
  }
}

TEST(EventCodec, EveryEventTypeRoundTripsThroughItsPayload) {
  for (const task::Event& event : every_event_sample()) {
    const NewEvent encoded = encode_event(event, task::Actor::supervisor());
    EXPECT_EQ(encoded.type, task::event_type_name(event));
    EXPECT_EQ(encoded.schema_version, task::event_schema_version(event));
    EXPECT_EQ(encoded.actor, "supervisor");
    auto decoded = decode_event(encoded.type, encoded.schema_version, encoded.payload);
    ASSERT_TRUE(decoded.ok()) << encoded.type << ": " << decoded.error().message;
    EXPECT_TRUE(*decoded == event) << encoded.type << " changed in the round trip";
  }
}

TEST(EventCodec, EveryEventTypeRoundTripsThroughARealStore) {
  duban::testing::TempDir dir;
  FixedClock clock(testing::sample_time(0));
  auto store = SqliteEventStore::open({.path = dir.file("events.db")}, clock);
  ASSERT_TRUE(store.ok()) << store.error().message;
  const auto samples = every_event_sample();
  int n = 0;
  for (const task::Event& event : samples) {
    std::vector<NewEvent> one{encode_event(event, task::Actor::of_unit(UnitId("fgw")))};
    ASSERT_TRUE((*store)
                    ->append("s", ExpectedVersion::any(), one, CommandId("c" + std::to_string(++n)))
                    .ok());
  }
  auto stored = (*store)->read_all(GlobalPosition(1), 100);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ((*stored)[i].actor, "unit:fgw");
    auto decoded = decode_event((*stored)[i]);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_TRUE(*decoded == samples[i]) << (*stored)[i].type;
  }
}

TEST(EventCodec, AbsentOptionalsStayApartFromZeroAndEmpty) {
  std::vector<task::Event> cases = {
      task::ProgressReported{UnitId("u"), "note", std::nullopt, testing::sample_time(1)},
      task::ProgressReported{UnitId("u"), "", 0, testing::sample_time(1)},
      task::TaskUrged{std::nullopt, ""},
      task::UnitAssigned{UnitId("u"), task::Role::kLead, std::nullopt},
      task::DeadlineSet{std::string("2020-01-01"), std::nullopt, "", std::nullopt},
      task::DeadlineSet{std::nullopt, std::string("2020-01-01"), "", std::nullopt},
      task::TaskCreated{TaskId("t"),
                        testing::sample_provenance(),
                        task::Mode::kLead,
                        {UnitId("a")},
                        {},
                        std::nullopt,
                        testing::sample_time(0)},
      task::DocumentRegistered{DocumentId("d"), "", "", "", "", {}, 1, ""},
  };
  for (const task::Event& event : cases) {
    const NewEvent encoded = encode_event(event, task::Actor::system());
    auto decoded = decode_event(encoded.type, encoded.schema_version, encoded.payload);
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_TRUE(*decoded == event) << encoded.type;
  }
}

TEST(EventCodec, AnUnknownTypeIsABadPayloadNamingIt) {
  auto decoded = decode_event("TaskTeleported", 1, std::string(8, '\0'), GlobalPosition(7));
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(is(decoded.error(), StoreErrc::bad_payload));
  EXPECT_NE(decoded.error().message.find("unknown event type 'TaskTeleported'"), std::string::npos);
  EXPECT_NE(decoded.error().message.find("event 7"), std::string::npos);
}

TEST(EventCodec, ASchemaVersionNewerThanThisBuildAsksForAnUpgrade) {
  const NewEvent encoded = encode_event(task::TaskReopened{"why"}, task::Actor::supervisor());
  auto decoded = decode_event(encoded.type, 2, encoded.payload);
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(is(decoded.error(), StoreErrc::bad_payload));
  EXPECT_NE(decoded.error().message.find("upgrade duban"), std::string::npos);
  EXPECT_FALSE(decode_event(encoded.type, 0, encoded.payload).ok());
}

TEST(EventCodec, MalformedBytesAreABadPayloadNotACrash) {
  const NewEvent encoded = encode_event(every_event_sample()[1], task::Actor::supervisor());
  for (const std::string& bytes : {std::string(), std::string("short"), std::string(16, '\xff'),
                                   encoded.payload.substr(0, encoded.payload.size() / 2 / 8 * 8),
                                   encoded.payload + std::string(8, '\0')}) {
    auto decoded = decode_event(encoded.type, encoded.schema_version, bytes);
    ASSERT_FALSE(decoded.ok()) << bytes.size() << " bytes decoded";
    EXPECT_TRUE(is(decoded.error(), StoreErrc::bad_payload));
  }
}

TEST(EventCodec, AnEnumerantOutsideTheSchemaIsABadPayload) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::UnitAssigned>();
  root.setUnit("fgw");
  root.setRole(static_cast<schema::Role>(9));
  auto decoded = decode_event("UnitAssigned", 1, encode_payload(message));
  ASSERT_FALSE(decoded.ok());
  EXPECT_TRUE(is(decoded.error(), StoreErrc::bad_payload));
  EXPECT_NE(decoded.error().message.find("unknown role 9"), std::string::npos);
}

TEST(EventCodec, LongClauseTextsGrowTheMessage) {
  task::TaskRevised revised{testing::sample_provenance(), std::nullopt};
  revised.provenance.text = std::string(100'000, 'x');
  const NewEvent encoded = encode_event(revised, task::Actor::supervisor());
  auto decoded = decode_event(encoded.type, encoded.schema_version, encoded.payload);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(*decoded == task::Event(revised));
}

// Ingests before three-way revisions wrote TaskRevised with only a provenance; such a payload
// reads as "no reading" (apply() then keeps the reading it had).
TEST(EventCodec, ATaskRevisedWrittenBeforeReadingsDecodesWithoutOne) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::TaskRevised>();
  root.initProvenance().setText("建立共享机制。");
  auto decoded = decode_event("TaskRevised", 1, encode_payload(message));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& revised = std::get<task::TaskRevised>(*decoded);
  EXPECT_EQ(revised.provenance.text, "建立共享机制。");
  EXPECT_EQ(revised.reading, std::nullopt);
}

}  // namespace
}  // namespace duban::storage
