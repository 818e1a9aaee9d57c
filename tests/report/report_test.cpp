// The supervision report (report/, `duban report` as the real binary) on the scripted year
// of tests/audit/audit_script.h, evaluated at a fixed --now:
//   - per unit: led, joined, acknowledged, closed, closed on time, overdue, returned, extensions,
//     urged; cancelled tasks score nobody; totals, document rows, the overdue list (longest
//     first) and deadlines by month have the known counts;
//   - --unit and --doc narrow the report (under --doc the event counts are unavailable);
//     --position and --until report on an earlier log;
//   - every format parses and has its structure: the table's sections, CSV header and rows of
//     every table (RFC 4180 quoting, optional BOM), JSON keys, and an HTML page with the three
//     SVG charts and no external http(s) reference; the same inputs give the same bytes;
//   - unknown units, documents and positions exit 1, bad options 2.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "report/render.h"
#include "report/report.h"
#include "tests/audit/audit_script.h"
#include "tests/support/run_command.h"

namespace duban::report {
namespace {

namespace json = boost::json;
using audit::testing::AuditScript;
using audit::testing::utc;
using duban::testing::CommandResult;
using duban::testing::run_command;

using duban::testing::contains;

std::string identity(const UnitId& u) {
  return u.str();
}

// The end of 2016 in Asia/Shanghai, as `--now 2016-12-31` reads it: the start of that day.
const Timestamp kNow = utc(2016, 12, 30, 16);

ReportOptions at_time(Timestamp now) {
  ReportOptions o;
  o.now = now;
  return o;
}

class ReportTest : public AuditScript {
 protected:
  void SetUp() override {
    AuditScript::SetUp();
    ASSERT_NO_FATAL_FAILURE(run_script());
  }

  Report build(const ReportOptions& options = at_time(kNow)) {
    const auto& c = captures.back();
    return build_report(c.state, c.position, std::string(32, '\x11'), options, identity);
  }

  const UnitRow& row(const Report& r, const std::string& unit) {
    for (const auto& u : r.units) {
      if (u.unit.str() == unit) return u;
    }
    ADD_FAILURE() << "no row for " << unit;
    static const UnitRow none;
    return none;
  }

  CommandResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    args.insert(args.end(), {"--db", path()});
    return run_command(DUBAN_BINARY, args);
  }
};

TEST_F(ReportTest, UnitFiguresCountTheScriptedYear) {
  const Report r = build();
  const UnitRow& fgw = row(r, "fgw");
  EXPECT_EQ(fgw.led, 1);
  EXPECT_EQ(fgw.joined, 0);
  EXPECT_EQ(fgw.acknowledged, 1);
  EXPECT_EQ(fgw.closed, 1);
  EXPECT_EQ(fgw.closed_on_time, 1) << "closed 2016-05-01, deadline extended to 2016-09-30";
  EXPECT_EQ(fgw.overdue, 0);
  EXPECT_EQ(fgw.returned, 1);
  EXPECT_EQ(fgw.extensions, 1);
  EXPECT_EQ(fgw.completion(), 1.0);

  const UnitRow& grain = row(r, "grain");  // T2 (its part open), T5, T6: all past due
  EXPECT_EQ(grain.led, 3);
  EXPECT_EQ(grain.acknowledged, 0);
  EXPECT_EQ(grain.closed, 0);
  EXPECT_EQ(grain.overdue, 3);
  EXPECT_EQ(grain.urged, 1);
  EXPECT_EQ(grain.completion(), 0.0);
  EXPECT_FALSE(grain.on_time()) << "nothing closed: no on-time rate";

  const UnitRow& commerce = row(r, "commerce");  // T2; T3 was cancelled and scores nobody
  EXPECT_EQ(commerce.led, 1);
  EXPECT_EQ(commerce.acknowledged, 1);
  EXPECT_EQ(commerce.overdue, 1);

  const UnitRow& finance = row(r, "finance");  // joins T1; led T3 (cancelled)
  EXPECT_EQ(finance.led, 0);
  EXPECT_EQ(finance.joined, 1);
  EXPECT_EQ(finance.acknowledged, 1);

  const UnitRow& water = row(r, "water");  // T4 reopened (no deadline), joins T6
  EXPECT_EQ(water.led, 1);
  EXPECT_EQ(water.joined, 1);
  EXPECT_EQ(water.closed, 0);
  EXPECT_EQ(water.overdue, 0);

  EXPECT_EQ(r.units.front().unit.str(), "grain") << "most led first";
}

TEST_F(ReportTest, TotalsDocumentsOverdueAndDeadlines) {
  const Report r = build();
  EXPECT_EQ(r.totals.tasks, 6);
  EXPECT_EQ(r.totals.cancelled, 1);
  EXPECT_EQ(r.totals.closed, 1);
  EXPECT_EQ(r.totals.closed_on_time, 1);
  EXPECT_EQ(r.totals.open, 4);
  EXPECT_EQ(r.totals.overdue, 3);
  EXPECT_EQ(r.totals.no_deadline, 1);
  EXPECT_EQ(r.totals.documents, 2);

  ASSERT_EQ(r.documents.size(), 2u);
  EXPECT_EQ(r.documents[0].document.str(), "D1");
  EXPECT_EQ(r.documents[0].title, "信用体系建设规划");
  EXPECT_EQ(r.documents[0].tasks, 4);
  EXPECT_EQ(r.documents[0].by_light[static_cast<std::size_t>(task::Light::kRed)], 2);
  EXPECT_EQ(r.documents[0].by_light[static_cast<std::size_t>(task::Light::kDone)], 2);
  EXPECT_EQ(r.documents[1].title, "") << "D2's tasks exist, its registration does not";

  ASSERT_EQ(r.overdue.size(), 3u);
  EXPECT_EQ(r.overdue[0].task.str(), "T5");
  EXPECT_EQ(r.overdue[1].task.str(), "T2");
  EXPECT_EQ(r.overdue[2].task.str(), "T6");
  EXPECT_TRUE(r.overdue[0].recorded);
  EXPECT_FALSE(r.overdue[2].recorded) << "no sweep ran after T6 passed its deadline";
  const auto t5_due = *task::deadline_instant("2016-02-29");
  EXPECT_EQ(r.overdue[0].days_overdue,
            std::chrono::duration_cast<std::chrono::days>(kNow - t5_due).count() + 1)
      << "calendar days: 1 on the day after the deadline day";

  std::map<std::string, std::tuple<int, int, int, int>> months;
  for (const auto& m : r.deadlines) {
    months[m.month] = {m.closed_on_time, m.closed_late, m.open_due_later, m.overdue};
  }
  EXPECT_EQ(months,
            (std::map<std::string, std::tuple<int, int, int, int>>{{"2016-02", {0, 0, 0, 1}},
                                                                   {"2016-03", {0, 0, 0, 1}},
                                                                   {"2016-08", {0, 0, 0, 1}},
                                                                   {"2016-09", {1, 0, 0, 0}}}));
}

TEST_F(ReportTest, NowDecidesWhatIsOverdue) {
  const Report spring = build(at_time(utc(2016, 3, 15)));
  EXPECT_EQ(spring.totals.overdue, 1) << "only T5 had passed its deadline by mid-March";
  EXPECT_EQ(row(spring, "grain").overdue, 1);
  EXPECT_EQ(row(spring, "commerce").overdue, 0);
}

TEST_F(ReportTest, AUnitOrADocumentNarrowsTheReport) {
  ReportOptions only_grain = at_time(kNow);
  only_grain.unit = UnitId("grain");
  const Report g = build(only_grain);
  ASSERT_EQ(g.units.size(), 1u);
  EXPECT_EQ(g.units[0].led, 3);
  EXPECT_EQ(g.totals.tasks, 3);

  ReportOptions only_d2 = at_time(kNow);
  only_d2.document = DocumentId("D2");
  const Report d = build(only_d2);
  EXPECT_EQ(d.totals.tasks, 2);
  EXPECT_EQ(row(d, "grain").led, 1);
  EXPECT_EQ(row(d, "water").led, 1);
  EXPECT_EQ(render_csv(d, CsvTable::kUnits).find(",3,"), std::string::npos);
  const auto j = json::parse(render_json(d)).as_object();
  EXPECT_TRUE(j.at("units").as_array()[0].as_object().at("urged").is_null())
      << "event counts cannot be split by document";
}

TEST_F(ReportTest, TheTableHasEverySection) {
  const auto r = cli({"--now", "2016-12-31"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* part :
       {"as of 2016-12-31", "tasks 6: open 4, closed 1 (on time 1), cancelled 1, overdue now 3",
        "\nunits\n", "省粮食局", "\ndocuments\n", "overdue (3)",
        "clauses of D1 信用体系建设规划"}) {
    EXPECT_TRUE(contains(r.out, part)) << part << "\n" << r.out;
  }
}

TEST_F(ReportTest, CsvHasAHeaderAndOneRowPerItemForEveryTable) {
  const std::map<std::string, std::pair<std::string, std::size_t>> expected = {
      {"units",
       {"unit,name,led,joined,acknowledged,closed,closed_on_time,overdue,returned,extensions,urged,"
        "completion_pct,on_time_pct,late_reports,contributions",
        5}},
      {"documents",
       {"document,number,title,version,tasks,assigned,in_progress,completion_reported,closed,"
        "cancelled,green,yellow,red,no_deadline,done",
        2}},
      {"clauses",
       {"document,label,task,status,light,deadline,leads,participants,acknowledged_units,heading,"
        "parent,children,children_closed,contributions",
        6}},
      {"overdue", {"document,label,task,deadline,days_overdue,status,leads,recorded,heading", 3}},
      {"deadlines", {"month,tasks,closed_on_time,closed_late,open_due_later,overdue", 4}}};
  for (const auto& [table, want] : expected) {
    const auto r = cli({"--now", "2016-12-31", "--format", "csv", "--table", table});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> lines;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      ASSERT_FALSE(line.empty() || line.back() != '\r') << "CRLF line ends: " << table;
      lines.push_back(line.substr(0, line.size() - 1));
    }
    ASSERT_FALSE(lines.empty()) << table;
    EXPECT_EQ(lines[0], want.first) << table;
    EXPECT_EQ(lines.size() - 1, want.second) << table << "\n" << r.out;
  }
  const auto units = cli({"--now", "2016-12-31", "--format", "csv"});
  EXPECT_TRUE(contains(units.out, "\r\nfgw,省发展改革委,1,0,1,1,1,0,1,1,0,100.0,100.0,0,0\r\n"))
      << units.out;
  const auto bom = cli({"--now", "2016-12-31", "--format", "csv", "--bom"});
  EXPECT_EQ(bom.out.substr(0, 3), "\xEF\xBB\xBF");
}

TEST(CsvQuoting, FieldsWithCommasQuotesOrLineBreaksAreQuoted) {
  Report r;
  r.now = kNow;
  r.head_hash = std::string(32, '\0');
  DocumentRow d;
  d.document = DocumentId("D,1");
  d.title = "说 \"规划\"";
  r.documents.push_back(d);
  EXPECT_EQ(render_csv(r, CsvTable::kDocuments)
                .substr(render_csv(r, CsvTable::kDocuments).find("\r\n") + 2),
            "\"D,1\",,\"说 \"\"规划\"\"\",0,0,0,0,0,0,0,0,0,0,0,0\r\n");
}

TEST_F(ReportTest, JsonHasTheDocumentedKeys) {
  const auto r = cli({"--now", "2016-12-31", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto o = json::parse(r.out).as_object();
  for (const char* key : {"report", "totals", "units", "documents", "overdue", "deadlines"}) {
    EXPECT_TRUE(o.contains(key)) << key;
  }
  const auto& header = o.at("report").as_object();
  EXPECT_EQ(header.at("date").as_string(), "2016-12-31");
  EXPECT_EQ(header.at("position").as_int64(), head().value());
  EXPECT_EQ(header.at("hash").as_string().size(), 64u);
  EXPECT_EQ(o.at("totals").as_object().at("overdue").as_int64(), 3);
  const auto& unit = o.at("units").as_array()[0].as_object();
  for (const char* key :
       {"unit", "name", "led", "joined", "acknowledged", "closed", "closed_on_time", "overdue",
        "returned", "extensions", "urged", "completion", "on_time"}) {
    EXPECT_TRUE(unit.contains(key)) << key;
  }
  const auto& doc = o.at("documents").as_array()[0].as_object();
  EXPECT_EQ(doc.at("clauses").as_array().size(), 4u);
  for (const char* key : {"task", "label", "heading", "status", "light", "deadline", "leads"}) {
    EXPECT_TRUE(doc.at("clauses").as_array()[0].as_object().contains(key)) << key;
  }
}

TEST_F(ReportTest, HtmlIsOneSelfContainedPageWithTheThreeCharts) {
  const std::string file = dir.file("report.html");
  const auto r = cli({"--now", "2016-12-31", "--format", "html", "--out", file});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  const std::string html = s.str();
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(contains(html, "<meta charset=\"utf-8\">"));
  EXPECT_TRUE(contains(html, "</html>"));
  std::size_t charts = 0;
  for (auto at = html.find("<svg class=\"chart\""); at != std::string::npos;
       at = html.find("<svg class=\"chart\"", at + 1)) {
    ++charts;
  }
  EXPECT_EQ(charts, 3u);
  EXPECT_TRUE(contains(html, "各单位办结情况"));
  EXPECT_TRUE(contains(html, "省粮食局"));
  EXPECT_TRUE(contains(html, "<rect class=\"s-overdue\""));
  EXPECT_TRUE(contains(html, "class=\"now\""));
  EXPECT_FALSE(std::regex_search(html, std::regex("https?:", std::regex::icase)))
      << "no external references";
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "<link"));
  EXPECT_FALSE(contains(html, "src="));
  EXPECT_FALSE(contains(html, "@import"));
  EXPECT_FALSE(contains(html, "url("));
  // Reproducible: the same position and --now give the same bytes.
  const auto again = cli({"--now", "2016-12-31", "--format", "html"});
  EXPECT_EQ(again.out, html);
}

TEST_F(ReportTest, AnEarlierLogByPositionOrTime) {
  const auto& spring = last_at(utc(2016, 3, 15));
  const auto by_position = cli({"--now", "2016-03-16", "--position",
                                std::to_string(spring.position.value()), "--format", "json"});
  ASSERT_EQ(by_position.exit_code, 0) << by_position.err;
  const auto o = json::parse(by_position.out).as_object();
  EXPECT_EQ(o.at("report").as_object().at("position").as_int64(), spring.position.value());
  EXPECT_EQ(o.at("totals").as_object().at("tasks").as_int64(), 5) << "T6 did not exist yet";
  EXPECT_EQ(o.at("totals").as_object().at("cancelled").as_int64(), 0);
  const auto by_time =
      cli({"--now", "2016-03-16", "--until", "2016-03-15T12:00Z", "--format", "json"});
  ASSERT_EQ(by_time.exit_code, 0) << by_time.err;
  EXPECT_EQ(by_time.out, by_position.out);
}

TEST_F(ReportTest, UnknownThingsAndBadOptionsHaveTheirExitStatus) {
  EXPECT_EQ(cli({"--unit", "nobody-at-all"}).exit_code, 1);
  EXPECT_EQ(cli({"--doc", "no such document"}).exit_code, 1);
  EXPECT_EQ(cli({"--position", "99999"}).exit_code, 1);
  EXPECT_EQ(cli({"--format", "pdf"}).exit_code, 2);
  EXPECT_EQ(cli({"--format", "csv", "--table", "everything"}).exit_code, 2);
  EXPECT_EQ(cli({"--now", "next year"}).exit_code, 2);
  EXPECT_EQ(cli({"--position", "3", "--until", "2016-01-01"}).exit_code, 2);
  EXPECT_EQ(run_command(DUBAN_BINARY, {"report", "--db", dir.file("missing.db")}).exit_code, 2);
  const auto grain = cli({"--unit", "省粮食局", "--now", "2016-12-31", "--format", "json"});
  ASSERT_EQ(grain.exit_code, 0) << grain.err;
  EXPECT_EQ(json::parse(grain.out).as_object().at("units").as_array().size(), 1u);
}

}  // namespace
}  // namespace duban::report
