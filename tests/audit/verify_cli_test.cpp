// `duban audit verify` and `duban snapshot create` as a user runs them (the real binary), on the
// scripted store of audit_script.h, tampered with raw SQL the way someone with write access to
// the file would (dropping the append-only triggers first):
//   - an intact log verifies (exit 0) while the writer still has it open, and --export-head
//     prints POS:HASH that a later --head accepts;
//   - one payload byte edited, one event deleted, two events of different streams swapped, and
//     two events of one stream swapped: each exits 1 and names the right position and problem;
//   - a chain recomputed after an edit passes on its own (what the chain cannot prove) and is
//     caught by a kept head; events cut from the end are caught only by a kept head;
//   - an event of a newer duban and a store that cannot be opened exit 2, a payload written
//     malformed exits 1; bad --head values exit 2;
//   - snapshot files: one that matches is reported, a damaged one is a warning (exit 0), a forged
//     one with a valid checksum exits 1; `snapshot create` refuses a tampered log.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "service/snapshot_files.h"
#include "service/snapshot_loader.h"
#include "storage/event_codec.h"
#include "storage/hash_chain.h"
#include "tests/audit/audit_script.h"
#include "tests/audit/raw_sql.h"
#include "tests/support/run_command.h"

namespace duban::audit::testing {
namespace {

using duban::testing::CommandResult;
using duban::testing::run_command;

using duban::testing::contains;

class VerifyCli : public AuditScript {
 protected:
  void SetUp() override {
    AuditScript::SetUp();
    ASSERT_NO_FATAL_FAILURE(run_script());
  }

  CommandResult verify(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"audit", "verify", "--db", path()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(DUBAN_BINARY, args);
  }

  GlobalPosition position_of(const std::string& step) const {
    for (const auto& c : captures) {
      if (c.step == step) return c.position;
    }
    ADD_FAILURE() << "no step " << step;
    return GlobalPosition();
  }

  storage::RecordedEvent event_at(GlobalPosition p) {
    FixedClock c(from_millis(0));
    auto ro = storage::SqliteEventStore::open(
        {.path = path(), .mode = storage::SqliteOptions::Mode::read_only}, c);
    EXPECT_TRUE(ro.ok());
    auto e = (*ro)->read_all(p, 1);
    EXPECT_TRUE(e.ok() && e->size() == 1);
    return e->front();
  }

  std::string head_text() {
    auto h = store->head();
    EXPECT_TRUE(h.ok());
    return std::to_string(h->position.value()) + ":" + storage::to_hex(h->hash);
  }

  void swap_positions(GlobalPosition a, GlobalPosition b) {
    raw_sql(path(),
            std::string(kDropTriggers) +
                "UPDATE events SET position = -1 WHERE position = " + std::to_string(a.value()) +
                "; UPDATE events SET position = " + std::to_string(a.value()) +
                " WHERE position = " + std::to_string(b.value()) +
                "; UPDATE events SET position = " + std::to_string(b.value()) +
                " WHERE position = -1;");
  }

  // What an attacker who knows the chain does after editing: recomputes every hash from `from`.
  void rewrite_chain_from(GlobalPosition from) {
    std::string prev = from.value() == 1 ? storage::genesis_hash()
                                         : event_at(GlobalPosition(from.value() - 1)).hash;
    FixedClock c(from_millis(0));
    std::vector<storage::RecordedEvent> events;
    {
      auto ro = storage::SqliteEventStore::open(
          {.path = path(), .mode = storage::SqliteOptions::Mode::read_only}, c);
      ASSERT_TRUE(ro.ok());
      auto all = (*ro)->read_all(from, 1'000'000);
      ASSERT_TRUE(all.ok());
      events = std::move(*all);
    }
    raw_sql(path(), kDropTriggers);
    for (const auto& e : events) {
      const std::string hash = storage::chain_hash(prev, storage::hashed_fields(e));
      raw_update_blob(path(), "UPDATE events SET prev_hash = ?1 WHERE position = ?2", prev,
                      e.position.value());
      raw_update_blob(path(), "UPDATE events SET hash = ?1 WHERE position = ?2", hash,
                      e.position.value());
      prev = hash;
    }
  }

  // Flips one bit of one byte inside a text field, so the payload still decodes (and reads
  // differently): the edit only the hash chain can expose.
  void edit_payload_byte(GlobalPosition p, const std::string& inside) {
    std::string payload = event_at(p).payload;
    const auto at = payload.find(inside);
    ASSERT_NE(at, std::string::npos) << "position " << p.value() << " holds no '" << inside << "'";
    payload[at + 2] ^= 0x01;  // the last byte of a 3-byte UTF-8 character stays a continuation
    raw_sql(path(), kDropTriggers);
    raw_update_blob(path(), "UPDATE events SET payload = ?1 WHERE position = ?2", payload,
                    p.value());
  }

