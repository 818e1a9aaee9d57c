// The unit directory at run time, as a user runs duban on real SQLite files in temp dirs:
// `--units FILE` on extract, ingest and serve; the directory an ingest used recorded in the log
// (UnitDirectoryRecorded, once per change) so that `duban tasks`, `duban audit`, `duban serve`
// and later ingests on that log name units with it without --units, the HTTP ingest recording
// the server's; a malformed TSV refused with its file and line; names the directory does not
// know kept and flagged unknown; the shipped directories parse and never share an id.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/task/events.h"
#include "model/task/streams.h"
#include "service/content_hash.h"
#include "service/unit_directory_log.h"
#include "storage/event_codec.h"
#include "storage/sqlite_event_store.h"
#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tests/support/serve_child.h"

namespace duban {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kStateCouncil = std::string(DUBAN_SOURCE_DIR) + "/data/units-state-council.tsv";
const std::string kQinghai = std::string(DUBAN_SOURCE_DIR) + "/data/units.tsv";

// A State Council notice of our own wording, in the usual form: every unit it names is in
// data/units-state-council.tsv and none in the built-in (Qinghai) directory, except 国家航天局,
// which neither knows.
constexpr const char* kNotice = R"(# 国务院办公厅关于印发数据要素流通工作分工方案的通知

国办函〔2024〕99号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：

《数据要素流通工作分工方案》已经国务院同意，现印发给你们，请认真贯彻执行。

国务院办公厅

2024年3月1日

## 数据要素流通工作分工方案

（一）完善数据要素市场规则，建立数据产权登记制度。（国家发展改革委牵头，财政部、商务部按职责分工负责）

（二）推进跨境贸易数据便利化，2024年底前完成试点。（海关总署牵头，商务部参加）

（三）建设卫星遥感数据共享平台。（国家航天局负责）
)";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::vector<storage::RecordedEvent> read_stream(const std::string& db, const std::string& stream) {
  FixedClock clock(from_millis(0));
  auto store = storage::SqliteEventStore::open(
      {.path = db, .mode = storage::SqliteOptions::Mode::read_only}, clock);
  EXPECT_TRUE(store.ok()) << store.error().message;
  if (!store.ok()) return {};
  auto events = (*store)->read_stream(stream);
  EXPECT_TRUE(events.ok());
  return events.ok() ? std::move(*events) : std::vector<storage::RecordedEvent>{};
}

std::vector<task::UnitDirectoryRecorded> recorded_directories(const std::string& db) {
  std::vector<task::UnitDirectoryRecorded> out;
  for (const auto& r : read_stream(db, task::kUnitDirectoryStream)) {
    auto e = storage::decode_event(r);
    EXPECT_TRUE(e.ok());
    if (e.ok()) out.push_back(std::get<task::UnitDirectoryRecorded>(*e));
  }
  return out;
}

// The lead unit ids of the task created from clause `label`, from its TaskCreated.
std::vector<std::string> leads_of(const std::string& db, const std::string& label) {
  FixedClock clock(from_millis(0));
  auto store = storage::SqliteEventStore::open(
      {.path = db, .mode = storage::SqliteOptions::Mode::read_only}, clock);
  EXPECT_TRUE(store.ok()) << store.error().message;
  if (!store.ok()) return {};
  auto log = (*store)->read_all(GlobalPosition(1), 100'000);
  EXPECT_TRUE(log.ok());
  std::vector<std::string> out;
  for (const auto& r : log.ok() ? *log : std::vector<storage::RecordedEvent>{}) {
    if (r.type != "TaskCreated") continue;
    auto e = storage::decode_event(r);
    if (!e.ok()) continue;
    const auto& c = std::get<task::TaskCreated>(*e);
    if (c.provenance.label != label) continue;
    for (const auto& u : c.leads) out.push_back(u.str());
  }
  return out;
}

class UnitsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    notice = dir.file("notice.md");
    db = dir.file("duban.db");
    write_file(notice, kNotice);
  }
  testing::CommandResult duban(std::vector<std::string> args) {
    return run_command(DUBAN_BINARY, args);
  }
  TempDir dir;
  std::string notice;
  std::string db;
};

