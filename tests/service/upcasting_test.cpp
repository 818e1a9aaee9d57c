// Schema evolution on stored data: tests/data/store-v1.sqlite is a committed event store whose
// TaskCreated payload was written with schema version 1 (the frozen schema in
// fixtures/events_v1.capnp: no provenance part, no document version). These tests open a copy
// of it with today's store, check its hash chain, and read it through today's codec: the
// upcaster fills in the part (from the task id) and the document version (1), the fixture's
// other events decode unchanged, the read model folds it, and new commands append after it with
// the current schema version. A v1 payload whose task id has another shape keeps an empty part.
// A revision of the old store's document (three-way, by content) keeps the stored task, its
// label-based id, its acknowledgments and a deadline set by hand, and numbers a new task.
#include <gtest/gtest.h>

#include <filesystem>

#include "model/task/ingest_plan.h"
#include "service/gazette_ingest.h"
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

TEST_F(StoreV1Fixture, ARevisionOfTheOldDocumentKeepsItsTaskIdAndTheWorkDone) {
  ASSERT_TRUE(service->refresh().ok());
  const auto before = model.task(kTask);
  ASSERT_TRUE(before.has_value());
  // Replayed from the old log: the reading is what the v1 TaskCreated said.
  EXPECT_EQ(before->as_read.leads, before->leads);
  EXPECT_EQ(before->as_read.mode, task::Mode::kResponsible);
  EXPECT_EQ(before->as_read.deadline, std::optional<std::string>("2017-12-31"));
  accept(task::SetDeadline{kTask, "2017-06-30", "省里要求提前", std::nullopt}, kSupervisor);

  // Version 2: a new clause (十三) before the old one, which becomes (十四) and adds a unit.
  gazette::Document doc;
  doc.id = kDocument;
  doc.number = kDocument;
  doc.title = kPart;
  doc.parts = {kPart};
  auto make = [&](std::string label, std::string text, std::vector<std::string> leads) {
    gazette::Clause c;
    c.doc = kDocument;
    c.part = kPart;
    c.label = std::move(label);
    c.text = std::move(text);
    c.heading = c.text.substr(0, c.text.find("。"));
    c.mode = gazette::Mode::kResponsible;
    for (const auto& u : leads) c.assignments.push_back({gazette::Role::kLead, u, u});
    c.source = {63, 63};
    return c;
  };
  std::vector<std::string> leads;
  for (const auto& u : before->leads) leads.push_back(u.str());
  leads.push_back("stats");
  gazette::Clause renumbered = make("(十四)", before->provenance.text, leads);
  renumbered.deadlines.push_back(gazette::Deadline{"2017年底", "2017-12-31"});
  const std::vector<gazette::Clause> clauses = {
      make("(十三)", "建立粮食安全信息公开制度。定期公开粮食安全省长责任制落实情况。", {"grain"}),
      renumbered};
  const task::DocumentState registered = model.document(DocumentId(kDocument));
  const std::vector<task::TaskState> existing = model.tasks_of_document(DocumentId(kDocument));
  auto plan = task::plan_ingest(
      task::IngestInput{doc, clauses, 2, "sha256:revised", {}, registered, existing});
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  auto ran = run_plan(*service, PlannedDocument{"v2.md", doc, 2, *plan}, {}, nullptr);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  EXPECT_EQ(ran->created, 1);
  EXPECT_EQ(ran->reassigned, 1);
  EXPECT_EQ(ran->cancelled, 0);
  EXPECT_EQ(ran->deadlines, 0);

  const auto after = model.task(kTask);
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->provenance.label, "(十四)");
  EXPECT_EQ(after->leads.back(), UnitId("stats"));
  EXPECT_EQ(after->leads.size(), before->leads.size() + 1);
  EXPECT_EQ(after->deadline, std::optional<std::string>("2017-06-30"));
  EXPECT_EQ(after->acknowledged, before->acknowledged);
  EXPECT_EQ(after->status, task::Status::kInProgress);
  const auto added = model.task(TaskId(kDocument + "|1"));
  ASSERT_TRUE(added.has_value());
  EXPECT_EQ(added->provenance.label, "(十三)");

  // The whole log, old payloads and new, replays to the same state.
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
