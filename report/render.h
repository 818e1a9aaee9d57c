// Renderings of a Report: CSV (one table at a time), Excel (every table), JSON (everything) and a
// self-contained HTML page with SVG charts drawn here (no scripts, no external assets). The aligned
// terminal table lives with the command (app/report_command.cpp), next to the other terminal
// tables.
//
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"
#include "report/report.h"
#include "report/tables.h"

namespace duban::report {

// "units" | "documents" | "clauses" | "overdue" | "deadlines", and back (nullopt: unknown).
std::string_view to_string(CsvTable table);
std::optional<CsvTable> parse_csv_table(std::string_view name);

// RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line
// break. UTF-8; `bom` prefixes the byte order mark spreadsheet programs use to detect it.
std::string render_csv(const Report& report, CsvTable table, bool bom = false);

// An Excel workbook (.xlsx, libxlsxwriter): a sheet 报告 naming the date, log position and chain
// hash, then one sheet per table of tables.h with Chinese headers, numbers as numbers, the
// header row frozen and filtered. Error when the library cannot write it (no temporary space).
Result<std::string> render_xlsx(const Report& report);

// One JSON object: {"report": {...header...}, "totals", "units", "documents" (with "clauses"),
// "overdue", "deadlines"}; docs/audit.md lists the keys.
std::string render_json(const Report& report);

// One HTML5 page, UTF-8, with inline CSS and three inline SVG charts (completion by unit, status
// lights by document, deadlines by month), the unit table, the overdue list and every
// document's clauses. References nothing outside itself.
std::string render_html(const Report& report);

}  // namespace duban::report
