#include <vector>

#include "report/render.h"

namespace duban::report {
namespace {

std::string field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class Csv {
 public:
  explicit Csv(bool bom) {
    if (bom) out_ = "\xEF\xBB\xBF";
  }
  void row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out_ += (i ? "," : "") + field(cells[i]);
    out_ += "\r\n";
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string_view to_string(CsvTable table) {
  switch (table) {
    case CsvTable::kUnits:
      return "units";
    case CsvTable::kDocuments:
      return "documents";
    case CsvTable::kClauses:
      return "clauses";
    case CsvTable::kOverdue:
      return "overdue";
    case CsvTable::kDeadlines:
      return "deadlines";
  }
  return "units";
}

std::optional<CsvTable> parse_csv_table(std::string_view name) {
  for (CsvTable t : {CsvTable::kUnits, CsvTable::kDocuments, CsvTable::kClauses, CsvTable::kOverdue,
                     CsvTable::kDeadlines}) {
    if (to_string(t) == name) return t;
  }
  return std::nullopt;
}

std::string render_csv(const Report& report, CsvTable table, bool bom) {
  Csv csv(bom);
  const auto t = report_table(report, table, CellWords::kMachine);
  std::vector<std::string> header;
  for (const auto& c : t.columns) header.emplace_back(c.key);
  csv.row(header);
  for (const auto& r : t.rows) csv.row(r);
  return csv.take();
}

}  // namespace duban::report
