// The one-place declaration at work, on test-only events: TaskStarred and TaskRated are declared
// the way docs/events.md ("Adding an event type") says, as a struct with kType, kSchemaVersion
// and fields, plus a payload struct (fixtures/test_events.capnp) and a Wire<E>. From the variant
// alone, the same machinery as task::Event's codec (storage/schema/event_wire.h) derives the
// catalogue, encodes, dispatches decoding by type name, refuses unknown types and newer
// versions, and upcasts an old version; the same checks as for task::Event find a payload
// struct that does not match its declaration and a catalogue page that lacks the events.
#include <gtest/gtest.h>

#include <algorithm>

#include "storage/schema/event_wire.h"
#include "tests/storage/event_docs.h"
#include "tests/storage/fixtures/test_events.capnp.h"

namespace duban::storage {
namespace test_events {

// Step 1 of "Adding an event type": the declaration.
struct TaskStarred {
  static constexpr std::string_view kType = "TaskStarred";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  std::optional<std::string> note;
  Timestamp at{};
  bool operator==(const TaskStarred&) const = default;
};

struct TaskRated {
  static constexpr std::string_view kType = "TaskRated";
  static constexpr int kSchemaVersion = 2;  // 2: score out of 100 (was out of 10)
  UnitId unit;
  int score = 0;
  bool operator==(const TaskRated&) const = default;
};

using TestEvent = std::variant<TaskStarred, TaskRated>;

// Declared wrongly on purpose (see Mislabelled in test_events.capnp).
struct TaskMislabelled {
  static constexpr std::string_view kType = "TaskMislabelled";
  static constexpr int kSchemaVersion = 1;
  UnitId unit;
  std::string reason;
  bool operator==(const TaskMislabelled&) const = default;
};

}  // namespace test_events

// Step 2: the payload structs' mapping.
namespace wire {

template <>
struct Wire<test_events::TaskStarred> {
  using Schema = test_schema::TaskStarred;
  static void write(Schema::Builder b, const test_events::TaskStarred& e) {
    b.setUnit(text(e.unit.str()));
    if (e.note)
      b.initNote().setText(text(*e.note));
    else
      b.initNote().setNone();
    b.setAtMs(to_millis(e.at));
  }
  static test_events::TaskStarred read(Schema::Reader r, Problems&) {
    test_events::TaskStarred e{UnitId(str(r.getUnit())), std::nullopt, from_millis(r.getAtMs())};
    if (r.getNote().isText()) e.note = str(r.getNote().getText());
    return e;
  }
};

template <>
struct Wire<test_events::TaskRated> {
  using Schema = test_schema::TaskRated;
  static void write(Schema::Builder b, const test_events::TaskRated& e) {
    b.setUnit(text(e.unit.str()));
    b.setScore(e.score);
  }
  static test_events::TaskRated read(Schema::Reader r, Problems& p) {
    if (r.getScore() < 0) p.note("negative score");
    return test_events::TaskRated{UnitId(str(r.getUnit())), r.getScore()};
  }
  // Without this, kSchemaVersion = 2 does not compile (check_wired in event_wire.h).
  static test_events::TaskRated upcast(test_events::TaskRated e, int from_version) {
    if (from_version == 1) e.score *= 10;
    return e;
  }
};

template <>
struct Wire<test_events::TaskMislabelled> {
  using Schema = test_schema::Mislabelled;
  static void write(Schema::Builder b, const test_events::TaskMislabelled& e) {
    b.setUnit(text(e.unit.str()));
  }
  static test_events::TaskMislabelled read(Schema::Reader r, Problems&) {
    return test_events::TaskMislabelled{UnitId(str(r.getUnit())), ""};
  }
};

}  // namespace wire

namespace {

using test_events::TaskRated;
using test_events::TaskStarred;
using test_events::TestEvent;
using Codec = wire::Codec<TestEvent>;
using Catalogue = task::EventCatalogue<TestEvent>;

Timestamp at(int minute) {
  return from_millis(1'767'312'000'000 + minute * 60'000LL);
}

// The catalogue page of the test events, as docs/events.md would have them (step 4).
constexpr std::string_view kTestPage =
    "## Catalogue\n"
    "| type | schema version | stream |\n|---|---|---|\n"
    "| `TaskStarred` | 1 | task |\n"
    "| `TaskRated` | 2 | task |\n"
    "## Task streams\n"
    "### `TaskStarred` — a unit starred the task\n"
    "| field | type | meaning |\n|---|---|---|\n"
    "| unit | unit | |\n| note | text, optional | |\n| at | time | when |\n"
    "### `TaskRated` — a unit rated the clause's clarity\n"
    "| field | type | meaning |\n|---|---|---|\n"
    "| unit, score | | |\n";

TEST(TestOnlyEvent, TheCatalogueFollowsFromTheVariant) {
  static_assert(Catalogue::kSize == 2);
  static_assert(Catalogue::kTypes[0].name == "TaskStarred");
  static_assert(Catalogue::kTypes[1].schema_version == 2);
  static_assert(Catalogue::find("TaskRated")->index == 1);
  static_assert(Catalogue::find("TaskCreated") == nullptr);
  static_assert(task::aggregate_field_count<TaskStarred>() == 3);
  SUCCEED();
}

TEST(TestOnlyEvent, RoundTripsThroughTheSameCodecAsDomainEvents) {
  for (const TestEvent& event : {TestEvent(TaskStarred{UnitId("fgw"), "跟进", at(1)}),
                                 TestEvent(TaskStarred{UnitId("czt"), std::nullopt, at(2)}),
                                 TestEvent(TaskRated{UnitId("swt"), 70})}) {
    const std::string payload = Codec::encode(event);
    const task::EventTypeInfo& type = Catalogue::kTypes[event.index()];
    auto decoded = Codec::decode(type.name, type.schema_version, payload, GlobalPosition(3));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_TRUE(*decoded == event) << type.name;
  }
}

TEST(TestOnlyEvent, AnOldVersionIsUpcast) {
  capnp::MallocMessageBuilder message;
  auto v1 = message.initRoot<test_schema::TaskRated>();
  v1.setUnit("swt");
  v1.setScore(7);  // out of 10
  auto decoded = Codec::decode("TaskRated", 1, encode_payload(message), GlobalPosition(4));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(*decoded == TestEvent(TaskRated{UnitId("swt"), 70}));
}

TEST(TestOnlyEvent, UnknownTypesNewerVersionsAndReadProblemsAreBadPayloads) {
  const std::string payload = Codec::encode(TaskRated{UnitId("swt"), -1});
  auto unknown = Codec::decode("TaskCreated", 2, payload, GlobalPosition(5));
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(is(unknown.error(), StoreErrc::bad_payload));
  EXPECT_NE(unknown.error().message.find("not one of the 2 types"), std::string::npos);
  auto newer = Codec::decode("TaskRated", 3, payload, GlobalPosition(5));
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.error().message.find("upgrade duban"), std::string::npos);
  auto negative = Codec::decode("TaskRated", 2, payload, GlobalPosition(5));
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().message, "event 5 (TaskRated): negative score");
}

TEST(TestOnlyEvent, ItsPayloadStructsMatchTheDeclarations) {
  EXPECT_EQ(Codec::schema_mismatches(), std::vector<std::string>{});
}

TEST(TestOnlyEvent, AMismatchedPayloadStructIsReported) {
  const auto problems =
      wire::Codec<std::variant<test_events::TaskMislabelled>>::schema_mismatches();
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0],
            "TaskMislabelled: its payload struct is named 'Mislabelled'; name it "
            "after the type");
  EXPECT_EQ(problems[1],
            "TaskMislabelled: the event struct has 2 fields, its payload struct 1; "
            "every field needs a payload field (a named union for an optional)");
}

TEST(TestOnlyEvent, ItsCataloguePageIsCheckedLikeDocsEventsMd) {
  EXPECT_EQ(testing::event_doc_mismatches(Catalogue::kTypes, Codec::payload_schemas(), kTestPage),
            std::vector<std::string>{});
  // Skipping step 4 for TaskRated: the check says what to add.
  const std::string without_rated(kTestPage.substr(0, kTestPage.find("| `TaskRated`")));
  const auto problems = testing::event_doc_mismatches(Catalogue::kTypes, Codec::payload_schemas(),
                                                      without_rated, "page");
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "TaskRated: add the row | `TaskRated` | 2 | … | to \"## Catalogue\" in page"),
            problems.end());
  EXPECT_NE(std::find(problems.begin(), problems.end(),
                      "TaskRated: add a section \"### `TaskRated` — …\" with its field table in "
                      "page"),
            problems.end());
}

}  // namespace
}  // namespace duban::storage
