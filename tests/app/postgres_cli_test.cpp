// The real `duban` binary with `--db postgresql://…` on the throwaway server of the CTest fixture,
// each test in a fresh database: ingest records the bundled gazette, and tasks, report and audit
// (verify, history, asof, diff) say exactly what they say for the same commands on SQLite; a
// second ingest appends nothing; audit verify finds an edit made behind duban's back; the sweep
// records each reminder once; `token create` records the token in the PostgreSQL log; two `duban
// serve` nodes on one database accept the same tokens (from node A's --demo and from `token
// create`); snapshots need an explicit directory and nothing is created after the URL's name; an
// empty database is refused by every command that needs a store, with a hint and nothing created;
// an unreachable server is a clear error in every command, and no message ever shows the URL's
// password; --help of every command mentions the URL form.
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/json.hpp>
#include <filesystem>
#include <regex>
#include <set>

#include "storage/postgres_event_store.h"
#include "tests/storage/postgres_test_db.h"
#include "tests/support/child_process.h"
#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_child.h"

namespace duban {
namespace {

using storage::testing::pg_exec;
using storage::testing::TestDatabase;
using storage::testing::with_password;
using testing::CommandResult;
using testing::run_command;
using testing::TempDir;
using namespace std::chrono_literals;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
const std::string kNow = "2015-09-01";
const std::string kPassword = "s3cret-pw-7f3a";

CommandResult duban(const std::vector<std::string>& args) {
  return run_command(DUBAN_BINARY, args);
}

using duban::testing::contains;

std::string redacted(const std::string& url) {
  const auto at = url.find('@');
  return url.substr(0, at) + ":***" + url.substr(at);
}

CommandResult ingest(const std::string& db) {
  return duban({"ingest", kGazette, "--db", db, "--now", kNow, "--simulate"});
}

// The report's JSON without the head hash: recorded_at comes from the wall clock, so the hash
// differs between two ingests; every figure must not.
boost::json::value report_json(const std::string& db) {
  const auto r = duban({"report", "--db", db, "--now", "2016-12-31", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto v = boost::json::parse(r.out);
  v.as_object()["report"].as_object().erase("hash");
  return v;
}

class PostgresCli : public ::testing::Test {
 protected:
  const std::string& url() const { return db_.url(); }
  pqxx::result sql(const std::string& statement) {
    pqxx::connection c(db_.url());
    return pg_exec(c, statement);
  }
  bool has_store_tables() {
    return !sql("SELECT to_regclass('meta')")[0][0].is_null() ||
           !sql("SELECT to_regclass('events')")[0][0].is_null();
  }

  TestDatabase db_;
};

TEST_F(PostgresCli, IngestThenTasksReportAndAuditSayWhatTheySayOnSqlite) {
  TempDir dir;
  const std::string sqlite = dir.file("duban.db");
  const auto pg = ingest(url());
  ASSERT_EQ(pg.exit_code, 0) << pg.err;
  EXPECT_TRUE(contains(pg.out, "ingested into " + url())) << pg.out;
  EXPECT_TRUE(contains(pg.out, "tasks created         271")) << pg.out;
  const auto lite = ingest(sqlite);
  ASSERT_EQ(lite.exit_code, 0) << lite.err;
  // The same summary, but for the database's name.
  EXPECT_EQ(std::regex_replace(pg.out, std::regex("ingested into .*"), ""),
            std::regex_replace(lite.out, std::regex("ingested into .*"), ""));

  // The log itself, read back through a read-only PostgreSQL store.
  FixedClock clock(from_millis(0));
  auto store = storage::PostgresEventStore::open(
      {.url = url(), .mode = storage::PostgresOptions::Mode::read_only}, clock);
  ASSERT_TRUE(store.ok()) << store.error().message;
  auto head = (*store)->head();
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(contains(pg.out, "events appended       " + std::to_string(head->position.value())))
      << pg.out;

  for (const std::vector<std::string>& view :
       {std::vector<std::string>{"tasks", "--now", "2016-01-01", "--format", "jsonl"},
        {"tasks", "--unit", "省粮食局", "--now", "2016-01-01", "--format", "jsonl"},
        {"tasks", "--scorecard", "--now", "2016-01-01"},
        {"audit", "history", "青政〔2015〕70号 (四)", "--format", "json"},
        {"audit", "asof", "--position", "500", "--unit", "省粮食局"}}) {
    auto on_pg = view;
    on_pg.insert(on_pg.end(), {"--db", url()});
    auto on_lite = view;
    on_lite.insert(on_lite.end(), {"--db", sqlite});
    const auto a = duban(on_pg);
    const auto b = duban(on_lite);
    ASSERT_EQ(a.exit_code, 0) << view[0] << " " << view[1] << ": " << a.err;
    ASSERT_EQ(b.exit_code, 0) << b.err;
    if (view[0] == "tasks") {
      EXPECT_EQ(a.out, b.out) << view[1];
    }
    EXPECT_FALSE(a.out.empty());
  }
  EXPECT_EQ(report_json(url()), report_json(sqlite));

  const auto verify = duban({"audit", "verify", "--db", url()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(contains(verify.out, "duban audit verify: " + url())) << verify.out;
  EXPECT_TRUE(
      contains(verify.out, "OK: " + std::to_string(head->position.value()) + " events verified"))
      << verify.out;
  EXPECT_TRUE(contains(verify.out, "snapshots        none checked")) << verify.out;
  const auto diff = duban({"audit", "diff", "1", "500", "--db", url()});
  EXPECT_EQ(diff.exit_code, 0) << diff.err;
  EXPECT_TRUE(contains(diff.out, "events in between")) << diff.out;

  // The same text again appends nothing.
  const auto again = ingest(url());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "nothing to do")) << again.out;
  EXPECT_EQ((*store)->head()->position, head->position);
}

TEST_F(PostgresCli, AuditVerifyFindsAnEditMadeBehindDubansBack) {
  ASSERT_EQ(ingest(url()).exit_code, 0);
  sql("ALTER TABLE events DISABLE TRIGGER USER; "
      "UPDATE events SET actor = 'mallory' WHERE position = 42; "
      "ALTER TABLE events ENABLE TRIGGER USER");
  const auto verify = duban({"audit", "verify", "--db", url()});
  EXPECT_EQ(verify.exit_code, 1) << verify.out << verify.err;
  EXPECT_TRUE(contains(verify.out, "FAILED at position 42")) << verify.out;
}

TEST_F(PostgresCli, TheSweepRecordsEachReminderOnce) {
  ASSERT_EQ(ingest(url()).exit_code, 0);
  const auto first = duban({"sweep", "--db", url(), "--now", "2018-01-01", "--simulate"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(first.out, m,
                                std::regex("recorded ([0-9]+) DeadlineApproaching, "
                                           "([0-9]+) TaskOverdue")))
      << first.out;
  EXPECT_GT(std::stoi(m[2]), 0) << first.out;
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE type = 'TaskOverdue'")[0][0].as<int>(),
            std::stoi(m[2]));
  const auto second = duban({"sweep", "--db", url(), "--now", "2018-01-01", "--simulate"});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_TRUE(contains(second.out, "recorded 0 DeadlineApproaching, 0 TaskOverdue")) << second.out;
}

TEST_F(PostgresCli, TokenCreateRecordsTheTokenInThePostgresLog) {
  const auto supervisor = duban({"token", "create", "--supervisor", "--db", url()});
  ASSERT_EQ(supervisor.exit_code, 0) << supervisor.err;
  const auto unit = duban({"token", "create", "--unit", "fgw", "--db", url()});
  ASSERT_EQ(unit.exit_code, 0) << unit.err;
  const std::string supervisor_token = supervisor.out.substr(0, supervisor.out.find('\n'));
  const std::string unit_token = unit.out.substr(0, unit.out.find('\n'));
  EXPECT_TRUE(supervisor_token.starts_with("dbn_")) << supervisor.out;

  // Tokens are events of the log (TokenIssued, service/token_service.h), not table rows.
  EXPECT_EQ(sql("SELECT count(*) FROM events WHERE type = 'TokenIssued'")[0][0].as<int>(), 2);
  EXPECT_EQ(sql("SELECT count(*) FROM tokens")[0][0].as<int>(), 0);
  const auto listed = duban({"token", "list", "--db", url()});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(contains(listed.out, "unit:fgw")) << listed.out;
  EXPECT_FALSE(contains(listed.out, unit_token)) << listed.out;
  // The event store is there too (token create opens it first, as serve does).
  EXPECT_TRUE(has_store_tables());
}

// A `duban serve` child on `db`; port 0 picks a free one.
struct Node : testing::ServeChild {
  explicit Node(const std::vector<std::string>& extra) : ServeChild(DUBAN_BINARY, args(extra)) {}
  static std::vector<std::string> args(const std::vector<std::string>& extra) {
    std::vector<std::string> a = {
        "serve",   "--listen",         "127.0.0.1:0", "--now",           "2016-01-04", "--simulate",
        "--quiet", "--sweep-interval", "0",           "--drain-timeout", "5"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
  int stop() { return ServeChild::stop(30s).value_or(-1); }
};

TEST_F(PostgresCli, TwoServeNodesOnOneDatabaseAcceptTheSameTokens) {
  Node a({"--db", url(), "--demo-tokens", "--ingest", kGazette});
  Node b({"--db", url()});
  std::smatch m;
  const std::string out = a.process.out();
  ASSERT_TRUE(std::regex_search(out, m, std::regex("supervisor token: (dbn_[A-Za-z0-9_-]+)")))
      << out;
  const std::string supervisor = m[1];
  ASSERT_TRUE(std::regex_search(out, m, std::regex("\n  fgw  \\S+  (dbn_[A-Za-z0-9_-]+)"))) << out;
  const std::string fgw = m[1];
  const auto created = duban({"token", "create", "--unit", "fgw", "--db", url()});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string from_cli = created.out.substr(0, created.out.find('\n'));

  for (Node* node : {&a, &b}) {
    testing::HttpClient http("127.0.0.1", node->port);
    const auto docs = http.get("/api/v1/documents", supervisor);
    EXPECT_EQ(docs.status, 200) << docs.body;
    EXPECT_FALSE(docs.json().at("documents").as_array().empty()) << docs.body;
    EXPECT_EQ(http.get("/api/v1/units/fgw/inbox", fgw).status, 200);
    EXPECT_EQ(http.get("/api/v1/units/fgw/inbox", from_cli).status, 200);
    EXPECT_EQ(http.get("/api/v1/units/grain/inbox", from_cli).status, 403);
    EXPECT_EQ(http.get("/api/v1/documents", "dbn_not-a-token").status, 401);
  }
  EXPECT_EQ(a.stop(), 0) << a.process.err();
  EXPECT_EQ(b.stop(), 0) << b.process.err();
}

// Names in the working directory starting with "postgres": a directory named after a URL.
std::set<std::string> url_named_entries() {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::current_path())) {
    const std::string name = e.path().filename().string();
    if (name.starts_with("postgres")) out.insert(name);
  }
  return out;
}

TEST_F(PostgresCli, SnapshotsNeedAnExplicitDirectoryAndNothingIsNamedAfterTheUrl) {
  ASSERT_EQ(ingest(url()).exit_code, 0);
  const auto before = url_named_entries();

  const auto no_dir = duban({"snapshot", "create", "--db", url()});
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_TRUE(contains(no_dir.err,
                       "a postgresql:// --db has no default snapshot directory: name "
                       "one with --dir DIR"))
      << no_dir.err;
  const auto list = duban({"snapshot", "list", "--db", url()});
  EXPECT_EQ(list.exit_code, 2);
  EXPECT_TRUE(contains(list.err, "--dir DIR")) << list.err;

  TempDir dir;
  const std::string snapshots = dir.file("snapshots");
  const auto created = duban({"snapshot", "create", "--db", url(), "--dir", snapshots});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(contains(created.out, "wrote " + snapshots + "/snapshot-")) << created.out;
  const auto verify = duban({"audit", "verify", "--db", url(), "--snapshots", snapshots});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_TRUE(contains(verify.out, "matches the log")) << verify.out;

  {
    Node with({"--db", url(), "--snapshots", snapshots});
    EXPECT_EQ(with.stop(), 0);
    EXPECT_TRUE(contains(with.process.err(), "started from " + snapshots)) << with.process.err();
  }
  {
    Node without({"--db", url()});
    EXPECT_EQ(without.stop(), 0);
    EXPECT_FALSE(contains(without.process.err(), "started from")) << without.process.err();
  }
  EXPECT_EQ(duban({"report", "--db", url(), "--now", "2016-12-31"}).exit_code, 0);
  EXPECT_EQ(duban({"audit", "asof", "--position", "9", "--db", url()}).exit_code, 0);
  EXPECT_EQ(url_named_entries(), before);
}

TEST_F(PostgresCli, CommandsThatNeedAStoreRefuseAnEmptyDatabaseAndCreateNothing) {
  const std::string hint = "no duban event store in the PostgreSQL database " + url() +
                           " (create one with `duban ingest GAZETTE --db " + url() + "`";
  struct Case {
    std::vector<std::string> args;
    int exit_code;
  };
  for (const Case& c :
       std::vector<Case>{{{"tasks"}, 1},
                         {{"sweep"}, 1},
                         {{"report"}, 2},
                         {{"audit", "verify"}, 2},
                         {{"audit", "history", "T-1"}, 2},
                         {{"audit", "asof", "--position", "1"}, 2},
                         {{"audit", "diff", "1", "2"}, 2},
                         {{"snapshot", "create", "--dir", "/nonexistent/never-written"}, 2}}) {
    auto args = c.args;
    args.insert(args.end(), {"--db", url()});
    const auto r = duban(args);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.args[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, hint)) << c.args[0] << ": " << r.err;
  }
  EXPECT_FALSE(has_store_tables());
}

TEST_F(PostgresCli, AnUnreachableServerIsAClearErrorThatNeverShowsThePassword) {
  const std::string url =
      "postgresql://duban:" + kPassword + "@127.0.0.1:1/duban?connect_timeout=5";
  const std::string shown = "postgresql://duban:***@127.0.0.1:1/duban?connect_timeout=5";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"ingest", kGazette},
           {"sweep"},
           {"tasks"},
           {"token", "create", "--supervisor"},
           {"audit", "verify"},
           {"audit", "history", "T-1"},
           {"audit", "asof", "--position", "1"},
           {"audit", "diff", "1", "2"},
           {"snapshot", "create", "--dir", "/nonexistent/never-written"},
           {"report"},
           {"serve", "--listen", "127.0.0.1:0"}}) {
    auto with_db = args;
    with_db.insert(with_db.end(), {"--db", url});
    const auto r = duban(with_db);
    EXPECT_NE(r.exit_code, 0) << args[0];
    EXPECT_TRUE(contains(r.err, "cannot open database " + shown)) << args[0] << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "no connection to PostgreSQL")) << args[0] << ": " << r.err;
    EXPECT_FALSE(contains(r.out + r.err, kPassword)) << args[0] << ": " << r.out << r.err;
  }
}

