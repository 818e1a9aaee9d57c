// Snapshots (storage/snapshot_*.h) on real SQLite files and real snapshot files in temp dirs:
//   - every captured state of the scripted year encodes and decodes to an equal state (pending
//     extension, reported and returned parts, closed, cancelled, reopened, reminders recorded),
//     and equal states encode to equal bytes; so does a task table of many decoding chunks (two
//     threads decode it), and bytes that are not word-aligned; one task id twice is refused;
//   - load_read_model() from a snapshot plus the tail equals a full replay (operator==), uses the
//     newest valid snapshot, stops exactly at `until`, and replays everything without snapshots;
//   - a snapshot with a wrong checksum, a truncated file, another layout version, a position
//     beyond the log, or a chain hash that is not the log's is refused with a message saying so,
//     and the loader falls back (to an older valid snapshot, or to a full replay).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "service/content_hash.h"
#include "service/snapshot_codec.h"
#include "service/snapshot_files.h"
#include "service/snapshot_format.h"
#include "service/snapshot_loader.h"
#include "storage/hash_chain.h"
#include "tests/audit/audit_script.h"
#include "tests/audit/raw_sql.h"
#include "tests/support/run_command.h"

namespace duban::audit::testing {
namespace {

using service::projections::ReadModel;
using service::projections::ReadModelState;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void spill(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

using duban::testing::contains;

class SnapshotTest : public AuditScript {
 protected:
  void SetUp() override {
    AuditScript::SetUp();
    ASSERT_NO_FATAL_FAILURE(run_script());
    snapshots = dir.path() / "snapshots";
  }

  // The SnapshotInfo of a capture, read from the log.
  service::SnapshotInfo info_of(const Capture& c) {
    auto event = store->read_all(c.position, 1);
    EXPECT_TRUE(event.ok() && event->size() == 1);
    return service::SnapshotInfo{c.position, event->front().hash, c.time,
                                 event->front().recorded_at, c.time};
  }

  std::filesystem::path write(const Capture& c) {
    auto written = service::write_snapshot_file(snapshots, info_of(c), c.state);
    EXPECT_TRUE(written.ok()) << written.error().message;
    return written.ok() ? *written : std::filesystem::path();
  }

  // A full replay of the whole log, the reference every load is compared with.
  ReadModelState full_replay() {
    ReadModel m;
    auto caught = m.catch_up(*store);
    EXPECT_TRUE(caught.ok());
    return m.state();
  }

  std::filesystem::path snapshots;
};

TEST_F(SnapshotTest, EveryCapturedStateSurvivesEncodingAndDecodingExactly) {
  for (const Capture& c : captures) {
    const std::string bytes = service::encode_snapshot(info_of(c), c.state);
    auto decoded = service::decode_snapshot(bytes);
    ASSERT_TRUE(decoded.ok()) << c.step << ": " << decoded.error().message;
    EXPECT_TRUE(decoded->state == c.state) << "after step '" << c.step << "'";
    EXPECT_EQ(decoded->info, info_of(c));
  }
}

// The last capture with its task table widened to `count` tasks: copies of its tasks under new
// ids, so the table spans several of the chunks two threads decode at once. With
// `duplicate_id`, the last copy claims the first copy's id (a table no writer produces).
ReadModelState widened(const ReadModelState& state, int count, bool duplicate_id = false) {
  std::unordered_map<TaskId, task::TaskState> tasks = state.tasks.tasks();
  const std::vector<task::TaskState> models = [&] {
    std::vector<task::TaskState> v;
    for (const auto& [id, s] : tasks) v.push_back(s);
    return v;
  }();
  for (int i = 0; i < count; ++i) {
    task::TaskState s = models[static_cast<std::size_t>(i) % models.size()];
    const TaskId key("wide/" + std::to_string(i));
    s.id = duplicate_id && i == count - 1 ? TaskId("wide/0") : key;
    tasks.emplace(key, std::move(s));
  }
  ReadModelState out = state;
  out.tasks = service::projections::TaskTable::restore(std::move(tasks), state.tasks.documents(),
                                                       state.tasks.tasks_by_document(),
                                                       state.tasks.checkpoint());
  return out;
}

TEST_F(SnapshotTest, ATaskTableOfManyDecodingChunksSurvivesExactly) {
  const Capture& c = captures.back();
  const ReadModelState wide = widened(c.state, 20'000);
  auto decoded = service::decode_snapshot(service::encode_snapshot(info_of(c), wide));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->state.tasks.tasks().size(), wide.tasks.tasks().size());
  EXPECT_TRUE(decoded->state == wide);
}

TEST_F(SnapshotTest, TwoTasksWithOneIdInDifferentChunksAreRefused) {
  const Capture& c = captures.back();
  auto decoded = service::decode_snapshot(
      service::encode_snapshot(info_of(c), widened(c.state, 20'000, /*duplicate_id=*/true)));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().code, service::kSnapshotCorrupt);
  EXPECT_TRUE(contains(decoded.error().message, "duplicate task")) << decoded.error().message;
}

TEST_F(SnapshotTest, BytesThatAreNotWordAlignedDecodeToo) {
  const Capture& c = captures.back();
  const std::string bytes = service::encode_snapshot(info_of(c), c.state);
  std::string shifted = "x" + bytes;  // the file's bytes one past an aligned address
  auto decoded = service::decode_snapshot(std::string_view(shifted).substr(1));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(decoded->state == c.state);
}

TEST_F(SnapshotTest, EqualStatesEncodeToEqualBytes) {
  const Capture& c = captures.back();
  ReadModel rebuilt;
  ASSERT_TRUE(rebuilt.catch_up(*store, c.position).ok());
  EXPECT_EQ(service::encode_snapshot(info_of(c), rebuilt.state()),
            service::encode_snapshot(info_of(c), c.state));
}

TEST_F(SnapshotTest, TheScriptExercisesTheFieldsASnapshotMustKeep) {
  // Guards the round-trip test above: it only proves something if these were set somewhere.
  bool pending = false, reported = false, closed = false, cancelled = false, approaching = false,
       overdue = false, returned = false, extended = false, urged = false;
  for (const Capture& c : captures) {
    for (const auto& [id, s] : c.state.tasks.tasks()) {
      pending |= s.extension.has_value();
      for (const auto& p : s.parts) reported |= p.status == task::PartStatus::kReported;
      closed |= s.closed_at.has_value();
      cancelled |= s.cancelled_at.has_value();
      approaching |= s.approaching_recorded;
      overdue |= s.overdue_recorded;
      returned |= s.returns > 0;
      extended |= s.extensions > 0 && s.original_deadline != s.deadline;
      urged |= s.urges > 0;
    }
  }
  EXPECT_TRUE(pending && reported && closed && cancelled && approaching && overdue && returned &&
              extended && urged);
}

TEST_F(SnapshotTest, LoadingASnapshotAndTheTailEqualsAFullReplay) {
  const auto path = write(captures[captures.size() / 2]);
  ReadModel loaded;
  auto report = service::load_read_model(*store, snapshots, loaded);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->snapshot, path);
  EXPECT_EQ(report->snapshot_position, captures[captures.size() / 2].position);
  EXPECT_EQ(report->position, head());
  EXPECT_TRUE(report->refused.empty());
  EXPECT_TRUE(loaded.state() == full_replay());
  EXPECT_TRUE(loaded.state() == model.state()) << "and equals the live model the script kept";
}

TEST_F(SnapshotTest, TheNewestSnapshotAtOrBeforeUntilIsUsedAndTheReplayStopsExactlyThere) {
  write(captures[3]);
  write(captures[10]);
  write(captures[20]);
  const Capture& target = captures[15];
  ReadModel loaded;
  auto report = service::load_read_model(*store, snapshots, loaded, target.position);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->snapshot_position, captures[10].position);
  EXPECT_EQ(report->position, target.position);
  EXPECT_TRUE(loaded.state() == target.state)
      << "the state as it was after '" << target.step << "'";
}

TEST_F(SnapshotTest, WithoutSnapshotsTheLoaderReplaysTheWholeLog) {
  ReadModel loaded;
  auto report = service::load_read_model(*store, snapshots / "missing", loaded);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->snapshot);
  EXPECT_TRUE(report->refused.empty());
  EXPECT_TRUE(loaded.state() == full_replay());
}

TEST_F(SnapshotTest, TheLoaderNeedsAnEmptyModel) {
  auto report = service::load_read_model(*store, snapshots, model);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().code, "invalid_argument");
}

// Each way a snapshot can be bad: refused with a message naming the reason, and the loader
// falls back to a full replay whose result equals the reference.
class RefusedSnapshotTest : public SnapshotTest {
 protected:
  void expect_refused_and_full_replay(const std::string& reason) {
    ReadModel loaded;
    auto report = service::load_read_model(*store, snapshots, loaded);
    ASSERT_TRUE(report.ok()) << report.error().message;
    EXPECT_FALSE(report->snapshot) << "a refused snapshot is never used";
    ASSERT_EQ(report->refused.size(), 1u);
    EXPECT_TRUE(contains(report->refused[0], reason)) << report->refused[0];
    EXPECT_TRUE(loaded.state() == full_replay());
  }
};

TEST_F(RefusedSnapshotTest, AWrongChecksumIsRefused) {
  const auto path = write(captures[12]);
  std::string bytes = slurp(path);
  bytes[bytes.size() - 9] ^= 0x01;  // one bit in the body
  spill(path, bytes);
  expect_refused_and_full_replay("checksum");
}

TEST_F(RefusedSnapshotTest, ATruncatedFileIsRefused) {
  const auto path = write(captures[12]);
  const std::string bytes = slurp(path);
  spill(path, bytes.substr(0, bytes.size() - 64));
  expect_refused_and_full_replay("truncated");
}

TEST_F(RefusedSnapshotTest, AMalformedMessageWithAValidChecksumIsRefused) {
  // What a buggy writer could produce: the root pointer aims far outside the message, and the
  // checksum is recomputed, so only reading the message can tell.
  const auto path = write(captures[12]);
  std::string bytes = slurp(path);
  const std::size_t root_pointer = service::kSnapshotHeaderSize + 8;  // after the segment table
  bytes[root_pointer + 3] = '\x7f';
  const std::string hex =
      service::content_hash(bytes.substr(service::kSnapshotHeaderSize)).substr(7);
  for (std::size_t i = 0; i < storage::kHashSize; ++i) {
    bytes[24 + i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  }
  spill(path, bytes);
  expect_refused_and_full_replay("malformed Cap'n Proto message");
}

TEST_F(RefusedSnapshotTest, AnotherLayoutVersionIsRefused) {
  const auto path = write(captures[12]);
  std::string bytes = slurp(path);
  bytes[11] = 9;  // the u32 layout version, big-endian, at offset 8
  spill(path, bytes);
  expect_refused_and_full_replay("layout version 9");
}

TEST_F(RefusedSnapshotTest, ASnapshotBeyondTheEndOfTheLogIsRefused) {
  // A snapshot of the head, then the log loses its last events (deleted behind duban's back).
  write(captures.back());
  const GlobalPosition kept = captures[12].position;
  close_store();
  raw_sql(path(), std::string(kDropTriggers) + "DELETE FROM events WHERE position > " +
                      std::to_string(kept.value()) + ";");
  auto reopened = storage::SqliteEventStore::open({.path = path()}, clock);
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  store = std::move(*reopened);
  expect_refused_and_full_replay("but the log ends at position " + std::to_string(kept.value()));
}

TEST_F(RefusedSnapshotTest, AChainHashThatIsNotTheLogsIsRefused) {
  service::SnapshotInfo info = info_of(captures[12]);
  info.chain_hash[0] ^= 0x01;  // as if the log had been rewritten since, or another store's
  ASSERT_TRUE(service::write_snapshot_file(snapshots, info, captures[12].state).ok());
  expect_refused_and_full_replay("records chain hash");
}

TEST_F(SnapshotTest, ANewerDamagedSnapshotFallsBackToAnOlderValidOne) {
  write(captures[5]);
  const auto newest = write(captures[20]);
  std::string bytes = slurp(newest);
  bytes[bytes.size() - 1] ^= 0x40;
  spill(newest, bytes);
  ReadModel loaded;
  auto report = service::load_read_model(*store, snapshots, loaded);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->snapshot_position, captures[5].position);
  EXPECT_EQ(report->refused.size(), 1u);
  EXPECT_TRUE(loaded.state() == full_replay());
}

TEST_F(SnapshotTest, FilesAreNamedByPositionListedInOrderAndPruned) {
  write(captures[20]);
  write(captures[3]);
  write(captures[10]);
  std::ofstream(snapshots / "notes.txt") << "not a snapshot";
  auto files = service::list_snapshot_files(snapshots);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].position, captures[3].position);
  EXPECT_EQ(files[2].position, captures[20].position);
  EXPECT_EQ(files[0].path.filename().string(), service::snapshot_file_name(captures[3].position));
  EXPECT_EQ(service::snapshot_file_name(GlobalPosition(271)),
            "snapshot-00000000000000000271.dbsnap");
  EXPECT_EQ(service::prune_snapshot_files(snapshots, 2).size(), 1u);
  files = service::list_snapshot_files(snapshots);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].position, captures[10].position);
}

TEST(SnapshotDirTest, TheDefaultDirectorySitsNextToASqliteFileAndIsNoneForPostgres) {
  EXPECT_EQ(service::default_snapshot_dir("/var/lib/duban/duban.db").string(),
            "/var/lib/duban/duban.db.snapshots");
  EXPECT_TRUE(service::default_snapshot_dir("postgresql://duban@db/duban").empty());
}

}  // namespace
}  // namespace duban::audit::testing