TEST_F(UnitsCli, ExtractReadsUnitNamesWithTheGivenDirectoryAndFlagsNamesItDoesNotKnow) {
  const auto r = duban({"extract", notice, "--units", kStateCouncil});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream lines(r.out);
  std::vector<boost::json::object> clauses;
  for (std::string line; std::getline(lines, line);) {
    clauses.push_back(boost::json::parse(line).as_object());
  }
  ASSERT_EQ(clauses.size(), 3u) << r.out;
  auto units_of = [](const boost::json::object& c) {
    std::vector<std::string> ids;
    for (const auto& a : c.at("assignments").as_array()) {
      ids.emplace_back(a.as_object().at("unit").as_string());
    }
    return ids;
  };
  EXPECT_EQ(units_of(clauses[0]), (std::vector<std::string>{"ndrc", "mof", "mofcom"}));
  EXPECT_EQ(units_of(clauses[1]), (std::vector<std::string>{"gacc", "mofcom"}));
  // Not in the directory: kept by its shape, flagged, never dropped.
  EXPECT_EQ(units_of(clauses[2]), (std::vector<std::string>{"unknown:国家航天局"}));
  EXPECT_NE(boost::json::serialize(clauses[2].at("why")).find("unit not in directory"),
            std::string::npos);

  // The built-in (Qinghai) directory knows none of them.
  const auto builtin = duban({"extract", notice, "--list-units", "--format", "table"});
  ASSERT_EQ(builtin.exit_code, 0) << builtin.err;
  EXPECT_NE(builtin.out.find("UNKNOWN"), std::string::npos);
  EXPECT_EQ(builtin.out.find("ndrc"), std::string::npos);
  // --directory, the option's earlier name, still works.
  const auto old_name = duban({"extract", notice, "--directory", kStateCouncil});
  EXPECT_EQ(old_name.out, r.out);
}

