// Responsibility parentheticals, one form at a time: the forms of the bundled gazette
// (牵头负责/参加, 按照职责牵头负责, 分别负责, 责任单位, plain 负责, role-less lists before 参加)
// and the forms of other real documents (负责部门/适用范围, 牵头单位/配合单位, 会同有关部门负责,
// 排在第一位的部门为牵头部门，下同), plus what must not be read as units; then the role vocabulary
// (主办/主责, 落实/承办, 协办/协助, 指导 as a role of its own, 会同, conjunctions, 各… groups),
// unit lists without a role word however long, and unit-shaped text that is reported when no
// role can be given to it; task-division table cells and implicit duties.
#include <gtest/gtest.h>

#include "model/gazette/responsibility.h"
#include "model/gazette/text.h"
#include "model/gazette/units.h"

namespace duban::gazette {
namespace {

struct Reading {
  Mode mode;
  std::vector<std::string> lead;
  std::vector<std::string> participants;
  std::vector<std::string> guides;
  std::vector<std::string> why;
  std::vector<std::string> unassigned;
};

Reading reading_of(const Responsibility& r) {
  Reading out{r.mode, {}, {}, {}, r.why, r.unassigned};
  for (const auto& u : r.units) {
    (u.role == Role::kLead          ? out.lead
     : u.role == Role::kParticipant ? out.participants
                                    : out.guides)
        .push_back(u.mention);
  }
  return out;
}

std::optional<Reading> read(const std::string& s, ResponsibilityContext& ctx) {
  const auto r = parse_responsibility(text::decode(s), ctx);
  if (!r) return std::nullopt;
  return reading_of(*r);
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

TEST(Responsibility, ResponsibleUnitsBesideALeadingUnitTakePart) {
  const auto r = read("牵头单位：市水务局；责任单位：市财政局，各区政府");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"市水务局"});
  EXPECT_EQ(r->participants, (V{"市财政局", "各区政府"}));
}

TEST(Responsibility, TwoLabelsInOneBracketSeparatedByBlanksOrNothing) {
  for (const char* note : {"牵头单位：市水务局  责任单位：市财政局、市林业局",
                           "牵头单位：市水务局责任单位：市财政局、市林业局"}) {
    const auto r = read(note);
    ASSERT_TRUE(r) << note;
    EXPECT_EQ(r->lead, V{"市水务局"}) << note;
    EXPECT_EQ(r->participants, (V{"市财政局", "市林业局"})) << note;
  }
}

TEST(Responsibility, ALabelListMaySayItsRoleItself) {
  const auto r = read("责任单位：市水务局、市林业局分别牵头");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kSeparately);
  EXPECT_EQ(r->lead, (V{"市水务局", "市林业局"}));
  EXPECT_TRUE(r->participants.empty());
}

TEST(Responsibility, ARuleInBracketsAfterALabelListAppliesToItAndLaterLists) {
  ResponsibilityContext ctx;
  auto r = read("责任单位：市水务局、市财政局（列第一位的为牵头单位，下同）", ctx);
  ASSERT_TRUE(r);
  EXPECT_TRUE(ctx.first_listed_leads);
  EXPECT_EQ(r->lead, V{"市水务局"});
  EXPECT_EQ(r->participants, V{"市财政局"});
  r = read("责任单位：市林业局、市财政局，各区政府", ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, V{"市林业局"});
  EXPECT_EQ(r->participants, (V{"市财政局", "各区政府"}));
}

TEST(Responsibility, TheRuleIsStatedInSeveralWordings) {
  for (const char* rule : {"排在第一位的为牵头单位", "列在首位的单位负责牵头",
                           "排名第一的为牵头部门", "列首位的单位牵头"})
    EXPECT_TRUE(states_first_listed_leads(text::decode(rule))) << rule;
  EXPECT_FALSE(states_first_listed_leads(text::decode("市水务局牵头")));
}

TEST(Responsibility, UnitsOnlyResponsibleAfterALeadTakePart) {
  const auto r = read("市卫健委牵头，市财政局、各区政府按职责分工负责");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"市卫健委"});
  EXPECT_EQ(r->participants, (V{"市财政局", "各区政府"}));
}