  static std::string failed_at(GlobalPosition p, const std::string& kind) {
    return "FAILED at position " + std::to_string(p.value()) + " (" + kind + ")";
  }
};

TEST_F(VerifyCli, AnIntactLogVerifiesWhileTheWriterHasItOpen) {
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "OK: " + std::to_string(head().value()) + " events verified"))
      << r.out;
  EXPECT_TRUE(contains(r.out, "6 tasks, 1 documents")) << r.out;
  EXPECT_TRUE(contains(r.out, "an incremental catch-up equals the one-shot rebuild")) << r.out;
  EXPECT_TRUE(contains(r.out, "head " + head_text())) << r.out;
}

TEST_F(VerifyCli, ExportHeadPrintsOnlyTheHeadAndALaterVerifyAcceptsIt) {
  const auto exported = verify({"--export-head"});
  EXPECT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_EQ(exported.out, head_text() + "\n");
  EXPECT_TRUE(contains(exported.err, "OK:")) << "the summary goes to stderr";

  // The log grows; it still extends the kept head, also when given twice with an older one.
  accept(task::AcknowledgeTask{TaskId("T6")}, unit("grain"));
  const auto later = verify({"--head", exported.out.substr(0, exported.out.size() - 1), "--head",
                             std::to_string(captures[3].position.value()) + ":" +
                                 storage::to_hex(event_at(captures[3].position).hash)});
  EXPECT_EQ(later.exit_code, 0) << later.out << later.err;
  EXPECT_TRUE(contains(later.out, "2 of 2 found in the log with the same hash")) << later.out;
}

TEST_F(VerifyCli, EditingOneByteOfAPayloadIsFoundAtItsPosition) {
  const GlobalPosition p = position_of("finance reports progress");
  close_store();
  ASSERT_NO_FATAL_FAILURE(edit_payload_byte(p, "起草中"));
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(p, "hash"))) << r.out;
  EXPECT_TRUE(contains(r.out, "hash chain broken at position " + std::to_string(p.value())))
      << r.out;
  EXPECT_TRUE(contains(r.out, "intact up to " + std::to_string(p.value() - 1) + ":")) << r.out;
}

TEST_F(VerifyCli, DeletingAnEventIsFoundAsTheMissingPosition) {
  const GlobalPosition p = position_of("T3 cancelled");
  close_store();
  raw_sql(path(), std::string(kDropTriggers) +
                      "DELETE FROM events WHERE position = " + std::to_string(p.value()) + ";");
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(p, "gap"))) << r.out;
  EXPECT_TRUE(contains(r.out, "position " + std::to_string(p.value()) + " is missing")) << r.out;
}

TEST_F(VerifyCli, SwappingEventsOfTwoStreamsIsFoundAtTheFirstOfThem) {
  const GlobalPosition t2 = position_of("commerce acknowledges T2");
  const GlobalPosition t1 = position_of("finance acknowledges T1");
  ASSERT_EQ(t1.next(), t2);
  close_store();
  swap_positions(t1, t2);
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(t1, "hash"))) << r.out;
  EXPECT_TRUE(contains(r.out, "hash chain broken at position " + std::to_string(t1.value())))
      << r.out;
}

TEST_F(VerifyCli, SwappingTwoEventsOfOneStreamAlsoNamesTheStreamOutOfStep) {
  const GlobalPosition asked = position_of("fgw asks for time");
  const GlobalPosition approved = position_of("extension approved");
  ASSERT_EQ(asked.next(), approved);
  close_store();
  swap_positions(asked, approved);
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(asked, "hash"))) << r.out;
  EXPECT_TRUE(contains(r.out, "stream 'task/T1' continues with version")) << r.out;
}

TEST_F(VerifyCli, ARecomputedChainPassesAloneButNotAgainstAKeptHead) {
  const std::string kept = head_text();
  const std::string kept_early = std::to_string(captures[4].position.value()) + ":" +
                                 storage::to_hex(event_at(captures[4].position).hash);
  const GlobalPosition p = position_of("finance reports progress");
  const GlobalPosition last = head();
  close_store();
  ASSERT_NO_FATAL_FAILURE(edit_payload_byte(p, "起草中"));
  ASSERT_NO_FATAL_FAILURE(rewrite_chain_from(p));
  // This is what the chain alone cannot prove: a consistent rewrite of everything after p.
  const auto alone = verify({"--snapshots", dir.file("none")});
  EXPECT_EQ(alone.exit_code, 0) << alone.out << alone.err;
  // A head kept elsewhere before the rewrite exposes it (the early one, before p, still matches).
  const auto r = verify({"--head", kept_early, "--head", kept});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(last, "head"))) << r.out;
  EXPECT_TRUE(contains(r.out, "was rewritten at or before this position")) << r.out;
}

