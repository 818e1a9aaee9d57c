// The Cap'n Proto plumbing: a generated message (storage/schema/envelope.capnp) encodes to
// payload bytes, round-trips through a real SQLite store, and decodes again; decoding copies
// misaligned bytes into aligned words first; malformed bytes are a bad_payload value, not a
// crash or an exception.
#include <gtest/gtest.h>

#include "storage/schema/envelope.capnp.h"
#include "storage/schema/payload_codec.h"
#include "storage/sqlite_event_store.h"
#include "storage/store_errc.h"
#include "tests/support/temp_dir.h"

namespace duban::storage {
namespace {

std::string sample_message() {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::EventEnvelope>();
  root.setPosition(42);
  root.setStream("task/QH-2015-08-3.2");
  root.setStreamVersion(5);
  root.setType("TaskUrged");
  root.setSchemaVersion(2);
  root.setActor("督查室");
  const kj::byte payload[] = {0, 1, 2, 3};
  root.setPayload(kj::arrayPtr(payload, sizeof payload));
  return encode_payload(message);
}

TEST(PayloadCodec, ACapnpMessageRoundTripsThroughTheStore) {
  duban::testing::TempDir dir;
  FixedClock clock(from_millis(1'767'312'000'000));
  auto store = SqliteEventStore::open({.path = dir.file("events.db")}, clock);
  ASSERT_TRUE(store.ok());
  std::vector<NewEvent> events{NewEvent{"EventEnvelope", 1, sample_message(), "tester"}};
  ASSERT_TRUE((*store)->append("s", ExpectedVersion::no_stream(), events, CommandId("c")).ok());

  auto stored = (*store)->read_stream("s");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  auto reader = PayloadReader::open((*stored)[0].payload);
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  auto root = reader->root<schema::EventEnvelope>();
  EXPECT_EQ(root.getPosition(), 42);
  EXPECT_EQ(std::string(root.getStream().cStr()), "task/QH-2015-08-3.2");
  EXPECT_EQ(root.getStreamVersion(), 5);
  EXPECT_EQ(std::string(root.getType().cStr()), "TaskUrged");
  EXPECT_EQ(root.getSchemaVersion(), 2);
  EXPECT_EQ(std::string(root.getActor().cStr()), "督查室");
  ASSERT_EQ(root.getPayload().size(), 4u);
  EXPECT_EQ(root.getPayload()[3], 3);
  EXPECT_EQ(root.getRecordedAtMs(), 0) << "unset fields read as their defaults";
}

TEST(PayloadCodec, MisalignedBytesAreCopiedBeforeReading) {
  const std::string bytes = sample_message();
  std::string shifted = "x" + bytes;  // the message now starts at an odd address
  auto reader = PayloadReader::open(std::string_view(shifted).substr(1));
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(reader->root<schema::EventEnvelope>().getPosition(), 42);
}

TEST(PayloadCodec, MalformedBytesAreABadPayloadValue) {
  const std::string good = sample_message();
  for (const std::string& bad :
       {std::string(), std::string("1234567"), good.substr(0, good.size() - 8),
        std::string(16, '\xff'), good + std::string(8, '\0')}) {
    auto reader = PayloadReader::open(bad);
    ASSERT_FALSE(reader.ok()) << "accepted " << bad.size() << " bytes";
    EXPECT_TRUE(is(reader.error(), StoreErrc::bad_payload)) << reader.error().code;
  }
}

TEST(PayloadCodec, AFarPointerOutOfBoundsIsCaughtAtOpen) {
  std::string bytes = sample_message();
  // Word 1 is the root pointer (after the 8-byte segment table); point it far outside.
  for (int i = 8; i < 16; ++i) bytes[static_cast<std::size_t>(i)] = '\x7f';
  auto reader = PayloadReader::open(bytes);
  EXPECT_FALSE(reader.ok());
}

}  // namespace
}  // namespace duban::storage
