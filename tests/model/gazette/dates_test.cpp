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

// Each of the following was misread before (found missing or spurious in the deadline column of
// the real documents scored in docs/extraction.md); the wording is our own.

std::vector<std::string> dates_of(const std::string& s, int year = 0) {
  std::vector<std::string> out;
  for (const auto& d : find_time_expressions(text::decode(s), year).deadlines)
    out.push_back(d.text + "=" + d.date);
  return out;
}

using Dates_ = std::vector<std::string>;

TEST(Dates, AFullDateIsThatDay) {
  EXPECT_EQ(dates_of("2026年6月15日前完成试点评估"), Dates_{"2026年6月15日前=2026-06-15"});
  EXPECT_EQ(dates_of("试点工作到2026年9月30日结束"), Dates_{"2026年9月30日=2026-09-30"});
  // Without a year, the document's; a bare date with nothing before or after it is no deadline.
  EXPECT_EQ(dates_of("各单位于3月10日前报送材料", 2026), Dates_{"3月10日前=2026-03-10"});
  EXPECT_TRUE(dates_of("3月10日召开推进会", 2026).empty());
  EXPECT_EQ(dates_of("2026年5月1日起施行").size(), 0u);
  EXPECT_EQ(find("2026年5月1日起施行").starts.at(0).date, "2026-05-01");
}

TEST(Dates, TheEndOfAPolicysPeriodIsNoDeadline) {
  EXPECT_TRUE(dates_of("阶段性减免租金政策实施期限至2026年12月31日").empty());
  EXPECT_TRUE(dates_of("将缓缴政策延长至2027年3月31日").empty());
  EXPECT_TRUE(dates_of("补贴标准有效期至2028年底").empty());
  EXPECT_TRUE(dates_of("2026年1月1日至2026年6月30日对小微企业减半收取").empty());
  // 至 without a period before it still gives a deadline.
  EXPECT_EQ(dates_of("至2027年底，建成覆盖城乡的服务网络"), Dates_{"2027年底=2027-12-31"});
}

TEST(Dates, YearHalfAndQuarterEndsWithoutAYearTakeTheDocumentsYear) {
  EXPECT_EQ(dates_of("年底前完成全部改造", 2026), Dates_{"年底前=2026-12-31"});
  EXPECT_EQ(dates_of("今年年底前建成", 2026), Dates_{"今年年底前=2026-12-31"});
  EXPECT_EQ(dates_of("年内实现全覆盖", 2026), Dates_{"年内=2026-12-31"});
  EXPECT_EQ(dates_of("上半年完成摸底调查", 2026), Dates_{"上半年=2026-06-30"});
  EXPECT_EQ(dates_of("一季度末前出台细则", 2026), Dates_{"一季度末前=2026-03-31"});
  EXPECT_EQ(dates_of("第三季度前完成招标", 2026), Dates_{"第三季度前=2026-09-30"});
  EXPECT_EQ(dates_of("2027年上半年前投入使用"), Dates_{"2027年上半年前=2027-06-30"});
  EXPECT_EQ(dates_of("2027年第二季度内完工"), Dates_{"2027年第二季度内=2027-06-30"});
  // Unknown year: nothing read.
  EXPECT_TRUE(dates_of("年底前完成全部改造").empty());
}

TEST(Dates, RecurringSpansAndOngoingWorkAreNoDeadlines) {
  EXPECT_TRUE(dates_of("每年年底前报送工作总结", 2026).empty());
  EXPECT_TRUE(dates_of("每月5日前报送进度", 2026).empty());
  EXPECT_TRUE(dates_of("每季度末召开一次调度会", 2026).empty());
  EXPECT_TRUE(dates_of("三年内完成改造", 2026).empty());
  EXPECT_TRUE(dates_of("全年举办培训二十场", 2026).empty());
  EXPECT_TRUE(dates_of("年内持续推进", 2026).empty());
  EXPECT_TRUE(dates_of("上半年召开动员会", 2026).empty());
}

TEST(Dates, StandingPhrasesSayTheDutyGoesOnOrRecurs) {
  auto phrase = [](const std::string& s) { return text::encode(standing_phrase(text::decode(s))); };
  EXPECT_EQ(phrase("长期坚持"), "长期坚持");
  EXPECT_EQ(phrase("年内持续推进"), "持续推进");
  EXPECT_EQ(phrase("每季度通报一次"), "每季度");
  EXPECT_EQ(phrase("3月底前完成，此后每月更新"), "每月");
  EXPECT_EQ(phrase("2026年底前"), "");
}

// Forms of deadline the parser missed before (December 2026; each in our own wording).

std::vector<std::string> column_dates(const std::string& s, int year = 0) {
  std::vector<std::string> out;
  for (const auto& d : find_time_expressions(text::decode(s), year, /*time_column=*/true).deadlines)
    out.push_back(d.text + "=" + d.date);
  return out;
}