TEST_F(VerifyCli, EventsCutFromTheEndAreFoundOnlyWithAKeptHead) {
  const std::string kept = head_text();
  const GlobalPosition last = head();
  close_store();
  raw_sql(path(), std::string(kDropTriggers) + "DELETE FROM events WHERE position > " +
                      std::to_string(last.value() - 3) + ";");
  EXPECT_EQ(verify().exit_code, 0) << "a shorter log is a valid log";
  const auto r = verify({"--head", kept});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(GlobalPosition(last.value() - 2), "head"))) << r.out;
  EXPECT_TRUE(contains(r.out, "but the log ends at " + std::to_string(last.value() - 3))) << r.out;
}

TEST_F(VerifyCli, AnEventOfANewerDubanCannotBeVerifiedHere) {
  const storage::NewEvent future{"TaskDelegated", 1, std::string(8, '\0'), "supervisor"};
  ASSERT_TRUE(store
                  ->append("task/T1", storage::ExpectedVersion::any(), {&future, 1},
                           CommandId("from-the-future"))
                  .ok());
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "written by a newer duban")) << r.err;
}

TEST_F(VerifyCli, APayloadWrittenMalformedIsInconsistent) {
  const storage::NewEvent broken{"TaskAcknowledged", 1, "not capnp", "unit:fgw"};
  auto appended = store->append("task/T1", storage::ExpectedVersion::any(), {&broken, 1},
                                CommandId("malformed"));
  ASSERT_TRUE(appended.ok());
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(appended->first, "payload"))) << r.out;
}

TEST_F(VerifyCli, AStoreThatCannotBeReadAndBadArgumentsExit2) {
  auto missing = run_command(DUBAN_BINARY, {"audit", "verify", "--db", dir.file("missing.db")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(contains(missing.err, "no database at")) << missing.err;
  const std::string junk = dir.file("junk.db");
  std::ofstream(junk) << "this is not a database, just text long enough to look like a file";
  EXPECT_EQ(run_command(DUBAN_BINARY, {"audit", "verify", "--db", junk}).exit_code, 2);
  const auto bad_head = verify({"--head", "12:abc"});
  EXPECT_EQ(bad_head.exit_code, 2);
  EXPECT_TRUE(contains(bad_head.err, "64")) << bad_head.err;
  EXPECT_EQ(verify({"--head", "twelve:" + std::string(64, '0')}).exit_code, 2);
  EXPECT_EQ(verify({"--frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"audit", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"audit", "verify", "--help"}).exit_code, 0);
}

TEST_F(VerifyCli, SnapshotsAreComparedWithTheLog) {
  const auto created = run_command(DUBAN_BINARY, {"snapshot", "create", "--db", path()});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(contains(created.out, "position " + std::to_string(head().value()))) << created.out;
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "matches the log")) << r.out;
}

TEST_F(VerifyCli, ADamagedSnapshotIsOnlyAWarning) {
  ASSERT_EQ(run_command(DUBAN_BINARY, {"snapshot", "create", "--db", path()}).exit_code, 0);
  const auto file = service::list_snapshot_files(service::default_snapshot_dir(path())).at(0).path;
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(100);
  f.put('\x7f');
  f.close();
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "warning: snapshot refused")) << r.err;
  EXPECT_TRUE(contains(r.err, "checksum")) << r.err;
}

TEST_F(VerifyCli, AForgedSnapshotWithAValidChecksumIsCaughtByVerifyNotByTheLoader) {
  // Someone rewrites a snapshot: right position, right chain hash, a valid checksum, and
  // scorecards wiped. Nothing in the file gives it away...
  const Capture& c = captures[20];
  service::projections::ReadModelState forged = c.state;
  forged.scorecards = service::projections::UnitScorecards::restore({}, c.position);
  const service::SnapshotInfo info{c.position, event_at(c.position).hash, c.time, c.time, c.time};
  ASSERT_TRUE(
      service::write_snapshot_file(service::default_snapshot_dir(path()), info, forged).ok());
  service::projections::ReadModel loaded;
  auto report = service::load_read_model(*store, service::default_snapshot_dir(path()), loaded);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->snapshot.has_value()) << "the loader cannot tell (docs/audit.md)";
  // ...but a rebuild from the log can.
  const auto r = verify();
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, failed_at(c.position, "snapshot"))) << r.out;
  EXPECT_TRUE(contains(r.out, "UnitScorecards")) << r.out;
}

TEST_F(VerifyCli, SnapshotCreateRefusesATamperedLog) {
  const GlobalPosition p = position_of("T1 returned");
  close_store();
  ASSERT_NO_FATAL_FAILURE(edit_payload_byte(p, "材料不全"));
  const auto r = run_command(DUBAN_BINARY, {"snapshot", "create", "--db", path()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "does not verify, no snapshot written")) << r.err;
  EXPECT_TRUE(service::list_snapshot_files(service::default_snapshot_dir(path())).empty());
}

}  // namespace
}  // namespace duban::audit::testing
