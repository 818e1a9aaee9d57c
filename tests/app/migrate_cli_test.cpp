// `duban migrate` as an operator runs it: the real binary, a SQLite file filled by the real
// `duban ingest` with the bundled gazette, and a fresh database on the throwaway PostgreSQL
// server the CTest fixture starts (tests/CMakeLists.txt). Covers: the copy's events equal
// the source's field for field and hash for hash, its head equals the source's, its chain
// verifies, the summary names the head hash; a second run copies nothing; an interrupted copy is
// finished; a database holding another log is refused and left untouched; a password in the URL
// never appears in the output (successful and failing runs); --help, usage errors (exit 2) and a
// missing source (exit 1).
//
// The copy is also audited as an operator would: `duban audit verify --export-head` on the SQLite
// file and on the PostgreSQL URL must both pass and print the same POS:HASH.
#include <gtest/gtest.h>

#include <span>
#include <sstream>

#include "storage/hash_chain.h"
#include "storage/postgres_event_store.h"
#include "storage/sqlite_event_store.h"
#include "tests/storage/postgres_test_db.h"
#include "tests/support/run_command.h"

namespace duban {
namespace {

using storage::testing::pg_exec;
using storage::testing::TestDatabase;
using storage::testing::with_password;
using testing::run_command;
using testing::TempDir;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

using duban::testing::contains;

std::string last_line(const std::string& text) {
  std::istringstream in(text);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

class MigrateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto r = run_command(
        DUBAN_BINARY, {"ingest", kGazette, "--db", source_, "--now", "2015-09-01", "--simulate"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  testing::CommandResult migrate(const std::string& to, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"migrate", "--from", "sqlite:" + source_, "--to", to};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_command(DUBAN_BINARY, args);
  }

  std::unique_ptr<storage::SqliteEventStore> open_source() {
    auto s = storage::SqliteEventStore::open(
        {.path = source_, .mode = storage::SqliteOptions::Mode::read_only}, clock_);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::unique_ptr<storage::PostgresEventStore> open_pg(
      storage::PostgresOptions::Mode mode = storage::PostgresOptions::Mode::read_only) {
    auto s = storage::PostgresEventStore::open({.url = pg_.url(), .mode = mode}, clock_);
    EXPECT_TRUE(s.ok()) << s.error().message;
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::int64_t pg_count() {
    pqxx::connection c(pg_.url());
    return pg_exec(c, "SELECT count(*) FROM events")[0][0].as<std::int64_t>();
  }

  // Source and copy hold the same log: every field and hash, the same head, a chain that
  // verifies from position 1 on the copy.
  void expect_identical_logs() {
    auto source = open_source();
    auto copy = open_pg();
    ASSERT_TRUE(source && copy);
    auto a = source->read_all(GlobalPosition(1), 1'000'000);
    auto b = copy->read_all(GlobalPosition(1), 1'000'000);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_GT(a->size(), 300u);
    storage::testing::expect_same_log(*a, *b);
    auto ha = source->head();
    auto hb = copy->head();
    ASSERT_TRUE(ha.ok() && hb.ok());
    EXPECT_EQ(hb->position, ha->position);
    EXPECT_EQ(storage::to_hex(hb->hash), storage::to_hex(ha->hash));
    auto check = storage::verify_hash_chain(*copy);
    ASSERT_TRUE(check.ok()) << check.error().message;
    EXPECT_EQ(check->events, static_cast<std::int64_t>(a->size()));
    EXPECT_EQ(storage::to_hex(check->head.hash), storage::to_hex(ha->hash));
  }

  std::string source_head_hex() {
    auto source = open_source();
    auto h = source->head();
    EXPECT_TRUE(h.ok());
    return h.ok() ? storage::to_hex(h->hash) : "";
  }

  TempDir dir_;
  const std::string source_ = dir_.file("events.db");
  FixedClock clock_{from_millis(0)};
  TestDatabase pg_;
};

TEST_F(MigrateCli, TheIngestedGazetteIsCopiedVerbatimVerifiedAndAPasswordNeverPrinted) {
  const std::string password = "s3cret-Passw0rd";
  const auto r = migrate(with_password(pg_.url(), password), {"--batch", "50"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const std::string hex = source_head_hex();
  auto source = open_source();
  const auto events = source->head()->position.value();
  EXPECT_TRUE(contains(r.out, "events, head " + std::to_string(events) + ":" + hex)) << r.out;
  EXPECT_TRUE(contains(r.out, ": empty")) << r.out;
  EXPECT_TRUE(contains(r.out, "verified: the copy's hash chain is intact (" +
                                  std::to_string(events) +
                                  " events) and its head hash equals the source's"))
      << r.out;
  EXPECT_EQ(last_line(r.out), "migrated " + std::to_string(events) + " events into " +
                                  with_password(pg_.url(), "***") + "; head position " +
                                  std::to_string(events) + ", hash " + hex);
  EXPECT_FALSE(contains(r.out + r.err, password));
  expect_identical_logs();

  // `duban audit verify` on both: both pass, both report the same head.
  const auto sqlite_audit =
      run_command(DUBAN_BINARY, {"audit", "verify", "--db", source_, "--export-head"});
  const auto pg_audit =
      run_command(DUBAN_BINARY, {"audit", "verify", "--db", pg_.url(), "--export-head"});
  ASSERT_EQ(sqlite_audit.exit_code, 0) << sqlite_audit.err;
  ASSERT_EQ(pg_audit.exit_code, 0) << pg_audit.err;
  EXPECT_EQ(pg_audit.out, sqlite_audit.out);
  EXPECT_EQ(pg_audit.out, std::to_string(events) + ":" + hex + "\n");

  // Again: nothing left to copy, still verified.
  const auto again = migrate(pg_.url());
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  EXPECT_TRUE(contains(again.out, "already holds the whole log")) << again.out;
  EXPECT_TRUE(contains(again.out, "verified:")) << again.out;
  EXPECT_TRUE(contains(last_line(again.out), "migrated 0 events")) << again.out;
  EXPECT_EQ(pg_count(), events);
}

TEST_F(MigrateCli, AnInterruptedMigrateIsFinishedByRunningItAgain) {
  // A first run that stopped after the first 120 events (here cut inside a command, which
  // import() allows; `duban migrate` itself always stops between commands).
  {
    auto source = open_source();
    auto target = open_pg(storage::PostgresOptions::Mode::read_write);
    ASSERT_TRUE(source && target);
    auto first = source->read_all(GlobalPosition(1), 120);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE(target->import(*first).ok());
  }
  const auto r = migrate(pg_.url(), {"--batch", "64"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "holds positions 1..120 of the same log: resuming after 120"))
      << r.out;
  expect_identical_logs();
}

TEST_F(MigrateCli, ADatabaseHoldingAnotherLogIsRefusedAndLeftUntouched) {
  {
    auto target = open_pg(storage::PostgresOptions::Mode::read_write);
    ASSERT_NE(target, nullptr);
    ASSERT_TRUE(target
                    ->append("elsewhere", storage::ExpectedVersion::any(),
                             std::vector{storage::NewEvent{"Other", 1, "x", "someone"}},
                             CommandId("other-1"))
                    .ok());
  }
  const auto r = migrate(pg_.url());
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.err, "different log; nothing was copied")) << r.err;
  EXPECT_FALSE(contains(r.out, "migrated")) << r.out;
  EXPECT_EQ(pg_count(), 1);
}

TEST_F(MigrateCli, HelpUsageErrorsAndUnreachableTargetsSayWhatToDo) {
  const auto help = run_command(DUBAN_BINARY, {"migrate", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(contains(help.out, "--from")) << help.out;
  EXPECT_TRUE(contains(help.out, "example:\n  duban migrate --from sqlite:")) << help.out;
  EXPECT_TRUE(contains(run_command(DUBAN_BINARY, {"--help"}).out, "migrate"));

  EXPECT_EQ(run_command(DUBAN_BINARY, {"migrate", "--from", source_}).exit_code, 2);
  EXPECT_EQ(migrate("/tmp/not-a-url").exit_code, 2);
  EXPECT_EQ(migrate(pg_.url(), {"--batch", "0"}).exit_code, 2);
  EXPECT_EQ(migrate(pg_.url(), {"--bogus"}).exit_code, 2);
  EXPECT_EQ(
      run_command(DUBAN_BINARY, {"migrate", "--from", pg_.url(), "--to", pg_.url()}).exit_code, 2);

  // A bare path works as --from too; a missing one is a failure that names it.
  const auto missing =
      run_command(DUBAN_BINARY, {"migrate", "--from", dir_.file("nope.db"), "--to", pg_.url()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "no database at " + dir_.file("nope.db"))) << missing.err;

  // Nothing listens on port 1: the failure names the target without its password.
  const auto unreachable =
      migrate("postgresql://duban:hunter2-secret@127.0.0.1:1/duban?connect_timeout=5");
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_TRUE(contains(unreachable.err, "cannot open postgresql://duban:***@127.0.0.1:1/duban"))
      << unreachable.err;
  EXPECT_FALSE(contains(unreachable.out + unreachable.err, "hunter2-secret"));
  const auto in_query = migrate("postgresql://127.0.0.1:1/duban?password=hunter2-secret");
  EXPECT_EQ(in_query.exit_code, 1);
  EXPECT_FALSE(contains(in_query.out + in_query.err, "hunter2-secret")) << in_query.err;
  pqxx::connection c(pg_.url());
  EXPECT_TRUE(pg_exec(c, "SELECT to_regclass('events') IS NULL")[0][0].as<bool>())
      << "no run above got as far as creating the store";
}

}  // namespace
}  // namespace duban
