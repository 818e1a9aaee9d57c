// `duban ingest --review`, `duban drafts list|show|correct|publish` and `duban audit history
// --draft` as the supervisor runs them, on a real SQLite file with the bundled gazette: the
// review ingest records only drafts; corrections print and are audited with their actor next to
// the machine's reading; publishing creates the reviewed tasks once; a plain ingest of the same
// text afterwards has nothing to do; every correction kind has --help.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>

#include "storage/event_codec.h"
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

using duban::testing::contains;

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

const char* kRelative =
    "# 关于做好春节前后信访工作的任务分工\n\n"
    "一、畅通渠道\n\n"
    "（一）畅通投诉渠道。开通热线，7个工作日内答复。（省信访局牵头负责）\n\n"
    "（二）开展回访。收到报告后30日内完成回访。（省民政厅负责）\n\n"
    "（三）完善制度。到2016年底前完成。（省财政厅负责）\n";

// kRelative with (二) moved to 省粮食局 and a clause (四) added.
const char* kRelativeRevised =
    "# 关于做好春节前后信访工作的任务分工\n\n"
    "一、畅通渠道\n\n"
    "（一）畅通投诉渠道。开通热线，7个工作日内答复。（省信访局牵头负责）\n\n"
    "（二）开展回访。收到报告后30日内完成回访。（省粮食局负责）\n\n"
    "（三）完善制度。到2016年底前完成。（省财政厅负责）\n\n"
    "（四）加强宣传。做好信访政策宣传解读。（省委宣传部负责）\n";

// TaskCreated deadlines by clause label.
std::map<std::string, std::string> created_deadlines(const std::string& db) {
  FixedClock clock(from_millis(0));
  auto store = storage::SqliteEventStore::open(
      {.path = db, .mode = storage::SqliteOptions::Mode::read_only}, clock);
  EXPECT_TRUE(store.ok());
  std::map<std::string, std::string> out;
  if (!store.ok()) return out;
  auto log = (*store)->read_all(GlobalPosition(1), 1'000'000);
  if (!log.ok()) return out;
  for (const auto& e : *log) {
    auto decoded = storage::decode_event(e);
    if (!decoded.ok()) continue;
    if (auto* c = std::get_if<task::TaskCreated>(&*decoded))
      out[c->provenance.label] = c->deadline.value_or("-");
  }
  return out;
}

std::string document_of(const std::string& db) {
  auto list = run_command(DUBAN_BINARY, {"drafts", "--db", db, "--format", "json"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  for (const auto& row : json_lines(list.out)) return str(row.at("document"));
  return "";
}

TEST(DraftsCli, PublishResolvesRelativeDeadlinesInWorkingDaysAcrossSpringFestival) {
  TempDir dir;
  const std::string file = dir.write("relative.md", kRelative);
  const std::string db = dir.file("duban.db");
  auto reviewed = run_command(DUBAN_BINARY, {"ingest", file, "--db", db, "--review"});
  ASSERT_EQ(reviewed.exit_code, 0) << reviewed.err;
  const std::string doc = document_of(db);
  auto shown = run_command(DUBAN_BINARY, {"drafts", "show", doc, "--db", db});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(contains(shown.out, "7个工作日内")) << shown.out;

  auto published = run_command(
      DUBAN_BINARY, {"drafts", "publish", doc, "--db", db, "--now", "2016-02-05", "--simulate"});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_TRUE(contains(published.out, "3 tasks created")) << published.out;
  const auto deadlines = created_deadlines(db);
  ASSERT_EQ(deadlines.size(), 3u);
  // Fri 02-05: Sat 02-06 (worked) 1, Sun 02-14 (worked) 2, 02-15..19 3..7.
  EXPECT_EQ(deadlines.at("(一)"), "2016-02-19");
  EXPECT_EQ(deadlines.at("(二)"), "2016-03-07");  // 03-06 is a Sunday
  EXPECT_EQ(deadlines.at("(三)"), "2016-12-31");
}

TEST(DraftsCli, ARevisionIngestedForReviewIsShownAsProposedChangesAndAppliedAtPublish) {
  TempDir dir;
  const std::string v1 = dir.write("v1.md", kRelative);
  const std::string v2 = dir.write("v2.md", kRelativeRevised);
  const std::string db = dir.file("duban.db");
  ASSERT_EQ(
      run_command(DUBAN_BINARY, {"ingest", v1, "--db", db, "--now", "2016-02-05", "--simulate"})
          .exit_code,
      0);
  const auto live = count_types(db);

  auto reviewed = run_command(DUBAN_BINARY, {"ingest", v2, "--db", db, "--review"});
  ASSERT_EQ(reviewed.exit_code, 0) << reviewed.err;
  EXPECT_TRUE(contains(reviewed.out, "draft of 4 clauses")) << reviewed.out;
  auto types = count_types(db);
  EXPECT_EQ(types["DraftRecorded"], 1);
  types.erase("DraftRecorded");
  EXPECT_EQ(types, live);  // no task changed yet

  const std::string doc = document_of(db);
  auto shown = run_command(
      DUBAN_BINARY, {"drafts", "show", doc, "--db", db, "--now", "2016-03-01", "--simulate"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_TRUE(contains(shown.out, "change")) << shown.out;
  EXPECT_TRUE(contains(shown.out, "new task")) << shown.out;
  EXPECT_TRUE(contains(shown.out, "ReassignTask")) << shown.out;
  EXPECT_FALSE(contains(shown.out, "CancelTask")) << shown.out;
  auto json = run_command(DUBAN_BINARY, {"drafts", "show", doc, "--db", db, "--format", "json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  std::map<std::string, std::string> proposed;
  for (const auto& c : json_lines(json.out)) proposed[str(c.at("label"))] = str(c.at("proposed"));
  EXPECT_EQ(proposed["(一)"], "");
  EXPECT_TRUE(contains(proposed["(二)"], "units")) << proposed["(二)"];
  EXPECT_EQ(proposed["(四)"], "new task");

  auto published = run_command(
      DUBAN_BINARY, {"drafts", "publish", doc, "--db", db, "--now", "2016-03-01", "--simulate"});
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_TRUE(contains(published.out, "v2: 1 tasks created, 1 reassigned")) << published.out;
  auto inbox = run_command(DUBAN_BINARY, {"tasks", "--db", db, "--unit", "grain"});
  EXPECT_TRUE(contains(inbox.out, "开展回访")) << inbox.out;

  // The same revised file again changes nothing, reviewed or not.
  types = count_types(db);
  auto again = run_command(DUBAN_BINARY, {"ingest", v2, "--db", db, "--review"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "unchanged")) << again.out;
  auto plain = run_command(DUBAN_BINARY, {"ingest", v2, "--db", db});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_TRUE(contains(plain.out, "nothing to do")) << plain.out;
  EXPECT_EQ(count_types(db), types);
}

}  // namespace
}  // namespace duban
