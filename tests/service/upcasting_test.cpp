// Schema evolution on stored data: tests/data/store-v1.sqlite is a committed event store whose
// TaskCreated payload was written with schema version 1 (the frozen schema in
// fixtures/events_v1.capnp: no provenance part, no document version). These tests open a copy
// of it with today's store, check its hash chain, and read it through today's codec: the
// upcaster fills in the part (from the task id) and the document version (1), the fixture's
// other events decode unchanged, the read model folds it, and new commands append after it with
// the current schema version. A v1 payload whose task id has another shape keeps an empty part.
#include <gtest/gtest.h>

#include <filesystem>

#include "storage/event_codec.h"
#include "storage/hash_chain.h"
#include "storage/schema/events.capnp.h"
#include "storage/schema/payload_codec.h"
#include "tests/service/service_fixture.h"

namespace duban::service::testing {
namespace {

const std::string kFixture = std::string(DUBAN_SOURCE_DIR) + "/tests/data/store-v1.sqlite";
const std::string kDocument = "青政〔2015〕70号";
const std::string kPart = "关于贯彻落实国务院建立粮食安全省长责任制的实施意见";
const TaskId kTask(kDocument + "|" + kPart + "|(十三)");

// The fixture, copied into the test's temp dir (opening a WAL database writes next to it, and
// the committed file must never change).
class StoreV1Fixture : public ServiceTest {
 protected:
  void SetUp() override {
    std::filesystem::copy_file(kFixture, path());
    std::filesystem::permissions(path(), std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    ServiceTest::SetUp();
  }
};

TEST_F(StoreV1Fixture, TheFixtureIsAnIntactV1Store) {
  auto log = store->read_all(GlobalPosition(1), 100);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 10u);
  EXPECT_EQ((*log)[0].type, "TaskCreated");
  EXPECT_EQ((*log)[0].schema_version, 1) << "the fixture must hold a v1 payload";
  auto chain = verify_hash_chain(*store);
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  EXPECT_EQ(chain->events, 10);
  EXPECT_EQ(to_hex(chain->head.hash),
            "97bf498a3e7ee640b6371d89f67c602a6ec946392d7b62a99f55ab3915de7925")
      << "the committed fixture changed; it stands for data in the field and must not be rewritten";
}

TEST_F(StoreV1Fixture, TheV1PayloadReallyLacksTheV2Fields) {
  auto log = store->read_stream(task::task_stream_id(kTask));
  ASSERT_TRUE(log.ok());
  auto reader = PayloadReader::open((*log)[0].payload);
  ASSERT_TRUE(reader.ok());
  auto provenance = reader->root<schema::TaskCreated>().getProvenance();
  EXPECT_FALSE(provenance.hasPart());
  EXPECT_EQ(provenance.getDocumentVersion(), 0);
}

TEST_F(StoreV1Fixture, TheUpcasterFillsInPartAndDocumentVersion) {
  auto log = store->read_stream(task::task_stream_id(kTask));
  ASSERT_TRUE(log.ok());
  auto decoded = decode_event((*log)[0]);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto* created = std::get_if<task::TaskCreated>(&*decoded);
  ASSERT_NE(created, nullptr);
  EXPECT_EQ(created->task, kTask);
  EXPECT_EQ(created->provenance.part, kPart);
  EXPECT_EQ(created->provenance.document_version, 1);
  // Everything v1 did write comes through as written.
  EXPECT_EQ(created->provenance.document, DocumentId(kDocument));
  EXPECT_EQ(created->provenance.label, "(十三)");
  EXPECT_EQ(created->provenance.heading, "健全应急调控保障体系");
  EXPECT_EQ(created->provenance.line, 63);
  EXPECT_EQ(created->mode, task::Mode::kResponsible);
  EXPECT_EQ(created->leads.size(), 7u);
  EXPECT_EQ(created->leads[1], UnitId("grain"));
  EXPECT_EQ(created->deadline, std::optional<std::string>("2017-12-31"));
  EXPECT_EQ(created->created_at, from_millis(1'441'072'800'000));
}

TEST_F(StoreV1Fixture, TheReadModelFoldsTheOldLogAndNewCommandsFollowIt) {
  ASSERT_TRUE(service->refresh().ok());
  auto state = model.task(kTask);
  ASSERT_TRUE(state.has_value());
  EXPECT_EQ(state->version, StreamVersion(9));
  EXPECT_EQ(state->status, task::Status::kInProgress);
  EXPECT_EQ(state->provenance.part, kPart);
  EXPECT_TRUE(state->has_acknowledged(UnitId("grain")));
  EXPECT_EQ(model.document(DocumentId(kDocument)).document_version, 1);
  EXPECT_EQ(model.inbox(UnitId("coop"), {utc(2016, 1, 1)}).size(), 1u);

  accept(task::ReportProgress{kTask, "应急网点已建成200个", 50}, unit("grain"));
  auto log = store->read_stream(task::task_stream_id(kTask));
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 10u);
  EXPECT_EQ(log->back().type, "ProgressReported");
  EXPECT_TRUE(verify_hash_chain(*store).ok());

  projections::ReadModel rebuilt;
  ASSERT_TRUE(rebuilt.catch_up(*store).ok());
  EXPECT_TRUE(rebuilt.state() == model.state());
}

TEST(Upcasting, AV1TaskIdOfAnotherShapeLeavesThePartUnknown) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<schema::TaskCreated>();
  root.setTask("custom-42");
  auto p = root.initProvenance();
  p.setDocument("D");
  p.setLabel("1.");
  root.initLeads(1).set(0, "fgw");
  auto decoded = decode_event("TaskCreated", 1, encode_payload(message));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  const auto& created = std::get<task::TaskCreated>(*decoded);
  EXPECT_EQ(created.provenance.part, "");
  EXPECT_EQ(created.provenance.document_version, 1);
}

TEST(Upcasting, CurrentPayloadsAreNotUpcast) {
  task::TaskCreated created;
  created.task = TaskId("D|p|1.");
  created.provenance.document = DocumentId("D");
  created.provenance.label = "1.";
  created.provenance.part = "";  // a v2 writer may really have an empty part
  created.provenance.document_version = 3;
  created.leads = {UnitId("fgw")};
  const NewEvent encoded = encode_event(created, task::Actor::supervisor());
  EXPECT_EQ(encoded.schema_version, 2);
  auto decoded = decode_event(encoded.type, encoded.schema_version, encoded.payload);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(*decoded == task::Event(created));
}

}  // namespace
}  // namespace duban::service::testing
