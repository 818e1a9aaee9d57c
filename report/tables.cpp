#include "report/tables.h"

#include <cstdio>

namespace duban::report {
namespace {

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

std::string n(long long v) {
  return std::to_string(v);
}

}  // namespace

std::string status_zh(task::Status s) {
  switch (s) {
    case task::Status::kAssigned:
      return "已交办";
    case task::Status::kInProgress:
      return "办理中";
    case task::Status::kCompletionReported:
      return "待审核";
    case task::Status::kClosed:
      return "已办结";
    case task::Status::kCancelled:
      return "已撤销";
  }
  return "";
}

std::string light_zh(task::Light l) {
  switch (l) {
    case task::Light::kNone:
      return "无期限";
    case task::Light::kGreen:
      return "绿灯";
    case task::Light::kYellow:
      return "黄灯";
    case task::Light::kRed:
      return "红灯";
    case task::Light::kDone:
      return "完成";
  }
  return "";
}

ReportTable report_table(const Report& report, CsvTable table, CellWords words) {
  const bool zh = words == CellWords::kChinese;
  auto status = [&](task::Status s) { return zh ? status_zh(s) : std::string(task::to_string(s)); };
  auto light = [&](task::Light l) { return zh ? light_zh(l) : std::string(task::to_string(l)); };
  auto yes_no = [&](bool b) { return zh ? (b ? "是" : "否") : (b ? "yes" : "no"); };
  // Event counts (returned, extensions, urged) are per unit over every document: a report
  // narrowed to one document leaves them empty rather than show figures of other documents.
  const bool by_document = report.options.document.has_value();
  auto event_count = [&](int v) { return by_document ? std::string() : n(v); };
  ReportTable t;
  switch (table) {
    case CsvTable::kUnits:
      t.sheet = "单位考评";
      t.columns = {{"unit", "单位代码"},
                   {"name", "单位"},
                   {"led", "牵头任务", true},
                   {"joined", "参与任务", true},
                   {"acknowledged", "已签收", true},
                   {"closed", "已办结", true},
                   {"closed_on_time", "按时办结", true},
                   {"overdue", "逾期未办结", true},
                   {"returned", "被退回", true},
                   {"extensions", "获准延期", true},
                   {"urged", "被催办", true},
                   {"completion_pct", "办结率(%)", true},
                   {"on_time_pct", "按时率(%)", true},
                   {"late_reports", "进展迟报", true},
                   {"contributions", "配合报告", true}};
      for (const auto& u : report.units) {
        t.rows.push_back({u.unit.str(), u.name, n(u.led), n(u.joined), n(u.acknowledged),
                          n(u.closed), n(u.closed_on_time), n(u.overdue), event_count(u.returned),
                          event_count(u.extensions), event_count(u.urged), percent(u.completion()),
                          percent(u.on_time()), n(u.late_reports), n(u.contributions)});
      }
      break;
    case CsvTable::kDocuments:
      t.sheet = "文件";
      t.columns = {{"document", "文件代码"},
                   {"number", "文号"},
                   {"title", "标题"},
                   {"version", "版本", true},
                   {"tasks", "任务", true},
                   {"assigned", "已交办", true},
                   {"in_progress", "办理中", true},
                   {"completion_reported", "待审核", true},
                   {"closed", "已办结", true},
                   {"cancelled", "已撤销", true},
                   {"green", "绿灯", true},
                   {"yellow", "黄灯", true},
                   {"red", "红灯", true},
                   {"no_deadline", "无期限", true},
                   {"done", "完成", true}};
      for (const auto& d : report.documents) {
        auto s = [&](task::Status st) { return n(d.by_status[static_cast<std::size_t>(st)]); };
        auto l = [&](task::Light li) { return n(d.by_light[static_cast<std::size_t>(li)]); };
        t.rows.push_back({d.document.str(), d.number, d.title, n(d.version), n(d.tasks),
                          s(task::Status::kAssigned), s(task::Status::kInProgress),
                          s(task::Status::kCompletionReported), s(task::Status::kClosed),
                          s(task::Status::kCancelled), l(task::Light::kGreen),
                          l(task::Light::kYellow), l(task::Light::kRed), l(task::Light::kNone),
                          l(task::Light::kDone)});
      }
      break;
    case CsvTable::kClauses:
      t.sheet = "任务条目";
      t.columns = {{"document", "文件代码"},
                   {"label", "条目"},
                   {"task", "任务编号"},
                   {"status", "状态"},
                   {"light", "灯"},
                   {"deadline", "完成时限"},
                   {"leads", "牵头单位"},
                   {"participants", "参与单位"},
                   {"acknowledged_units", "已签收单位数", true},
                   {"heading", "内容"},
                   {"parent", "上级任务"},
                   {"children", "子任务", true},
                   {"children_closed", "子任务已办结", true},
                   {"contributions", "配合报告", true}};
      for (const auto& d : report.documents) {
        for (const auto& c : d.clauses) {
          t.rows.push_back({d.document.str(), c.label, c.task.str(), status(c.status),
                            light(c.light), c.deadline.value_or(""), join(c.leads),
                            join(c.participants), n(c.acknowledged), c.heading, c.parent.str(),
                            n(static_cast<long long>(c.children.size())), n(c.children_closed),
                            n(c.contributions)});
        }
      }
      break;
    case CsvTable::kOverdue:
      t.sheet = "逾期任务";
      t.columns = {{"document", "文件代码"},
                   {"label", "条目"},
                   {"task", "任务编号"},
                   {"deadline", "完成时限"},
                   {"days_overdue", "逾期天数", true},
                   {"status", "状态"},
                   {"leads", "牵头单位"},
                   {"recorded", "已记录逾期"},
                   {"heading", "内容"}};
      for (const auto& o : report.overdue) {
        t.rows.push_back({o.document.str(), o.label, o.task.str(), o.deadline, n(o.days_overdue),
                          status(o.status), join(o.leads), yes_no(o.recorded), o.heading});
      }
      break;
    case CsvTable::kDeadlines:
      t.sheet = "期限分布";
      t.columns = {{"month", "月份"},
                   {"tasks", "任务", true},
                   {"closed_on_time", "按时办结", true},
                   {"closed_late", "逾期办结", true},
                   {"open_due_later", "未到期", true},
                   {"overdue", "逾期未办结", true}};
      for (const auto& m : report.deadlines) {
        t.rows.push_back({m.month, n(m.total()), n(m.closed_on_time), n(m.closed_late),
                          n(m.open_due_later), n(m.overdue)});
      }
      break;
  }
  return t;
}

}  // namespace duban::report