TEST(Dates, AYearFollowedByItsEndOrWithinIsADeadline) {
  EXPECT_EQ(dates_of("2026年年底前完成修缮"), Dates_{"2026年年底前=2026-12-31"});
  EXPECT_EQ(dates_of("确保2026年年末建成"), Dates_{"2026年年末=2026-12-31"});
  EXPECT_EQ(dates_of("物流园区2026年内投入运营"), Dates_{"2026年内=2026-12-31"});
  EXPECT_EQ(dates_of("2026年度内完成评估"), Dates_{"2026年度内=2026-12-31"});
  // Not a range, not a bare year.
  EXPECT_TRUE(dates_of("2026年，开展试点").empty());
}

TEST(Dates, AYearInChineseDigitsIsAYear) {
  EXPECT_EQ(dates_of("二〇二六年底前完成创建"), Dates_{"二〇二六年底前=2026-12-31"});
  EXPECT_EQ(dates_of("于二〇二七年六月底前验收"), Dates_{"二〇二七年六月底前=2027-06-30"});
  EXPECT_EQ(dates_of("二〇二七年十二月三十一日前"),
            Dates_{"二〇二七年十二月三十一日前=2027-12-31"});
}

TEST(Dates, PartsOfAMonthAndMonthWrittenWithFen) {
  EXPECT_EQ(dates_of("10月中旬前完成检查", 2026), Dates_{"10月中旬前=2026-10-20"});
  EXPECT_EQ(dates_of("2026年3月上旬完成报名"), Dates_{"2026年3月上旬=2026-03-10"});
  EXPECT_EQ(dates_of("2026年2月下旬前"), Dates_{"2026年2月下旬前=2026-02-28"});
  EXPECT_EQ(dates_of("2026年9月份前报批"), Dates_{"2026年9月份前=2026-09-30"});
  EXPECT_EQ(dates_of("9月份前报批", 2026), Dates_{"9月份前=2026-09-30"});
}

TEST(Dates, NextYearIsTheYearAfterTheDocuments) {
  EXPECT_EQ(dates_of("次年6月底前通车", 2026), Dates_{"次年6月底前=2027-06-30"});
  EXPECT_EQ(dates_of("明年年底前全部完成", 2026), Dates_{"明年年底前=2027-12-31"});
  EXPECT_TRUE(dates_of("次年6月底前通车").empty());  // no year known
}

TEST(Dates, ATimeColumnReadsDatesWithSeparatorsAndTheEndOfARange) {
  EXPECT_EQ(column_dates("2026.12"), Dates_{"2026.12=2026-12-31"});
  EXPECT_EQ(column_dates("2026-12-15"), Dates_{"2026-12-15=2026-12-15"});
  EXPECT_EQ(column_dates("2026/6/30前"), Dates_{"2026/6/30=2026-06-30"});
  EXPECT_EQ(column_dates("2026年—2027年"), Dates_{"2027年=2027-12-31"});
  EXPECT_EQ(column_dates("2026—2028年"), Dates_{"2028年=2028-12-31"});
  // Outside a time column neither is a deadline.
  EXPECT_TRUE(dates_of("2026.12").empty());
  EXPECT_TRUE(dates_of("2026年—2027年").empty());
  EXPECT_TRUE(column_dates("2026-2027").empty());
}

TEST(Dates, RelativeSpansInMonthsAndYears) {
  const auto t = find("文件印发后3个月内完成，两个月内出台细则，半年内建立制度，一年内修订完毕");
  EXPECT_TRUE(t.deadlines.empty());
  ASSERT_EQ(t.relative_deadlines.size(), 4u);
  EXPECT_EQ(t.relative_deadlines[0].text, "3个月内");
  EXPECT_EQ(t.relative_deadlines[0].months, 3);
  EXPECT_EQ(t.relative_deadlines[0].days, 0);
  EXPECT_EQ(t.relative_deadlines[1].months, 2);
  EXPECT_EQ(t.relative_deadlines[2].text, "半年内");
  EXPECT_EQ(t.relative_deadlines[2].months, 6);
  EXPECT_EQ(t.relative_deadlines[3].months, 12);
  // Conditions on the past and recurrences are no spans; 30日内 stays in days.
  EXPECT_TRUE(find("近三年内无违法记录").relative_deadlines.empty());
  EXPECT_TRUE(find("近6个月内未发生事故").relative_deadlines.empty());
  EXPECT_TRUE(find("上半年内召开").relative_deadlines.empty());
  const auto days = find("收到报告后30日内答复");
  ASSERT_EQ(days.relative_deadlines.size(), 1u);
  EXPECT_EQ(days.relative_deadlines[0].days, 30);
  EXPECT_EQ(days.relative_deadlines[0].months, 0);
}

TEST(Dates, YearByYearAndByYearlyStagesAreStanding) {
  auto phrase = [](const std::string& s) { return text::encode(standing_phrase(text::decode(s))); };
  EXPECT_EQ(phrase("逐年推进"), "逐年");
  EXPECT_EQ(phrase("分年度实施"), "分年度");
}

}  // namespace
}  // namespace duban::gazette
