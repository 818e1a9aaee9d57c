// Renderings of a Report: CSV (one table at a time), JSON (everything) and a self-contained
// HTML page with SVG charts drawn here (no scripts, no external assets). The aligned terminal
// table lives with the command (app/report_command.cpp), next to the other terminal tables.
//
// Thread-safety: reentrant.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "report/report.h"

namespace duban::report {

// The tables CSV can hold, one per file.
enum class CsvTable { kUnits, kDocuments, kClauses, kOverdue, kDeadlines };

// "units" | "documents" | "clauses" | "overdue" | "deadlines", and back (nullopt: unknown).
std::string_view to_string(CsvTable table);
std::optional<CsvTable> parse_csv_table(std::string_view name);

// RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line
// break. UTF-8; `bom` prefixes the byte order mark spreadsheet programs use to detect it.
std::string render_csv(const Report& report, CsvTable table, bool bom = false);

// One JSON object: {"report": {...header...}, "totals", "units", "documents" (with "clauses"),
// "overdue", "deadlines"}; docs/audit.md lists the keys.
std::string render_json(const Report& report);

// One HTML5 page, UTF-8, with inline CSS and three inline SVG charts (completion by unit, status
// lights by document, deadlines by month), the unit table, the overdue list and every
// document's clauses. References nothing outside itself.
std::string render_html(const Report& report);

}  // namespace duban::report