TEST_F(UnitsCli, AnIngestRecordsItsDirectoryOnceAndLaterIngestsUseTheLogs) {
  const auto first = duban({"ingest", notice, "--db", db, "--units", kStateCouncil});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto recorded = recorded_directories(db);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].tsv, slurp(kStateCouncil));
  EXPECT_EQ(recorded[0].sha256, service::content_hash(slurp(kStateCouncil)));
  EXPECT_EQ(recorded[0].source, kStateCouncil);
  EXPECT_EQ(leads_of(db, "(一)"), (std::vector<std::string>{"ndrc"}));

  // The same directory again records nothing; nor does an ingest without --units, which reads
  // names with the log's directory (a revised text: its new clause's units resolve).
  ASSERT_EQ(duban({"ingest", notice, "--db", db, "--units", kStateCouncil}).exit_code, 0);
  std::string revised = kNotice;
  revised += "\n（四）健全数据安全监管。（国家数据局牵头，公安部参加）\n";
  write_file(notice, revised);
  const auto second = duban({"ingest", notice, "--db", db});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(recorded_directories(db).size(), 1u);
  EXPECT_EQ(leads_of(db, "(四)"), (std::vector<std::string>{"nda"}));

  // Another directory is recorded when it is first used.
  write_file(notice, kNotice);
  const auto other =
      duban({"ingest", notice, "--db", db, "--units", kQinghai, "--allow-cancel", "1"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  recorded = recorded_directories(db);
  ASSERT_EQ(recorded.size(), 2u);
  EXPECT_EQ(recorded[1].tsv, slurp(kQinghai));
}

TEST_F(UnitsCli, TasksAuditAndServeWithoutUnitsNameUnitsWithTheDirectoryTheIngestUsed) {
  ASSERT_EQ(duban({"ingest", notice, "--db", db, "--units", kStateCouncil}).exit_code, 0);

  const auto tasks = duban({"tasks", "--db", db, "--unit", "财政部", "--now", "2024-03-10"});
  ASSERT_EQ(tasks.exit_code, 0) << tasks.err;
  EXPECT_NE(tasks.out.find("inbox of 财政部 (mof)"), std::string::npos) << tasks.out;
  EXPECT_NE(tasks.out.find(": 1 open tasks"), std::string::npos) << tasks.out;

  const auto asof =
      duban({"audit", "asof", "--db", db, "--time", "2100-01-01", "--unit", "商务部"});
  ASSERT_EQ(asof.exit_code, 0) << asof.err;
  EXPECT_NE(asof.out.find("inbox of 商务部 (mofcom)"), std::string::npos) << asof.out;
  EXPECT_NE(asof.out.find(": 2 open tasks"), std::string::npos) << asof.out;

  testing::ServeChild server(
      DUBAN_BINARY, {"serve", "--db", db, "--listen", "127.0.0.1:0", "--demo-tokens", "--quiet"});
  EXPECT_NE(server.process.out().find("ndrc  国家发展改革委"), std::string::npos)
      << server.process.out();
  testing::HttpClient http("127.0.0.1", server.port);
  const auto unit = http.get("/api/v1/units/gacc", server.token);
  EXPECT_EQ(unit.status, 200) << unit.body;
  EXPECT_NE(unit.body.find("海关总署"), std::string::npos) << unit.body;
  EXPECT_EQ(server.stop(), 0);
}

TEST_F(UnitsCli, TheHttpIngestRecordsTheServersDirectory) {
  {
    testing::ServeChild server(
        DUBAN_BINARY, {"serve", "--db", db, "--listen", "127.0.0.1:0", "--demo-tokens", "--quiet",
                       "--units", kStateCouncil});
    testing::HttpClient http("127.0.0.1", server.port);
    const auto r =
        http.request("POST", "/api/v1/documents", kNotice, server.token, "text/markdown");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(server.stop(), 0);
  }
  const auto recorded = recorded_directories(db);
  ASSERT_EQ(recorded.size(), 1u);
  EXPECT_EQ(recorded[0].tsv, slurp(kStateCouncil));
  EXPECT_EQ(leads_of(db, "(二)"), (std::vector<std::string>{"gacc"}));
  const auto tasks = duban({"tasks", "--db", db, "--unit", "海关总署", "--now", "2024-03-10"});
  EXPECT_NE(tasks.out.find("inbox of 海关总署 (gacc)"), std::string::npos) << tasks.out;
}

TEST_F(UnitsCli, AMalformedDirectoryIsRefusedWithItsFileAndLine) {
  const std::string bad = dir.file("bad.tsv");
  write_file(bad, "# a comment\nmof\tministry\t财政部\nonly-an-id\n");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"extract", notice, "--units", bad},
        std::vector<std::string>{"ingest", notice, "--db", db, "--units", bad},
        std::vector<std::string>{"serve", "--db", db, "--listen", "127.0.0.1:0", "--units", bad}}) {
    const auto r = duban(args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find(bad + ": unit directory line 3: expected id, kind and name"),
              std::string::npos)
        << args[0] << ": " << r.err;
  }
  const std::string duplicate = dir.file("dup.tsv");
  write_file(duplicate, "mof\tministry\t财政部\nmof2\tministry\t审计署\t财政部\n");
  const auto r = duban({"extract", notice, "--units", duplicate});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  const auto missing = duban({"extract", notice, "--units", dir.file("none.tsv")});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("none.tsv"), std::string::npos) << missing.err;
  // The refused ingest and server wrote nothing: there is no database at all.
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST(ShippedDirectories, ParseAndNeverShareAnIdWithADifferentName) {
  auto sc = service::parse_directory({slurp(kStateCouncil), kStateCouncil});
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  auto qh = service::parse_directory({slurp(kQinghai), kQinghai});
  ASSERT_TRUE(qh.ok()) << qh.error().message;
  EXPECT_GT(sc->units().size(), 80u);
  // A log may switch directories: an id must not name another body in the other one.
  for (const auto& u : sc->units()) {
    if (u.kind == "group") continue;
    EXPECT_EQ(qh->by_id(u.id), nullptr) << u.id;
  }
  for (const char* name :
       {"国家发展和改革委员会", "工信部", "国家医保局", "中国证监会", "海关总署"}) {
    EXPECT_NE(sc->find(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace duban
