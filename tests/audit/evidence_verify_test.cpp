// `duban audit verify` (the real binary) over evidence attachments on a real SQLite file: a log
// whose reports reference stored files verifies and says how many it read back; one byte of a
// stored file changed behind duban's back, or a referenced file deleted, makes it exit 1 naming
// the blob, the file name and the position of the event that references it.
#include <gtest/gtest.h>

#include "model/task/commands.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/blob_store.h"
#include "storage/hash_chain.h"
#include "storage/sqlite_event_store.h"
#include "tests/audit/raw_sql.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace duban::audit::testing {
namespace {

using duban::testing::CommandResult;
using duban::testing::run_command;

using duban::testing::contains;

class EvidenceVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    FixedClock clock(from_millis(1'451'872'800'000));  // 2016-01-04T02:00Z
    auto store = storage::SqliteEventStore::open({.path = path()}, clock);
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto blobs = storage::open_blob_store(path());
    ASSERT_TRUE(blobs.ok()) << blobs.error().message;
    service::projections::ReadModel model;
    service::TaskService service(**store, model, clock);
    task::CreateTask create;
    create.task = TaskId("T-1");
    create.provenance =
        task::Provenance{DocumentId("青政办〔2015〕151号"), 1, "正文", "1", "建立机制",
                         "建立机制。（省发展改革委牵头）",  1, 1};
    create.leads = {UnitId("fgw")};
    ASSERT_TRUE(service.execute(create, task::Actor::supervisor(), CommandId("c1")).ok());
    auto put = storage::put_blob_bytes(**blobs, bytes, 1 << 20, clock.now());
    ASSERT_TRUE(put.ok()) << put.error().message;
    sha = put->sha256;
    task::ReportProgress progress{
        TaskId("T-1"),
        "见附件",
        50,
        {task::Attachment{sha, "验收报告.pdf", "application/pdf", put->size}}};
    auto done = service.execute(progress, task::Actor::of_unit(UnitId("fgw")), CommandId("c2"));
    ASSERT_TRUE(done.ok()) << done.error().message;
    position = done->last.value();
  }

  std::string path() const { return dir.file("events.db"); }
  CommandResult verify() {
    return run_command(DUBAN_BINARY, {"audit", "verify", "--db", path(), "--quick"});
  }

  duban::testing::TempDir dir;
  const std::string bytes = "%PDF-1.4\nevidence\n%%EOF\n";
  std::string sha;
  std::int64_t position = 0;
};

TEST_F(EvidenceVerify, ALogWithIntactAttachmentsVerifies) {
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "attachments      1 referenced blob(s) read back")) << r.out;
}

TEST_F(EvidenceVerify, AChangedStoredByteFailsNamingTheBlob) {
  std::string changed = bytes;
  changed[10] = 'E';
  raw_sql(path(), "UPDATE blob_chunks SET bytes = X'" + storage::to_hex(changed) +
                      "' WHERE sha256 = '" + sha + "' AND chunk_no = 0");
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "FAILED at position " + std::to_string(position) + " (attachment)"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "attachment " + sha + " (验收报告.pdf)")) << r.out;
  EXPECT_TRUE(contains(r.out, "was changed")) << r.out;
}

TEST_F(EvidenceVerify, AMissingAttachmentFails) {
  raw_sql(path(), "DELETE FROM blob_chunks; DELETE FROM blobs;");
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "is missing from the blob store")) << r.out;
}

}  // namespace
}  // namespace duban::audit::testing