TEST_F(PostgresCli, APasswordInAWorkingUrlIsNeverPrinted) {
  // The fixture's server trusts local connections, so any password is accepted.
  const std::string secret_url = with_password(url(), kPassword);
  const auto ingested = ingest(secret_url);
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  EXPECT_TRUE(contains(ingested.out, "ingested into " + redacted(url()))) << ingested.out;
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"ingest", kGazette, "--now", kNow, "--simulate"},
                                             {"audit", "verify"},
                                             {"snapshot", "create"},
                                             {"token", "create", "--unit", "no-such-unit"}}) {
    auto with_db = args;
    with_db.insert(with_db.end(), {"--db", secret_url});
    const auto r = duban(with_db);
    EXPECT_FALSE(contains(r.out + r.err, kPassword)) << args[0] << ": " << r.out << r.err;
  }
  const auto verify = duban({"audit", "verify", "--db", secret_url});
  EXPECT_TRUE(contains(verify.out, "duban audit verify: " + redacted(url()))) << verify.out;
}

// `text` with every run of blanks and newlines as one space: --help wraps its columns.
std::string unwrapped(const std::string& text) {
  return std::regex_replace(text, std::regex("\\s+"), " ");
}

TEST(PostgresCliHelp, EveryCommandWithDbSaysItTakesAPostgresUrl) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"ingest"},
                                             {"sweep"},
                                             {"tasks"},
                                             {"serve"},
                                             {"token"},
                                             {"audit", "verify"},
                                             {"audit", "history"},
                                             {"audit", "asof"},
                                             {"audit", "diff"},
                                             {"snapshot", "create"},
                                             {"snapshot", "list"},
                                             {"report"}}) {
    auto help = args;
    help.push_back("--help");
    const auto r = duban(help);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_TRUE(contains(unwrapped(r.out), "a SQLite file or a postgresql://"))
        << args[0] << ": " << r.out;
  }
  const auto serve = duban({"serve", "--help"});
  EXPECT_TRUE(contains(unwrapped(serve.out),
                       "with a postgresql:// --db, snapshots are used only when this"))
      << serve.out;
}

}  // namespace
}  // namespace duban
