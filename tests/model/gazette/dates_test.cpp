// Time expressions in clause text: deadlines become the last day of the period they name,
// starts the first day, relative spans stay relative; titles and year ranges are not deadlines.
#include <gtest/gtest.h>

#include "model/gazette/dates.h"
#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

TimeExpressions find(const std::string& s) {
  return find_time_expressions(text::decode(s));
}

TEST(Dates, YearEndIsTheLastDayOfTheYear) {
  const auto t = find("2017年底，各地要建成粮食应急供应保障体系");
  ASSERT_EQ(t.deadlines.size(), 1u);
  EXPECT_EQ(t.deadlines[0].text, "2017年底");
  EXPECT_EQ(t.deadlines[0].date, "2017-12-31");
}

TEST(Dates, AMonthWithoutAYearTakesTheDocumentsYear) {
  auto t = find_time_expressions(text::decode("6月底前实现上线运行，十月前完成验收"), 2026);
  ASSERT_EQ(t.deadlines.size(), 2u);
  EXPECT_EQ(t.deadlines[0].text, "6月底前");
  EXPECT_EQ(t.deadlines[0].date, "2026-06-30");
  EXPECT_EQ(t.deadlines[1].text, "十月前");
  EXPECT_EQ(t.deadlines[1].date, "2026-10-31");
  // Unknown year, a bare month, or a month with its year: nothing new is read.
  EXPECT_TRUE(find("6月底前实现上线运行").deadlines.empty());
  EXPECT_TRUE(find_time_expressions(text::decode("6月召开会议"), 2026).deadlines.empty());
  t = find_time_expressions(text::decode("2025年3月底前完成"), 2026);
  ASSERT_EQ(t.deadlines.size(), 1u);
  EXPECT_EQ(t.deadlines[0].date, "2025-03-31");
}

TEST(Dates, ByAYearWithDaoOrZhi) {
  auto t = find("到2018年底，在城乡普遍形成供应网络");
  ASSERT_EQ(t.deadlines.size(), 1u);
  EXPECT_EQ(t.deadlines[0].text, "2018年底");
  EXPECT_EQ(t.deadlines[0].date, "2018-12-31");
  t = find("至2020年，基本解决短板");
  ASSERT_EQ(t.deadlines.size(), 1u);
  EXPECT_EQ(t.deadlines[0].text, "2020年");
  EXPECT_EQ(t.deadlines[0].date, "2020-12-31");
}

TEST(Dates, BeforeTheEndOfAMonth) {
  const auto t = find("2012年10月底前完成清理");
  ASSERT_EQ(t.deadlines.size(), 1u);
  EXPECT_EQ(t.deadlines[0].text, "2012年10月底前");
  EXPECT_EQ(t.deadlines[0].date, "2012-10-31");
  EXPECT_EQ(find("2016年2月底前").deadlines.at(0).date, "2016-02-29");  // leap year
}

TEST(Dates, FromAYearOnIsAStartNotADeadline) {
  const auto t = find("2015年起由高校校长签发录取通知书");
  EXPECT_TRUE(t.deadlines.empty());
  ASSERT_EQ(t.starts.size(), 1u);
  EXPECT_EQ(t.starts[0].text, "2015年起");
  EXPECT_EQ(t.starts[0].date, "2015-01-01");
}

TEST(Dates, RelativeSpansStayRelative) {
  const auto t = find("收到申请后7个工作日内答复，逾期的在30日内说明理由，十五个工作日内办结");
  EXPECT_TRUE(t.deadlines.empty());
  ASSERT_EQ(t.relative_deadlines.size(), 3u);
  EXPECT_EQ(t.relative_deadlines[0].text, "7个工作日内");
  EXPECT_EQ(t.relative_deadlines[0].days, 7);
  EXPECT_TRUE(t.relative_deadlines[0].business_days);
  EXPECT_EQ(t.relative_deadlines[1].text, "30日内");
  EXPECT_EQ(t.relative_deadlines[1].days, 30);
  EXPECT_FALSE(t.relative_deadlines[1].business_days);
  EXPECT_EQ(t.relative_deadlines[2].days, 15);
}

TEST(Dates, TitlesRangesAndBareYearsAreNotDeadlines) {
  EXPECT_TRUE(
      find("在实现《全省农村信用体系建设五年工作规划(2009—2014)》目标的基础上").deadlines.empty());
  EXPECT_TRUE(find("落实《规划(2014—2020年)》要求").deadlines.empty());
  EXPECT_TRUE(find("2016年—2017年，进一步完善政策").deadlines.empty());
  EXPECT_TRUE(find("2015年，推动考试招生制度改革").deadlines.empty());
  EXPECT_TRUE(find("8月20日内").relative_deadlines.empty());
}

}  // namespace
}  // namespace duban::gazette
