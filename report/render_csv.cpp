#include <cstdio>
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

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "、") + n;
  return out;
}

std::string percent(std::optional<double> share) {
  if (!share) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", *share * 100.0);
  return buf;
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

std::string n(long long v) {
  return std::to_string(v);
}

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
  const bool by_document = report.options.document.has_value();
  auto event_count = [&](int v) { return by_document ? std::string() : n(v); };
  switch (table) {
    case CsvTable::kUnits:
      csv.row({"unit", "name", "led", "joined", "acknowledged", "closed", "closed_on_time",
               "overdue", "returned", "extensions", "urged", "completion_pct", "on_time_pct",
               "late_reports"});
      for (const auto& u : report.units) {
        csv.row({u.unit.str(), u.name, n(u.led), n(u.joined), n(u.acknowledged), n(u.closed),
                 n(u.closed_on_time), n(u.overdue), event_count(u.returned),
                 event_count(u.extensions), event_count(u.urged), percent(u.completion()),
                 percent(u.on_time()), n(u.late_reports)});
      }
      break;
    case CsvTable::kDocuments:
      csv.row({"document", "number", "title", "version", "tasks", "assigned", "in_progress",
               "completion_reported", "closed", "cancelled", "green", "yellow", "red",
               "no_deadline", "done"});
      for (const auto& d : report.documents) {
        auto s = [&](task::Status st) { return n(d.by_status[static_cast<std::size_t>(st)]); };
        auto l = [&](task::Light li) { return n(d.by_light[static_cast<std::size_t>(li)]); };
        csv.row({d.document.str(), d.number, d.title, n(d.version), n(d.tasks),
                 s(task::Status::kAssigned), s(task::Status::kInProgress),
                 s(task::Status::kCompletionReported), s(task::Status::kClosed),
                 s(task::Status::kCancelled), l(task::Light::kGreen), l(task::Light::kYellow),
                 l(task::Light::kRed), l(task::Light::kNone), l(task::Light::kDone)});
      }
      break;
    case CsvTable::kClauses:
      csv.row({"document", "label", "task", "status", "light", "deadline", "leads", "participants",
               "acknowledged_units", "heading"});
      for (const auto& d : report.documents) {
        for (const auto& c : d.clauses) {
          csv.row({d.document.str(), c.label, c.task.str(), std::string(task::to_string(c.status)),
                   std::string(task::to_string(c.light)), c.deadline.value_or(""), join(c.leads),
                   join(c.participants), n(c.acknowledged), c.heading});
        }
      }
      break;
    case CsvTable::kOverdue:
      csv.row({"document", "label", "task", "deadline", "days_overdue", "status", "leads",
               "recorded", "heading"});
      for (const auto& o : report.overdue) {
        csv.row({o.document.str(), o.label, o.task.str(), o.deadline, n(o.days_overdue),
                 std::string(task::to_string(o.status)), join(o.leads), o.recorded ? "yes" : "no",
                 o.heading});
      }
      break;
    case CsvTable::kDeadlines:
      csv.row({"month", "tasks", "closed_on_time", "closed_late", "open_due_later", "overdue"});
      for (const auto& m : report.deadlines) {
        csv.row({m.month, n(m.total()), n(m.closed_on_time), n(m.closed_late), n(m.open_due_later),
                 n(m.overdue)});
      }
      break;
  }
  return csv.take();
}

}  // namespace duban::report
