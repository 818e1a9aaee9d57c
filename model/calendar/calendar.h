// The working-day calendar: which dates are days off (weekends, public holidays) and which
// weekend dates are worked in exchange (调休上班), and the arithmetic on it that deadlines need.
//
// Pure: the calendar is parsed from text (data/calendar-cn.tsv describes the format; the copy
// embedded at build time is Calendar::builtin()); reading a file is the caller's job (the CLI's
// --calendar). Dates are civil dates in Asia/Shanghai.
//
// Counting follows the rules the State Council's documents and the Civil Code use:
//   - "N个工作日内" from day D: the day D itself is not counted; the span ends on the N-th
//     working day after D (add_working_days).
//   - "N日内" from day D: D is not counted, the span ends on D + N; if that day is a day off
//     the span ends on the next working day (民法典 第二百零三条: 期间的最后一日是法定休假日的，
//     以法定休假日结束的次日为期间的最后一日) (add_calendar_days).
//
// Thread-safety: a Calendar is immutable after construction; concurrent reads are safe.
#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace duban::calendar {

using Date = std::chrono::year_month_day;

class Calendar {
 public:
  // An empty calendar: weekends off, every weekday a working day, no year covered.
  Calendar() = default;

  // Parses the TSV format of data/calendar-cn.tsv. Refused (code "invalid_calendar", the
  // message names the line) for a malformed date or kind, a date listed twice, or a "workday"
  // that is not a Saturday or Sunday.
  static Result<Calendar> parse(std::string_view tsv);

  // The calendar embedded from data/calendar-cn.tsv at build time.
  static const Calendar& builtin();

  bool is_working_day(Date day) const;

  // The n-th working day after `from` (from itself not counted); n <= 0 returns `from`.
  Date add_working_days(Date from, int n) const;

  // from + n days, moved to the next working day if it falls on a day off; n <= 0 returns
  // `from`.
  Date add_calendar_days(Date from, int n) const;

  // Whether the official schedule of `year` is in the calendar; outside covered years only
  // weekends are days off, so callers should warn.
  bool covers(int year) const { return covered_.count(year) > 0; }
  std::vector<int> covered_years() const { return {covered_.begin(), covered_.end()}; }

  // The holiday's or make-up day's name ("春节", "春节调休上班"); empty for an ordinary day.
  std::string name_of(Date day) const;

 private:
  struct Entry {
    bool working = false;
    std::string name;
  };
  std::map<std::chrono::sys_days, Entry> days_;
  std::set<int> covered_;
};

// "YYYY-MM-DD"; nullopt-like invalid date (ok() false) for anything else.
Date parse_date(std::string_view text);
std::string format_date(Date day);

}  // namespace duban::calendar
