// The working-day calendar: the bundled data file parses and covers the years the corpus and
// tests need; counting working days across Spring Festival and National Day honours the
// holidays and the make-up working days (调休上班); calendar-day spans ending on a day off move
// to the next working day; malformed files are refused with the line named.
#include "model/calendar/calendar.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace duban::calendar {
namespace {

Date d(std::string_view iso) {
  Date day = parse_date(iso);
  EXPECT_TRUE(day.ok()) << iso;
  return day;
}

std::string add_wd(std::string_view from, int n) {
  return format_date(Calendar::builtin().add_working_days(d(from), n));
}

TEST(Calendar, BundledFileParsesAndEqualsTheEmbeddedCopy) {
  std::ifstream in(std::string(DUBAN_SOURCE_DIR) + "/data/calendar-cn.tsv");
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = Calendar::parse(text.str());
  ASSERT_TRUE(parsed) << parsed.error().message;
  for (int year : {2015, 2016, 2017, 2024, 2025, 2026}) {
    EXPECT_TRUE(parsed->covers(year)) << year;
    EXPECT_TRUE(Calendar::builtin().covers(year)) << year;
  }
  EXPECT_FALSE(Calendar::builtin().covers(2020));
  EXPECT_EQ(parsed->covered_years(), Calendar::builtin().covered_years());
}

TEST(Calendar, WeekendsAreOffAndMakeUpWeekendsAreWorked) {
  const Calendar& cal = Calendar::builtin();
  EXPECT_TRUE(cal.is_working_day(d("2016-03-04")));   // a Friday
  EXPECT_FALSE(cal.is_working_day(d("2016-03-05")));  // a Saturday
  EXPECT_TRUE(cal.is_working_day(d("2016-02-06")));   // Saturday worked before 春节
  EXPECT_TRUE(cal.is_working_day(d("2016-02-14")));   // Sunday worked after 春节
  EXPECT_FALSE(cal.is_working_day(d("2016-02-08")));  // 春节, a Monday
  EXPECT_EQ(cal.name_of(d("2016-02-08")), "春节");
  EXPECT_EQ(cal.name_of(d("2016-02-14")), "春节调休上班");
  EXPECT_EQ(cal.name_of(d("2016-03-04")), "");
}

TEST(Calendar, SevenWorkingDaysAcrossSpringFestival2016) {
  // 交办 on Friday 2016-02-05: Sat 02-06 (worked) 1, 02-07..13 off, Sun 02-14 (worked) 2,
  // Mon 02-15 3 … Fri 02-19 7.
  EXPECT_EQ(add_wd("2016-02-05", 1), "2016-02-06");
  EXPECT_EQ(add_wd("2016-02-05", 2), "2016-02-14");
  EXPECT_EQ(add_wd("2016-02-05", 7), "2016-02-19");
}

TEST(Calendar, SevenWorkingDaysAcrossSpringFestival2025) {
  // 交办 on Friday 2025-01-24: Sun 01-26 (worked) 1, Mon 01-27 2, 01-28..02-04 off,
  // 02-05 3, 02-06 4, 02-07 5, Sat 02-08 (worked) 6, Mon 02-10 7.
  EXPECT_EQ(add_wd("2025-01-24", 2), "2025-01-27");
  EXPECT_EQ(add_wd("2025-01-24", 3), "2025-02-05");
  EXPECT_EQ(add_wd("2025-01-24", 6), "2025-02-08");
  EXPECT_EQ(add_wd("2025-01-24", 7), "2025-02-10");
}

TEST(Calendar, WorkingDaysAcrossNationalDayWithMakeUpWeekend) {
  // 2016: 10-01..07 off, Sat 10-08 and Sun 10-09 worked.
  EXPECT_EQ(add_wd("2016-09-30", 1), "2016-10-08");
  EXPECT_EQ(add_wd("2016-09-30", 3), "2016-10-10");
  // 2024: Sun 09-29 worked, 10-01..07 off, Sat 10-12 worked.
  EXPECT_EQ(add_wd("2024-09-27", 1), "2024-09-29");
  EXPECT_EQ(add_wd("2024-09-27", 2), "2024-09-30");
  EXPECT_EQ(add_wd("2024-09-27", 3), "2024-10-08");
  EXPECT_EQ(add_wd("2024-09-27", 7), "2024-10-12");
}

TEST(Calendar, CalendarDaySpanEndingOnADayOffMovesToTheNextWorkingDay) {
  const Calendar& cal = Calendar::builtin();
  // 2016-01-08 + 30 = 2016-02-07 (春节) → the next working day is Sun 02-14 (worked).
  EXPECT_EQ(format_date(cal.add_calendar_days(d("2016-01-08"), 30)), "2016-02-14");
  // An ordinary weekday end stays.
  EXPECT_EQ(format_date(cal.add_calendar_days(d("2016-03-01"), 30)), "2016-03-31");
  // A Saturday end (2016-04-02) moves past the weekend and 清明 (04-04) to Tuesday.
  EXPECT_EQ(format_date(cal.add_calendar_days(d("2016-03-03"), 30)), "2016-04-05");
}

TEST(Calendar, MalformedFilesAreRefusedWithTheLine) {
  auto bad_date = Calendar::parse("# c\n2016-02-30x\tholiday\tX\n");
  ASSERT_FALSE(bad_date);
  EXPECT_EQ(bad_date.error().code, "invalid_calendar");
  EXPECT_NE(bad_date.error().message.find("line 2"), std::string::npos);
  auto weekday_workday = Calendar::parse("2016-03-04\tworkday\tX\n");
  ASSERT_FALSE(weekday_workday);
  EXPECT_NE(weekday_workday.error().message.find("not a weekend"), std::string::npos);
  auto twice = Calendar::parse("2016-02-08\tholiday\tA\n2016-02-08\tholiday\tB\n");
  ASSERT_FALSE(twice);
  auto kind = Calendar::parse("2016-02-08\toff\tA\n");
  ASSERT_FALSE(kind);
}

TEST(Calendar, AnEmptyCalendarHasWeekendsOnly) {
  Calendar cal;
  EXPECT_EQ(format_date(cal.add_working_days(d("2016-02-05"), 7)), "2016-02-16");
  EXPECT_FALSE(cal.covers(2016));
}

}  // namespace
}  // namespace duban::calendar