TEST(Responsibility, TimePhrasesInANoteAreNotUnits) {
  auto r = read("各区政府分别负责，全年持续开展");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, V{"各区政府"});
  EXPECT_TRUE(r->participants.empty());
  EXPECT_TRUE(r->why.empty());
  r = read("市教育局牵头，市财政局配合，2026年8月底前完成");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->participants, V{"市财政局"});
  r = read("市文旅局负责，长期坚持");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->participants.empty());
  ResponsibilityContext ctx;
  const auto raw =
      parse_responsibility(text::decode("市文旅局负责，2026年底前完成，长期坚持"), ctx);
  ASSERT_TRUE(raw);
  EXPECT_EQ(text::encode(raw->standing), "长期坚持");
  EXPECT_EQ(text::encode(raw->timing), "2026年底前完成，长期坚持");
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

TEST(RoleVocabulary, HostAndCoHostAreLeadAndParticipants) {
  const auto r = read("省能源局主办，省发展改革委、省交通运输厅协办");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"省能源局"});
  EXPECT_EQ(r->participants, (V{"省发展改革委", "省交通运输厅"}));
}

TEST(RoleVocabulary, MainResponsibilityLeadsAndCooperationTakesPart) {
  const auto r = read("省发展改革委主责，省物价局配合");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"省发展改革委"});
  EXPECT_EQ(r->participants, V{"省物价局"});
}

TEST(RoleVocabulary, CarryingOutAndUndertakingAreResponsibleAndAssistingTakesPart) {
  const auto r = read("省交通运输厅落实，省公安厅协助");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kResponsible);
  EXPECT_EQ(r->lead, V{"省交通运输厅"});
  EXPECT_EQ(r->participants, V{"省公安厅"});
  const auto u = read("省商务厅承办");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->lead, V{"省商务厅"});
}

TEST(RoleVocabulary, GuidanceIsARoleOfItsOwn) {
  const auto r = read("省教育厅承办，省科技厅指导");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, V{"省教育厅"});
  EXPECT_TRUE(r->participants.empty());
  EXPECT_EQ(r->guides, V{"省科技厅"});
  // Guidance alone names nobody to lead: not a clause.
  EXPECT_FALSE(read("省科技厅指导"));
  // 指导 inside a name (…指导中心) is no role word.
  const auto centre = read("省农村经济指导中心负责");
  ASSERT_TRUE(centre);
  EXPECT_EQ(centre->lead, V{"省农村经济指导中心"});
}

TEST(RoleVocabulary, SeparatelyByDutiesWithCarryingOut) {
  const auto r = read("省商务厅、省公安厅按职责分工落实");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kSeparately);
  EXPECT_EQ(r->lead, (V{"省商务厅", "省公安厅"}));
}

TEST(RoleVocabulary, ALongListWithoutARoleWordTakesTheNextSegmentsRole) {
  // More than forty characters of units before “各有关部门参加”: none may be dropped.
  const auto r = read(
      "省发展改革委牵头负责，省编办、省民政厅、省国税局、省地税局、省工商局、"
      "省人力资源社会保障厅、省卫生计生委、省通信管理局，各有关部门参加");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->participants,
            (V{"省编办", "省民政厅", "省国税局", "省地税局", "省工商局", "省人力资源社会保障厅",
               "省卫生计生委", "省通信管理局", "各有关部门"}));
  EXPECT_EQ(r->why, V{"no role word; role taken from the next segment"});
}

TEST(RoleVocabulary, UnitsBeforeALaterLeadWordLead) {
  const auto r = read("省财政厅、省审计厅，省监察厅牵头负责");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, (V{"省财政厅", "省审计厅", "省监察厅"}));
}

TEST(RoleVocabulary, UnitsAfterTheLastRoleWordTakePart) {
  const auto r = read("省民政厅牵头负责，省财政厅");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->participants, V{"省财政厅"});
  EXPECT_EQ(r->why, V{"units after the last role word taken as participants"});
}

TEST(RoleVocabulary, ConjunctionsSplitWholeNamesButNotNamesThatHoldThem) {
  const auto r =
      read("省财政厅和省审计厅牵头，省经济和信息化委及省商务厅以及各市州政府与省统计局参与");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, (V{"省财政厅", "省审计厅"}));
  EXPECT_EQ(r->participants, (V{"省经济和信息化委", "省商务厅", "各市州政府", "省统计局"}));
}

TEST(RoleVocabulary, GroupsWithLevelsListedStayWhole) {
  const auto r = read("省民政厅负责，各市、县人民政府及省财政厅参与");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->participants, (V{"各市、县人民政府", "省财政厅"}));
}

TEST(RoleVocabulary, TogetherWithWithoutARoleWordAfterIt) {
  const auto r = read("省住房城乡建设厅会同省应急管理厅，各有关部门参加");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"省住房城乡建设厅"});
  EXPECT_EQ(r->participants, (V{"省应急管理厅", "各有关部门"}));
}

