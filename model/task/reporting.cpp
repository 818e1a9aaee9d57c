#include "model/task/reporting.h"

#include <algorithm>
#include <cstdio>

#include "model/task/relative_deadlines.h"

namespace duban::task {

namespace {

using std::chrono::year_month_day;

int month_index(year_month_day day) {
  return static_cast<int>(day.year()) * 12 + static_cast<int>(static_cast<unsigned>(day.month())) -
         1;
}

// First and last month index of a period.
std::pair<int, int> months_of(ReportingCycle cycle, int period) {
  if (cycle == ReportingCycle::kQuarterly) return {period * 3, period * 3 + 2};
  return {period, period};
}

year_month_day last_day_of_month(int month) {
  const std::chrono::year_month_day_last last{
      std::chrono::year(month / 12),
      std::chrono::month_day_last(std::chrono::month(static_cast<unsigned>(month % 12 + 1)))};
  return year_month_day(last);
}

bool reported_in(const TaskState& s, int period) {
  const auto [first, last] = months_of(s.reporting_cycle, period);
  auto it = std::lower_bound(s.progress_months.begin(), s.progress_months.end(), first);
  return it != s.progress_months.end() && *it <= last;
}

}  // namespace

std::string_view to_string(ReportingCycle cycle) {
  switch (cycle) {
    case ReportingCycle::kNone:
      return "none";
    case ReportingCycle::kMonthly:
      return "monthly";
    case ReportingCycle::kQuarterly:
      return "quarterly";
  }
  return "none";
}

std::optional<ReportingCycle> reporting_cycle_named(std::string_view name) {
  if (name == "none" || name == "无") return ReportingCycle::kNone;
  if (name == "monthly" || name == "每月") return ReportingCycle::kMonthly;
  if (name == "quarterly" || name == "每季度") return ReportingCycle::kQuarterly;
  return std::nullopt;
}

int report_period(ReportingCycle cycle, year_month_day day) {
  switch (cycle) {
    case ReportingCycle::kNone:
      return 0;
    case ReportingCycle::kMonthly:
      return month_index(day);
    case ReportingCycle::kQuarterly:
      return month_index(day) / 3;
  }
  return 0;
}

std::string report_period_label(ReportingCycle cycle, int period) {
  char buf[16];
  if (cycle == ReportingCycle::kQuarterly) {
    std::snprintf(buf, sizeof buf, "%04d-Q%d", period / 4, period % 4 + 1);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d", period / 12, period % 12 + 1);
  }
  return buf;
}

std::optional<std::pair<ReportingCycle, int>> parse_report_period(std::string_view label) {
  if (label.size() != 7 || label[4] != '-') return std::nullopt;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (label[i] < '0' || label[i] > '9') return std::nullopt;
    year = year * 10 + (label[i] - '0');
  }
  if (label[5] == 'Q' && label[6] >= '1' && label[6] <= '4') {
    return std::pair{ReportingCycle::kQuarterly, year * 4 + (label[6] - '1')};
  }
  if (label[5] < '0' || label[5] > '1' || label[6] < '0' || label[6] > '9') return std::nullopt;
  const int month = (label[5] - '0') * 10 + (label[6] - '0');
  if (month < 1 || month > 12) return std::nullopt;
  return std::pair{ReportingCycle::kMonthly, year * 12 + month - 1};
}

std::string report_period_last_day(ReportingCycle cycle, int period) {
  return calendar::format_date(last_day_of_month(months_of(cycle, period).second));
}

std::vector<Event> report_reminders(const TaskState& s, Timestamp now) {
  if (!s.is_open() || s.reporting_cycle == ReportingCycle::kNone) return {};
  const ReportingCycle cycle = s.reporting_cycle;
  const year_month_day today = shanghai_date(now);
  const int current = report_period(cycle, today);
  std::vector<Event> out;
  for (int p = std::max(s.first_report_period, s.report_overdue_period + 1); p < current; ++p) {
    if (reported_in(s, p)) continue;
    out.push_back(ProgressReportOverdue{report_period_label(cycle, p),
                                        report_period_last_day(cycle, p), now});
  }
  if (current >= s.first_report_period && current > s.report_due_period &&
      !reported_in(s, current)) {
    const auto last = last_day_of_month(months_of(cycle, current).second);
    const auto window_start = std::chrono::sys_days(last) - std::chrono::days(6);
    if (std::chrono::sys_days(today) >= window_start) {
      out.push_back(
          ProgressReportDue{report_period_label(cycle, current), calendar::format_date(last), now});
    }
  }
  return out;
}

}  // namespace duban::task
