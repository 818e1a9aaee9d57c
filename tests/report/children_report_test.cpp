// The supervision report (report/) on child tasks and contributions (issue 15), built from a
// real SQLite log through TaskService: a participant's contribution is counted in its unit row
// and on its task's row, and a group expanded into its members lists its children on the
// parent's row while each child is a row of the same clause naming its parent. The CSV, HTML and
// Excel renderings show the children's progress (children, children closed) and the count of
// contributions, per clause and per unit.
#include <gtest/gtest.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "model/task/streams.h"
#include "report/render.h"
#include "report/report.h"
#include "tests/service/service_fixture.h"

namespace duban::report {
namespace {

using service::testing::create;
using service::testing::kSupervisor;
using service::testing::unit;
using service::testing::utc;

std::string identity(const UnitId& u) {
  return u.str();
}

class ChildrenReport : public service::testing::ServiceTest {
 protected:
  Report build() {
    ReportOptions o;
    o.now = utc(2016, 2, 1);
    return build_report(model.state(), head(), std::string(32, '\x11'), o, identity);
  }
  // Expands T1's group into its eight members, and closes Xining's child task.
  void expand_and_close_one_child() {
    accept(create("T1", {"fgw"}, {"city-prefecture-govs", "swt"}, std::string("2016-06-30")),
           kSupervisor);
    accept(task::ReportContribution{TaskId("T1"), "提供了进出口数据"}, unit("swt"));
    accept(task::ExpandTask{TaskId("T1"), UnitId("city-prefecture-govs"), {}, std::nullopt, ""},
           kSupervisor);
    const TaskId child("T1~xining-gov");
    accept(task::AcknowledgeTask{child}, unit("xining-gov"));
    accept(task::ReportCompletion{child, "已完成", {}}, unit("xining-gov"));
    accept(task::ApproveCompletion{child, std::nullopt}, kSupervisor);
  }
  static const ClauseRow* clause(const Report& r, const std::string& task) {
    for (const auto& d : r.documents) {
      for (const auto& c : d.clauses) {
        if (c.task.str() == task) return &c;
      }
    }
    return nullptr;
  }
};

TEST_F(ChildrenReport, AParticipantsContributionsAreCountedForItsUnitAndTask) {
  accept(create("T1", {"fgw"}, {"swt"}, std::string("2016-06-30")), kSupervisor);
  accept(task::ReportContribution{TaskId("T1"), "提供了进出口数据"}, unit("swt"));
  accept(task::ReportContribution{TaskId("T1"), "完成了调研"}, unit("swt"));
  const Report r = build();
  auto swt = std::find_if(r.units.begin(), r.units.end(),
                          [](const UnitRow& u) { return u.unit == UnitId("swt"); });
  ASSERT_NE(swt, r.units.end());
  EXPECT_EQ(swt->contributions, 2);
  ASSERT_NE(clause(r, "T1"), nullptr);
  EXPECT_EQ(clause(r, "T1")->contributions, 2);
}

TEST_F(ChildrenReport, AParentsRowListsItsChildrenAndEachChildNamesItsParent) {
  accept(create("T1", {"fgw"}, {"city-prefecture-govs"}, std::string("2016-06-30")), kSupervisor);
  accept(task::ExpandTask{TaskId("T1"), UnitId("city-prefecture-govs"), {}, std::nullopt, ""},
         kSupervisor);
  const Report r = build();
  const ClauseRow* parent = clause(r, "T1");
  ASSERT_NE(parent, nullptr);
  EXPECT_EQ(parent->children.size(), 8u);
  const ClauseRow* xining = clause(r, "T1~xining-gov");
  ASSERT_NE(xining, nullptr);
  EXPECT_EQ(xining->parent, TaskId("T1"));
  EXPECT_EQ(xining->leads, std::vector<std::string>{"xining-gov"});
}

TEST_F(ChildrenReport, AParentsRowCountsItsClosedChildren) {
  expand_and_close_one_child();
  const Report r = build();
  ASSERT_NE(clause(r, "T1"), nullptr);
  EXPECT_EQ(clause(r, "T1")->children.size(), 8u);
  EXPECT_EQ(clause(r, "T1")->children_closed, 1);
  EXPECT_EQ(clause(r, "T1~xining-gov")->status, task::Status::kClosed);
  EXPECT_NE(render_json(r).find("\"children_closed\":1"), std::string::npos)
      << "JSON has the children's progress too";
}

// The row whose `key` column is `value` in a CSV table, as a map from header key to cell (no
// quoting in these rows).
std::map<std::string, std::string> csv_row(const std::string& csv, const std::string& key,
                                           const std::string& value) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  const auto column = std::find(rows[0].begin(), rows[0].end(), key) - rows[0].begin();
  std::map<std::string, std::string> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() <= static_cast<std::size_t>(column) || rows[r][column] != value) continue;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) {
      out[rows[0][c]] = rows[r][c];
    }
  }
  return out;
}

TEST_F(ChildrenReport, CsvShowsChildrenProgressAndContributionsPerClauseAndUnit) {
  expand_and_close_one_child();
  const Report r = build();
  const auto parent = csv_row(render_csv(r, CsvTable::kClauses), "task", "T1");
  EXPECT_EQ(parent.at("parent"), "");
  EXPECT_EQ(parent.at("children"), "8");
  EXPECT_EQ(parent.at("children_closed"), "1");
  EXPECT_EQ(parent.at("contributions"), "1");
  const auto child = csv_row(render_csv(r, CsvTable::kClauses), "task", "T1~xining-gov");
  EXPECT_EQ(child.at("parent"), "T1");
  EXPECT_EQ(child.at("children"), "0");
  const auto swt = csv_row(render_csv(r, CsvTable::kUnits), "unit", "swt");
  EXPECT_EQ(swt.at("contributions"), "1");
}

TEST_F(ChildrenReport, HtmlShowsChildrenProgressAndContributions) {
  expand_and_close_one_child();
  const std::string html = render_html(build());
  EXPECT_NE(html.find("<th>子任务</th>"), std::string::npos);
  EXPECT_NE(html.find("1/8 已办结"), std::string::npos) << "the parent's children's progress";
  EXPECT_NE(html.find("上级 T1"), std::string::npos) << "a child names its parent";
  EXPECT_NE(html.find("配合报告"), std::string::npos);
}

// The Excel workbook has the same columns, with Chinese titles (read back with libzip).
TEST_F(ChildrenReport, ExcelHasTheChildrenAndContributionColumns) {
  expand_and_close_one_child();
  const auto xlsx = render_xlsx(build());
  ASSERT_TRUE(xlsx.ok());
  const std::string path = dir.file("report.xlsx");
  std::ofstream(path, std::ios::binary) << *xlsx;
  int err = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &err);
  ASSERT_NE(zip, nullptr);
  zip_stat_t st;
  ASSERT_EQ(zip_stat(zip, "xl/sharedStrings.xml", 0, &st), 0);
  std::string strings(st.size, '\0');
  zip_file_t* f = zip_fopen(zip, "xl/sharedStrings.xml", 0);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(zip_fread(f, strings.data(), st.size), static_cast<zip_int64_t>(st.size));
  zip_fclose(f);
  zip_close(zip);
  for (const char* title : {"上级任务", "子任务", "子任务已办结", "配合报告"}) {
    EXPECT_NE(strings.find(title), std::string::npos) << title;
  }
}

}  // namespace
}  // namespace duban::report