TEST(RoleVocabulary, LeadAndCooperationWithoutACommaBetween) {
  const auto r = read("省卫生计生委牵头省财政厅配合");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, V{"省卫生计生委"});
  EXPECT_EQ(r->participants, V{"省财政厅"});
}

TEST(RoleVocabulary, LabelsAreReadWithTheSameVocabulary) {
  const auto r = read("主责单位：省水利厅；协助单位：省财政厅；指导单位：省发展改革委");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->mode, Mode::kLead);
  EXPECT_EQ(r->lead, V{"省水利厅"});
  EXPECT_EQ(r->participants, V{"省财政厅"});
  EXPECT_EQ(r->guides, V{"省发展改革委"});
}

TEST(RoleVocabulary, UnitsInANoteSegmentAreReportedNotDropped) {
  const auto r = read("省财政厅负责，省审计厅的意见为准");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lead, V{"省财政厅"});
  EXPECT_EQ(r->unassigned, V{"省审计厅"});
  const auto labelled = read("责任单位：省教育厅；完成时限：由省教育厅会同省财政厅商定");
  ASSERT_TRUE(labelled);
  EXPECT_EQ(labelled->lead, V{"省教育厅"});
  EXPECT_EQ(labelled->unassigned, (V{"省教育厅", "省财政厅"}));
}

TEST(TableCells, ABareListTakesItsColumnsRole) {
  ResponsibilityContext ctx;
  const auto r = parse_table_cells(U"牵头单位", U"市市场监管局", U"市公安局、市税务局", ctx);
  ASSERT_TRUE(r);
  const Reading got = reading_of(*r);
  EXPECT_EQ(got.mode, Mode::kLead);
  EXPECT_EQ(got.lead, V{"市市场监管局"});
  EXPECT_EQ(got.participants, (V{"市公安局", "市税务局"}));
  const auto responsible = parse_table_cells(U"责任单位", U"市司法局、市统计局", U"", ctx);
  ASSERT_TRUE(responsible);
  EXPECT_EQ(responsible->mode, Mode::kResponsible);
  EXPECT_FALSE(parse_table_cells(U"牵头单位", U"", U"市公安局", ctx));
}

TEST(TableCells, ACellWithRoleWordsIsReadAsANote) {
  ResponsibilityContext ctx;
  const auto r = parse_table_cells(U"责任单位", U"市政务服务中心牵头，市大数据局配合", U"", ctx);
  ASSERT_TRUE(r);
  const Reading got = reading_of(*r);
  EXPECT_EQ(got.mode, Mode::kLead);
  EXPECT_EQ(got.lead, V{"市政务服务中心"});
  EXPECT_EQ(got.participants, V{"市大数据局"});
}

std::optional<Reading> duty(const std::string& sentence) {
  const auto r = parse_implicit_duty(text::decode(sentence), &UnitDirectory::builtin());
  if (!r) return std::nullopt;
  return reading_of(*r);
}

TEST(ImplicitDuty, EachSentenceFormNamesItsSubject) {
  EXPECT_EQ(duty("由省体育局负责制定建设标准")->lead, V{"省体育局"});
  EXPECT_EQ(duty("省教育厅、省财政厅要推动场馆开放")->lead, (V{"省教育厅", "省财政厅"}));
  EXPECT_EQ(duty("请省国土资源厅统筹安排用地")->lead, V{"省国土资源厅"});
  const auto lead = duty("省财政厅牵头统筹各类资金");
  ASSERT_TRUE(lead);
  EXPECT_EQ(lead->mode, Mode::kLead);
  const auto with = duty("省体育局会同省文化厅策划赛事");
  ASSERT_TRUE(with);
  EXPECT_EQ(with->lead, V{"省体育局"});
  EXPECT_EQ(with->participants, V{"省文化厅"});
  // The directory decides where a name stops and the verb starts.
  const auto known = duty("基金由省人力资源社会保障厅会同省财政厅委托管理人运营");
  ASSERT_TRUE(known);
  EXPECT_EQ(known->lead, V{"省人力资源社会保障厅"});
  EXPECT_EQ(known->participants, V{"省财政厅"});
}

TEST(ImplicitDuty, SentencesWithoutAUnitSubjectAreNotDuties) {
  EXPECT_FALSE(duty("广泛宣传科学健身知识"));
  EXPECT_FALSE(duty("坚持政府主导、社会参与，逐步完善健身设施网络"));
  EXPECT_FALSE(duty("这项工作很重要，要抓紧推进"));
}

}  // namespace
}  // namespace duban::gazette
