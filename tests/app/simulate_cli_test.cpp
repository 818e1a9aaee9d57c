// `--now` and `--simulate` (issue 13): a command that writes (ingest, sweep, serve) refuses --now
// unless told --simulate, with a message saying why, and writes nothing; with --simulate every
// event it appends is marked (actor simulation:…) and `duban audit verify` and `duban audit
// history` report the log as a simulation. Read-only commands (tasks, report) take --now freely.
// The real binary on real SQLite files in temp dirs.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/run_command.h"

namespace duban {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

using duban::testing::contains;

// The head as POS:HASH (`duban audit verify --export-head`), to show nothing was written.
std::string head_of(const std::string& db) {
  return run_command(DUBAN_BINARY, {"audit", "verify", "--db", db, "--quick", "--export-head"}).out;
}

TEST(SimulateCliTest, AWritingCommandRefusesNowWithoutSimulateAndWritesNothing) {
  TempDir tmp;
  const std::string db = tmp.file("real.db");
  const auto ingest =
      run_command(DUBAN_BINARY, {"ingest", kGazette, "--db", db, "--now", "2015-09-01"});
  EXPECT_EQ(ingest.exit_code, 2);
  EXPECT_TRUE(contains(ingest.err, "--simulate")) << ingest.err;
  EXPECT_TRUE(contains(ingest.err, "nothing was written")) << ingest.err;
  EXPECT_FALSE(std::filesystem::exists(db));

  // A real log (the clock's time): a sweep or a server with --now leave it as it is.
  ASSERT_EQ(run_command(DUBAN_BINARY, {"ingest", kGazette, "--db", db}).exit_code, 0);
  const std::string head = head_of(db);
  ASSERT_FALSE(head.empty());
  const auto sweep = run_command(DUBAN_BINARY, {"sweep", "--db", db, "--now", "2019-01-02"});
  EXPECT_EQ(sweep.exit_code, 2);
  EXPECT_TRUE(contains(sweep.err, "duban sweep: --now")) << sweep.err;
  const auto serve = run_command(DUBAN_BINARY, {"serve", "--db", db, "--listen", "127.0.0.1:0",
                                                "--now", "2016-06-01", "--demo-tokens"});
  EXPECT_EQ(serve.exit_code, 2);
  EXPECT_TRUE(contains(serve.err, "duban serve: --now")) << serve.err;
  const auto deadlines =
      run_command(DUBAN_BINARY, {"deadlines", "set", "青政〔2015〕70号", "--default", "2016-12-31",
                                 "--db", db, "--now", "2016-06-01"});
  EXPECT_EQ(deadlines.exit_code, 2);
  EXPECT_TRUE(contains(deadlines.err, "duban deadlines: --now")) << deadlines.err;
  const auto cycle = run_command(DUBAN_BINARY, {"deadlines", "cycle", "青政〔2015〕70号", "--every",
                                                "monthly", "--db", db, "--now", "2016-06-01"});
  EXPECT_EQ(cycle.exit_code, 2);
  EXPECT_TRUE(contains(cycle.err, "duban deadlines: --now")) << cycle.err;
  const auto draft = run_command(
      DUBAN_BINARY, {"drafts", "publish", "青政〔2015〕70号", "--db", db, "--now", "2016-06-01"});
  EXPECT_NE(draft.exit_code, 0);
  EXPECT_TRUE(contains(draft.err, "duban drafts: --now")) << draft.err;
  EXPECT_EQ(head_of(db), head);

  const auto verify = run_command(DUBAN_BINARY, {"audit", "verify", "--db", db, "--quick"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_TRUE(contains(verify.out, "simulation       none")) << verify.out;
  EXPECT_FALSE(contains(verify.out, "SIMULATION")) << verify.out;

  // Read-only commands take --now without --simulate.
  EXPECT_EQ(run_command(DUBAN_BINARY, {"tasks", "--db", db, "--overdue", "--now", "2019-01-02"})
                .exit_code,
            0);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"report", "--db", db, "--now", "2019-01-02"}).exit_code, 0);
}

TEST(SimulateCliTest, ASimulationIsMarkedAndAuditSaysSo) {
  TempDir tmp;
  const std::string db = tmp.file("sim.db");
  const auto ingest = run_command(
      DUBAN_BINARY, {"ingest", kGazette, "--db", db, "--now", "2015-09-01", "--simulate"});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  const auto sweep =
      run_command(DUBAN_BINARY, {"sweep", "--db", db, "--now", "2019-01-02", "--simulate"});
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;

  const auto verify = run_command(DUBAN_BINARY, {"audit", "verify", "--db", db, "--quick"});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;  // the chain is intact: the mark is part of it
  EXPECT_TRUE(contains(verify.out, "SIMULATION")) << verify.out;
  EXPECT_TRUE(contains(verify.out, "the first at position 1")) << verify.out;
  EXPECT_TRUE(contains(verify.out, "(a SIMULATION: not a record of real work)")) << verify.out;

  const std::string task = "青政〔2015〕70号 (四)";
  const auto history = run_command(DUBAN_BINARY, {"audit", "history", task, "--db", db});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_TRUE(contains(history.out, "SIMULATION")) << history.out;
  EXPECT_TRUE(contains(history.out, "simulation:")) << history.out;
  const auto json_history =
      run_command(DUBAN_BINARY, {"audit", "history", task, "--db", db, "--format", "json"});
  ASSERT_EQ(json_history.exit_code, 0) << json_history.err;
  EXPECT_TRUE(contains(json_history.out, "\"actor\":\"simulation:")) << json_history.out;
}

}  // namespace
}  // namespace duban
