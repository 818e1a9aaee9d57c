// `duban report --format xlsx` (report/render.h, render_xlsx): the workbook is read back with
// libzip and pugixml, as a spreadsheet program would, and must hold the same rows as the CSV of
// each table, with Chinese headers, numbers as numbers and status words in Chinese.
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "tests/audit/audit_script.h"
#include "tests/support/run_command.h"

namespace duban::report {
namespace {

using audit::testing::AuditScript;
using duban::testing::run_command;

using Rows = std::vector<std::vector<std::string>>;

// RFC 4180 as render_csv writes it (CRLF, quotes doubled).
Rows parse_csv(const std::string& text) {
  Rows rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(cell));
      cell.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      rows.emplace_back();
      ++i;
    } else {
      cell += c;
    }
  }
  rows.pop_back();  // after the last CRLF
  return rows;
}

class Xlsx {
 public:
  explicit Xlsx(const std::string& path) {
    int err = 0;
    zip_ = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!zip_) throw std::runtime_error("not a zip archive: " + path);
    pugi::xml_document strings;
    if (strings.load_string(entry("xl/sharedStrings.xml").c_str())) {
      for (auto si : strings.child("sst").children("si")) {
        std::string s;
        for (auto t : si.select_nodes(".//t")) s += t.node().text().get();
        shared_.push_back(s);
      }
    }
    pugi::xml_document book;
    book.load_string(entry("xl/workbook.xml").c_str());
    int n = 1;
    for (auto sheet : book.child("workbook").child("sheets").children("sheet")) {
      sheets_[sheet.attribute("name").value()] =
          "xl/worksheets/sheet" + std::to_string(n++) + ".xml";
    }
  }
  ~Xlsx() {
    if (zip_) zip_close(zip_);
  }
  std::vector<std::string> sheet_names_in(const std::vector<std::string>& wanted) const {
    std::vector<std::string> found;
    for (const auto& w : wanted) {
      if (sheets_.count(w)) found.push_back(w);
    }
    return found;
  }
  // Every row of a sheet as text; numeric cells as written by %g, with a "#" before them.
  Rows rows(const std::string& sheet) {
    pugi::xml_document doc;
    doc.load_string(entry(sheets_.at(sheet)).c_str());
    Rows out;
    for (auto row : doc.child("worksheet").child("sheetData").children("row")) {
      std::vector<std::string> cells;
      for (auto c : row.children("c")) {
        const std::string ref = c.attribute("r").value();
        std::size_t col = 0;
        for (char ch : ref) {
          if (ch < 'A' || ch > 'Z') break;
          col = col * 26 + static_cast<std::size_t>(ch - 'A' + 1);
        }
        cells.resize(std::max(cells.size(), col));
        const std::string v = c.child("v").text().get();
        if (std::string(c.attribute("t").value()) == "s") {
          cells[col - 1] = shared_.at(std::stoul(v));
        } else {
          cells[col - 1] = "#" + v;
        }
      }
      out.push_back(std::move(cells));
    }
    return out;
  }

 private:
  std::string entry(const std::string& name) {
    zip_file_t* f = zip_fopen(zip_, name.c_str(), 0);
    if (!f) return {};
    std::string out;
    char buf[8192];
    for (zip_int64_t n; (n = zip_fread(f, buf, sizeof buf)) > 0;) out.append(buf, std::size_t(n));
    zip_fclose(f);
    return out;
  }
  zip_t* zip_ = nullptr;
  std::vector<std::string> shared_;
  std::map<std::string, std::string> sheets_;
};

class XlsxReportTest : public AuditScript {
 protected:
  void SetUp() override {
    AuditScript::SetUp();
    ASSERT_NO_FATAL_FAILURE(run_script());
  }
  duban::testing::CommandResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), "report");
    args.insert(args.end(), {"--db", path(), "--now", "2016-12-31"});
    return run_command(DUBAN_BINARY, args);
  }
};

TEST_F(XlsxReportTest, EverySheetHoldsTheRowsOfItsCsvTableWithChineseHeaders) {
  const std::string file = dir.file("考评.xlsx");
  const auto written = cli({"--format", "xlsx", "--out", file});
  ASSERT_EQ(written.exit_code, 0) << written.err;
  Xlsx book(file);
  const std::map<std::string, std::string> sheet_of = {{"units", "单位考评"},
                                                       {"documents", "文件"},
                                                       {"clauses", "任务条目"},
                                                       {"overdue", "逾期任务"},
                                                       {"deadlines", "期限分布"}};
  for (const auto& [table, sheet] : sheet_of) {
    const auto csv = cli({"--format", "csv", "--table", table});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const Rows want = parse_csv(csv.out);
    const Rows got = book.rows(sheet);
    ASSERT_EQ(got.size(), want.size()) << sheet;
    for (std::size_t r = 1; r < want.size(); ++r) {
      for (std::size_t c = 0; c < want[r].size(); ++c) {
        const std::string& w = want[r][c];
        const std::string g = c < got[r].size() ? got[r][c] : "";
        const std::string& key = want[0][c];
        if (key == "status" || key == "light" || key == "recorded") {
          EXPECT_FALSE(g.empty()) << sheet << " row " << r << " " << key;
          EXPECT_NE(g, w) << "in Chinese, not " << w;
        } else if (!g.empty() && g[0] == '#') {
          EXPECT_DOUBLE_EQ(std::strtod(g.c_str() + 1, nullptr), std::strtod(w.c_str(), nullptr))
              << sheet << " row " << r << " " << key;
        } else {
          EXPECT_EQ(g, w) << sheet << " row " << r << " " << key;
        }
      }
    }
  }
  const Rows overdue = book.rows("逾期任务");
  ASSERT_GE(overdue.size(), 2u);
  EXPECT_EQ(overdue[0][4], "逾期天数");
  EXPECT_EQ(overdue[1][4][0], '#') << "days overdue is a number";
  EXPECT_TRUE(overdue[1][5] == "已交办" || overdue[1][5] == "办理中" || overdue[1][5] == "待审核")
      << overdue[1][5];
  const Rows about = book.rows("报告");
  EXPECT_EQ(about.at(1).at(1), "2016-12-31");
}

TEST_F(XlsxReportTest, AWorkbookNeedsAnOutputFile) {
  const auto r = cli({"--format", "xlsx"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--out"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace duban::report
