// `duban ingest --review`, `duban drafts list|show|correct|publish` and `duban audit history
// --draft` as the supervisor runs them, on a real SQLite file with the bundled gazette: the
// review ingest records only drafts; corrections print and are audited with their actor next to
// the machine's reading; publishing creates the reviewed tasks once; a plain ingest of the same
// text afterwards has nothing to do; every correction kind has --help.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>

#include "storage/sqlite_event_store.h"
#include "tests/support/run_command.h"

namespace duban {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

std::vector<boost::json::object> json_lines(const std::string& out) {
  std::vector<boost::json::object> rows;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) rows.push_back(boost::json::parse(line).as_object());
  return rows;
}

std::map<std::string, int> count_types(const std::string& db) {
  FixedClock clock(from_millis(0));
  auto store = storage::SqliteEventStore::open(
      {.path = db, .mode = storage::SqliteOptions::Mode::read_only}, clock);
  EXPECT_TRUE(store.ok());
  std::map<std::string, int> n;
  if (!store.ok()) return n;
  auto log = (*store)->read_all(GlobalPosition(1), 1'000'000);
  if (log.ok())
    for (const auto& e : *log) ++n[e.type];
  return n;
}

std::string str(const boost::json::value& v) {
  return std::string(v.as_string());
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(DraftsCli, ReviewCorrectPublishAndAudit) {
  TempDir dir;
  const std::string db = dir.file("duban.db");
  auto ingested = run_command(DUBAN_BINARY, {"ingest", kGazette, "--db", db, "--review"});
  ASSERT_EQ(ingested.exit_code, 0) << ingested.err;
  EXPECT_TRUE(contains(ingested.out, "draft of")) << ingested.out;
  auto types = count_types(db);
  EXPECT_EQ(types.size(), 1u);
  EXPECT_GT(types["DraftRecorded"], 0);

  auto list = run_command(DUBAN_BINARY, {"drafts", "--db", db, "--format", "json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  std::string doc;
  for (const auto& row : json_lines(list.out)) {
    if (row.at("clauses").as_int64() > 0 && doc.empty()) doc = str(row.at("document"));
    EXPECT_FALSE(row.at("published").as_bool());
  }
  ASSERT_FALSE(doc.empty());

  auto shown = run_command(DUBAN_BINARY, {"drafts", "show", doc, "--db", db, "--format", "json"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const auto clauses = json_lines(shown.out);
  ASSERT_GE(clauses.size(), 2u);
  // Doubtful clauses come first.
  bool seen_sure = false;
  for (const auto& c : clauses) {
    if (!c.at("doubtful").as_bool()) seen_sure = true;
    if (c.at("doubtful").as_bool()) {
      EXPECT_FALSE(seen_sure);
    }
  }
  const std::string key = str(clauses.back().at("key"));

  auto units =
      run_command(DUBAN_BINARY, {"drafts", "correct", "units", doc, key, "--lead", "省粮食局",
                                 "--participant", "finance", "--reason", "粮食局牵头", "--db", db});
  ASSERT_EQ(units.exit_code, 0) << units.err;
  EXPECT_TRUE(contains(units.out, "corrected (units)")) << units.out;
  auto deadline = run_command(
      DUBAN_BINARY, {"drafts", "correct", "deadline", doc, key, "2016-12-31", "--db", db});
  ASSERT_EQ(deadline.exit_code, 0) << deadline.err;
  auto bad = run_command(DUBAN_BINARY,
                         {"drafts", "correct", "drop", doc, "c999", "--reason", "x", "--db", db});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, "not_found")) << bad.err;

  auto history = run_command(DUBAN_BINARY, {"audit", "history", key, "--draft", doc, "--db", db});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_TRUE(contains(history.out, "machine reading")) << history.out;
  EXPECT_TRUE(contains(history.out, "units")) << history.out;
  EXPECT_TRUE(contains(history.out, "supervisor")) << history.out;
  EXPECT_TRUE(contains(history.out, "粮食局牵头")) << history.out;

  // Clauses without a lead are dropped before 交办.
  int kept = 0;
  for (const auto& c : clauses) {
    bool lead = str(c.at("key")) == key;
    for (const auto& u : c.at("units").as_array()) lead |= str(u.at("role")) == "lead";
    if (lead) {
      ++kept;
      continue;
    }
    auto dropped = run_command(DUBAN_BINARY, {"drafts", "correct", "drop", doc, str(c.at("key")),
                                              "--reason", "无责任单位", "--db", db});
    ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
  }
  auto published = run_command(DUBAN_BINARY, {"drafts", "publish", doc, "--db", db});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_TRUE(contains(published.out, std::to_string(kept) + " tasks created")) << published.out;
  types = count_types(db);
  EXPECT_EQ(types["TaskCreated"], kept);
  EXPECT_EQ(types["DraftPublished"], 1);

  auto again = run_command(DUBAN_BINARY, {"drafts", "publish", doc, "--db", db});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "already published")) << again.out;
  EXPECT_EQ(count_types(db), types);

  auto inbox = run_command(DUBAN_BINARY, {"tasks", "--db", db, "--unit", "grain"});
  ASSERT_EQ(inbox.exit_code, 0) << inbox.err;
  EXPECT_TRUE(contains(inbox.out, doc)) << inbox.out;
}

TEST(DraftsCli, EveryCorrectionKindHasHelp) {
  for (const char* kind :
       {"units", "mode", "label", "deadline", "split", "merge", "drop", "add", "unit-name"}) {
    auto r = run_command(DUBAN_BINARY, {"drafts", "correct", kind, "--help"});
    EXPECT_EQ(r.exit_code, 0) << kind << ": " << r.err;
    EXPECT_TRUE(contains(r.out, std::string("duban drafts correct ") + kind)) << r.out;
  }
  auto r = run_command(DUBAN_BINARY, {"drafts", "correct", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(contains(r.out, "split")) << r.out;
}

}  // namespace
}  // namespace duban
