// The report's flat tables (units, documents, clauses, overdue, deadlines) as rows of cells, one
// shape for every flat rendering: CSV writes the columns' keys as its header and the cells as
// they are; the Excel workbook writes Chinese titles and numbers as numbers.
//
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report/report.h"

namespace duban::report {

// The tables a flat rendering can hold.
enum class CsvTable { kUnits, kDocuments, kClauses, kOverdue, kDeadlines };

struct Column {
  std::string_view key;    // CSV header: stable, machine-readable ("days_overdue")
  std::string_view title;  // spreadsheet header, for people ("逾期天数")
  bool numeric = false;    // cells are integers or decimals (or empty)
};

struct ReportTable {
  std::string_view sheet;  // the sheet's name in a workbook ("逾期任务")
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // one cell per column
};

// How status, light and yes/no cells are written: machine words ("in_progress", "red", "yes")
// or Chinese as the page shows them ("办理中", "红灯", "是").
enum class CellWords { kMachine, kChinese };

ReportTable report_table(const Report& report, CsvTable table, CellWords words);

// Every table, in the order of CsvTable.
inline constexpr CsvTable kAllTables[] = {CsvTable::kUnits, CsvTable::kDocuments,
                                          CsvTable::kClauses, CsvTable::kOverdue,
                                          CsvTable::kDeadlines};

// "已交办" … "已撤销" and "无期限" … "完成", as the web page and the HTML report name them.
std::string status_zh(task::Status s);
std::string light_zh(task::Light l);

}  // namespace duban::report
