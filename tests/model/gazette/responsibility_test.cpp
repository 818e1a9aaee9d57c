// Responsibility parentheticals, one form at a time: the forms of the bundled gazette
// (牵头负责/参加, 按照职责牵头负责, 分别负责, 责任单位, plain 负责, role-less lists before 参加)
// and the forms of other real documents (负责部门/适用范围, 牵头单位/配合单位, 会同有关部门负责,
// 排在第一位的部门为牵头部门，下同), plus what must not be read as units.
#include <gtest/gtest.h>

#include "model/gazette/responsibility.h"
#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

struct Reading {
  Mode mode;
  std::vector<std::string> lead;
  std::vector<std::string> participants;
};

std::optional<Reading> read(const std::string& s, ResponsibilityContext& ctx) {
  const auto r = parse_responsibility(text::decode(s), ctx);
  if (!r) return std::nullopt;
  Reading out{r->mode, {}, {}};
  for (const auto& u : r->units)
    (u.role == Role::kLead ? out.lead : out.participants).push_back(u.mention);
  return out;
}

std::optional<Reading> read(const std::string& s) {
  ResponsibilityContext ctx;
  return read(s, ctx);
}

using V = std::vector<std::string>;

TEST(Responsibility, LeadWithParticipants) {
  const auto r = read("省发展改革委牵头负责，各有关部门参加");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"省发展改革委"});
  EXPECT_EQ(r->participants, V{"各有关部门"});
}

TEST(Responsibility, UnitsWithoutARoleWordTakePartWhenParticipationFollows) {
  const auto r = read("省政府办公厅牵头负责，省考核办、省政府督查室，各有关部门、各市州政府参加");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, V{"省政府办公厅"});
  EXPECT_EQ(r->participants, (V{"省考核办", "省政府督查室", "各有关部门", "各市州政府"}));
}

TEST(Responsibility, LeadAccordingToDuties) {
  const auto r = read("省财政厅、省审计厅、省监察厅按照职责牵头负责");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, (V{"省财政厅", "省审计厅", "省监察厅"}));
}

TEST(Responsibility, SeparatelyResponsibleWithHalfWidthCommas) {
  const auto r = read("省商务厅、省发展改革委、省工商局按照职责分工分别负责, 各有关部门参加");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kSeparately);
  EXPECT_EQ(r->lead, (V{"省商务厅", "省发展改革委", "省工商局"}));
  EXPECT_EQ(r->participants, V{"各有关部门"});
}

TEST(Responsibility, ResponsibleUnitsKeepCityAndPrefectureGovernmentsAsOneUnit) {
  const auto r = read("责任单位：市、州人民政府，省农牧厅、省财政厅、省供销联社等");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kResponsible);
  EXPECT_EQ(r->lead, (V{"市、州人民政府", "省农牧厅", "省财政厅", "省供销联社"}));
  EXPECT_TRUE(r->participants.empty());
}

TEST(Responsibility, PlainResponsible) {
  const auto r = read("各有关部门、各市州政府负责");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kResponsible);
  EXPECT_EQ(r->lead, (V{"各有关部门", "各市州政府"}));
}

TEST(Responsibility, TrailingDengQualifiersAreDropped) {
  const auto r =
      read("省住房城乡建设厅、省交通运输厅等部门按照职责分工分别负责，省通信管理局等有关部门参加");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, (V{"省住房城乡建设厅", "省交通运输厅"}));
  EXPECT_EQ(r->participants, V{"省通信管理局"});
}

TEST(Responsibility, BoldMarksInsideTheParentheticalAreIgnored) {
  const auto r = read("**省交通运输厅牵头负责**");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, V{"省交通运输厅"});
}

TEST(Responsibility, ResponsibleDepartmentsWithAScopeNote) {
  const auto r = read("负责部门：省教育厅、省财政厅；适用范围：全省各级各类学校，含民办学校");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kResponsible);
  EXPECT_EQ(r->lead, (V{"省教育厅", "省财政厅"}));
  EXPECT_TRUE(r->participants.empty());
}

TEST(Responsibility, LeadingAndCooperatingUnitLabels) {
  const auto r = read("牵头单位：省卫生计生委，配合单位：省财政厅、省民政厅");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"省卫生计生委"});
  EXPECT_EQ(r->participants, (V{"省财政厅", "省民政厅"}));
}

TEST(Responsibility, ResponsibleTogetherWithRelevantDepartments) {
  const auto r = read("省发展改革委会同有关部门负责");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"省发展改革委"});
  EXPECT_EQ(r->participants, V{"有关部门"});
}

TEST(Responsibility, FirstListedLeadsHereAndInTheClausesThatFollow) {
  ResponsibilityContext ctx;
  const auto first =
      read("省财政厅、省人力资源社会保障厅负责，排在第一位的部门为牵头部门，下同", ctx);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->mode, Mode::kLead);
  EXPECT_EQ(first->lead, V{"省财政厅"});
  EXPECT_EQ(first->participants, V{"省人力资源社会保障厅"});
  EXPECT_TRUE(ctx.first_listed_leads);

  const auto next = read("省民政厅、省财政厅、省审计厅负责", ctx);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->lead, V{"省民政厅"});
  EXPECT_EQ(next->participants, (V{"省财政厅", "省审计厅"}));

  ResponsibilityContext fresh;
  const auto elsewhere = read("省民政厅、省财政厅负责", fresh);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(elsewhere->lead, (V{"省民政厅", "省财政厅"}));
}

TEST(Responsibility, ExplanatoryAsidesAreNotResponsibilities) {
  EXPECT_FALSE(read("即人大监督、行政监督、司法监督、社会监督"));
  EXPECT_FALSE(read("以下简称：领导小组"));
  EXPECT_FALSE(read("国办发〔2015〕48号"));
}

TEST(Responsibility, AResponsibilityWithoutAnyUnitIsNotRead) {
  EXPECT_FALSE(read("负责"));
  EXPECT_FALSE(read("各有关部门参加"));  // nobody leads
}

}  // namespace
}  // namespace duban::gazette
