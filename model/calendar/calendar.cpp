#include "model/calendar/calendar.h"

#include <cctype>
#include <cstdio>

namespace duban::calendar {

std::string_view builtin_calendar_tsv();  // generated from data/calendar-cn.tsv

namespace {

bool weekend(std::chrono::sys_days day) {
  const std::chrono::weekday w(day);
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? tab : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return fields;
}

Error invalid(int line, const std::string& what) {
  return make_error("invalid_calendar", "calendar line " + std::to_string(line) + ": " + what);
}

}  // namespace

Date parse_date(std::string_view t) {
  auto num = [&](std::size_t from, std::size_t count) {
    int v = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(t[i]))) return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return Date{};
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || m < 0 || d < 0) return Date{};
  return Date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
              std::chrono::day(static_cast<unsigned>(d))};
}

std::string format_date(Date day) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return buf;
}

Result<Calendar> Calendar::parse(std::string_view tsv) {
  Calendar cal;
  int number = 0;
  while (!tsv.empty()) {
    const std::size_t nl = tsv.find('\n');
    std::string_view line = tsv.substr(0, nl);
    tsv = nl == std::string_view::npos ? std::string_view{} : tsv.substr(nl + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const auto f = split_tabs(line);
    if (f.size() < 2) return invalid(number, "expected at least two tab-separated fields");
    if (f[0] == "covers") {
      int year = 0;
      for (char c : f[1]) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return invalid(number, "bad year");
        year = year * 10 + (c - '0');
      }
      if (f[1].size() != 4) return invalid(number, "bad year");
      cal.covered_.insert(year);
      continue;
    }
    const Date day = parse_date(f[0]);
    if (!day.ok()) return invalid(number, "'" + std::string(f[0]) + "' is not a YYYY-MM-DD date");
    Entry entry;
    if (f[1] == "holiday") {
      entry.working = false;
    } else if (f[1] == "workday") {
      entry.working = true;
      if (!weekend(std::chrono::sys_days(day))) {
        return invalid(number, std::string(f[0]) + " is a make-up working day but not a weekend");
      }
    } else {
      return invalid(number, "kind must be holiday or workday, not '" + std::string(f[1]) + "'");
    }
    if (f.size() > 2) entry.name = std::string(f[2]);
    if (!cal.days_.emplace(std::chrono::sys_days(day), std::move(entry)).second) {
      return invalid(number, std::string(f[0]) + " is listed twice");
    }
  }
  return cal;
}

const Calendar& Calendar::builtin() {
  static const Calendar cal = [] {
    auto parsed = parse(builtin_calendar_tsv());
    // The build embeds data/calendar-cn.tsv; a broken one is a bug the tests catch.
    return parsed ? std::move(*parsed) : Calendar{};
  }();
  return cal;
}

bool Calendar::is_working_day(Date day) const {
  const std::chrono::sys_days d(day);
  if (auto it = days_.find(d); it != days_.end()) return it->second.working;
  return !weekend(d);
}

Date Calendar::add_working_days(Date from, int n) const {
  std::chrono::sys_days d(from);
  while (n > 0) {
    d += std::chrono::days(1);
    if (is_working_day(Date(d))) --n;
  }
  return Date(d);
}

Date Calendar::add_calendar_days(Date from, int n) const {
  if (n <= 0) return from;
  std::chrono::sys_days d = std::chrono::sys_days(from) + std::chrono::days(n);
  while (!is_working_day(Date(d))) d += std::chrono::days(1);
  return Date(d);
}

std::string Calendar::name_of(Date day) const {
  auto it = days_.find(std::chrono::sys_days(day));
  return it == days_.end() ? std::string() : it->second.name;
}

}  // namespace duban::calendar
