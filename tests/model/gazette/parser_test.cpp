// The parser on small documents written for the purpose: document headers and attachments,
// item numbering and labels, OCR damage (page breaks in names, role words and brackets; stray
// headings; bold marks), other real-world responsibility forms, HTML and plain-text input, and
// bad input (empty, binary, not UTF-8, no clauses, a truncated parenthetical).
#include <gtest/gtest.h>

#include "model/gazette/parser.h"

namespace duban::gazette {
namespace {

ParseResult parse(const std::string& s, Format f = Format::kMarkdown) {
  auto r = parse_gazette(s, f, UnitDirectory::builtin());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? std::move(r).value() : ParseResult{};
}

std::vector<std::string> mentions(const Clause& c, Role role) {
  std::vector<std::string> out;
  for (const auto& a : c.assignments)
    if (a.role == role) out.push_back(a.mention);
  return out;
}

using V = std::vector<std::string>;

const char* kNotice = R"(# 青海省人民政府

## 关于加强某项工作的意见

青政〔2016〕9号

各市、自治州人民政府，省政府各委、办、厅、局：

一、总体要求

（一）加强统筹。各地要统筹推进。（省发展改革委牵头负责，各有关部门参加）

（二）完善机制。建立健全工作机制。

1. 建立台账制度。按月更新台账。

(1) 建立月报制度。每月报送。**(省统计局牵**

**头负责)**

(2) 建立通报制度。定期通报进展。(省食品药品监

管局、省质监局按照职责分工分别负责，各有关部

#### 门、各市州政府参加）

2. 到2018年底前完成全部任务。收到报告后7个工作日内反馈。(省财政厅、省审计厅等部门负责)

青海省人民政府

2016年3月1日
)";

TEST(Parser, ReadsTheDocumentHeader) {
  const auto r = parse(kNotice);
  ASSERT_EQ(r.documents.size(), 1u);
  const Document& d = r.documents[0];
  EXPECT_EQ(d.id, "青政〔2016〕9号");
  EXPECT_EQ(d.number, "青政〔2016〕9号");
  EXPECT_EQ(d.title, "关于加强某项工作的意见");
  EXPECT_EQ(d.issuer, "青海省人民政府");
  EXPECT_EQ(d.signed_text, "2016年3月1日");
  EXPECT_EQ(d.signed_date, "2016-03-01");
  EXPECT_EQ(d.line, 1);
}

TEST(Parser, LabelsItemsWithTheirSubItemsAndSkipsItemsThatOnlyHeadSubItems) {
  const auto r = parse(kNotice);
  V labels;
  for (const auto& c : r.clauses) labels.push_back(c.label);
  EXPECT_EQ(labels, (V{"(一)", "1.(1)", "1.(2)", "2."}));
  for (const auto& c : r.clauses) {
    EXPECT_EQ(c.doc, "青政〔2016〕9号");
    EXPECT_EQ(c.part, "关于加强某项工作的意见");
  }
}

TEST(Parser, JoinsPageBreaksInRoleWordsUnitNamesAndStrayHeadings) {
  const auto r = parse(kNotice);
  ASSERT_EQ(r.clauses.size(), 4u);
  const Clause& monthly = r.clauses[1];
  EXPECT_EQ(monthly.heading, "建立月报制度");
  EXPECT_EQ(monthly.mode, Mode::kLead);
  EXPECT_EQ(mentions(monthly, Role::kLead), V{"省统计局"});
  EXPECT_EQ(monthly.source.line, 17);
  EXPECT_EQ(monthly.source.end_line, 19);

  const Clause& notice = r.clauses[2];
  EXPECT_EQ(notice.mode, Mode::kSeparately);
  EXPECT_EQ(mentions(notice, Role::kLead), (V{"省食品药品监管局", "省质监局"}));
  EXPECT_EQ(mentions(notice, Role::kParticipant), (V{"各有关部门", "各市州政府"}));
  EXPECT_EQ(notice.assignments[0].unit, UnitDirectory::builtin().resolve("省食品药品监督管理局"));
}

TEST(Parser, ReadsDeadlinesAndRelativeSpansOfAClause) {
  const auto r = parse(kNotice);
  const Clause& last = r.clauses.back();
  EXPECT_EQ(last.mode, Mode::kResponsible);
  EXPECT_EQ(mentions(last, Role::kLead), (V{"省财政厅", "省审计厅"}));
  ASSERT_EQ(last.deadlines.size(), 1u);
  EXPECT_EQ(last.deadlines[0].text, "2018年底前");
  EXPECT_EQ(last.deadlines[0].date, "2018-12-31");
  ASSERT_EQ(last.relative_deadlines.size(), 1u);
  EXPECT_EQ(last.relative_deadlines[0].days, 7);
}

TEST(Parser, SectionsNumberedWithChineseNumeralsCanBeTasks) {
  const auto r = parse(
      "# 关于做好几项工作的通知\n\n"
      "一、做好春耕备耕。抓好农资供应。（省农牧厅负责）\n\n"
      "二、加强市场监管。（牵头单位：省工商局，配合单位：省质监局、省商务厅）\n\n"
      "十二、开展专项检查。(负责部门：省安全监管局、省公安厅；适用范围：全省危险化学品企业)\n");
  ASSERT_EQ(r.documents.size(), 1u);
  EXPECT_EQ(r.documents[0].id, "关于做好几项工作的通知");  // no number printed: the title
  ASSERT_EQ(r.clauses.size(), 3u);
  EXPECT_EQ(r.clauses[0].label, "一、");
  EXPECT_EQ(r.clauses[0].heading, "做好春耕备耕");
  EXPECT_EQ(r.clauses[1].label, "二、");
  EXPECT_EQ(r.clauses[1].mode, Mode::kLead);
  EXPECT_EQ(mentions(r.clauses[1], Role::kParticipant), (V{"省质监局", "省商务厅"}));
  EXPECT_EQ(r.clauses[2].label, "十二、");
  EXPECT_EQ(mentions(r.clauses[2], Role::kLead), (V{"省安全监管局", "省公安厅"}));
  EXPECT_TRUE(mentions(r.clauses[2], Role::kParticipant).empty());
}

TEST(Parser, FirstListedLeadsRuleCarriesToLaterClausesOfThePart) {
  const auto r = parse(
      "# 关于印发重点任务的通知\n\n"
      "1. 任务甲。（省财政厅、省民政厅负责，排在第一位的部门为牵头部门，下同）\n\n"
      "2. 任务乙。（省教育厅、省科技厅、省财政厅负责）\n\n"
      "3. 任务丙。（省发展改革委会同有关部门负责）\n");
  ASSERT_EQ(r.clauses.size(), 3u);
  EXPECT_EQ(mentions(r.clauses[0], Role::kLead), V{"省财政厅"});
  EXPECT_EQ(mentions(r.clauses[0], Role::kParticipant), V{"省民政厅"});
  EXPECT_EQ(mentions(r.clauses[1], Role::kLead), V{"省教育厅"});
  EXPECT_EQ(mentions(r.clauses[1], Role::kParticipant), (V{"省科技厅", "省财政厅"}));
  EXPECT_EQ(mentions(r.clauses[2], Role::kLead), V{"省发展改革委"});
  EXPECT_EQ(mentions(r.clauses[2], Role::kParticipant), V{"有关部门"});
  for (const auto& c : r.clauses)
    for (const auto& a : c.assignments) {
      EXPECT_EQ(a.mention.find("下同"), std::string::npos);
    }
}

TEST(Parser, AttachmentsAnnouncedByTheNoticeBecomeParts) {
  const auto r = parse(
      "## 青海省人民政府办公厅 关于印发《某某工作 方案》的通知\n\n青政办〔2016〕3号\n\n"
      "现将《某某工作方案》印发给你们。\n\n青海省人民政府办公厅  \n2016年1月5日\n\n"
      "# 某某工作方案\n\n1. 第一项。（省财政厅牵头负责）\n");
  ASSERT_EQ(r.documents.size(), 1u);
  EXPECT_EQ(r.documents[0].issuer, "青海省人民政府办公厅");
  EXPECT_EQ(r.documents[0].title, "关于印发《某某工作方案》的通知");
  EXPECT_EQ(r.documents[0].parts, (V{"关于印发《某某工作方案》的通知", "某某工作方案"}));
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].part, "某某工作方案");
}

TEST(Parser, ReadsHtmlWithTagsStrippedAndEntitiesDecoded) {
  const auto r = parse(
      "<!DOCTYPE html>\n<html><head><title>x</title><style>p{}</style></head><body>\n"
      "<h1>关于加强信用建设的通知</h1>\n<p>青政办〔2016〕7号</p>\n"
      "<p>1. 建立<b>信用</b>档案&amp;记录。（省发展改革委牵头负责，<br>各有关部门参加）</p>\n"
      "<p>2. 推进共享。&#xFF08;人民银行西宁中心支行负责&#xFF09;</p>\n</body></html>\n",
      Format::kHtml);
  ASSERT_EQ(r.clauses.size(), 2u);
  EXPECT_EQ(r.clauses[0].doc, "青政办〔2016〕7号");
  EXPECT_EQ(r.clauses[0].heading, "建立信用档案&记录");
  EXPECT_EQ(mentions(r.clauses[0], Role::kParticipant), V{"各有关部门"});
  EXPECT_EQ(r.clauses[0].source.line, 5);
  EXPECT_EQ(mentions(r.clauses[1], Role::kLead), V{"人民银行西宁中心支行"});
}

TEST(Parser, ReadsHardWrappedPlainText) {
  const auto r = parse(
      "关于某事的通知\n\n1. "
      "建立工作机制，明确责任分工，\n定期通报进展。（省发展改革委牵头\n负责，各有关部门参加）\n",
      Format::kText);
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].heading, "建立工作机制，明确责任分工，定期通报进展");
  EXPECT_EQ(r.clauses[0].mode, Mode::kLead);
  EXPECT_EQ(r.clauses[0].source.end_line, 5);
}

TEST(Parser, UnknownUnitsAreKeptWithAStableId) {
  const auto r = parse("1. 做好气象服务。（省气象局牵头负责）\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  ASSERT_EQ(r.clauses[0].assignments.size(), 1u);
  EXPECT_EQ(r.clauses[0].assignments[0].unit, "unknown:省气象局");
}

TEST(Parser, ATruncatedParentheticalIsReadAndReported) {
  const auto r = parse("1. 做好某事。（省财政厅牵头负责，各有关部门");
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(mentions(r.clauses[0], Role::kLead), V{"省财政厅"});
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("never closed"), std::string::npos);
}

TEST(Parser, ADocumentWithoutClausesIsAnEmptyResult) {
  const auto r = parse("# 通知\n\n各单位：\n\n请按时报送材料。\n");
  EXPECT_TRUE(r.clauses.empty());
  EXPECT_EQ(r.documents.size(), 1u);
}

TEST(Parser, RefusesInputThatIsNotText) {
  const auto& dir = UnitDirectory::builtin();
  auto empty = parse_gazette(" \n\n", Format::kMarkdown, dir);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, "empty");

  auto binary = parse_gazette(std::string("PK\x03\x04\0\0binary", 12), Format::kMarkdown, dir);
  ASSERT_FALSE(binary.ok());
  EXPECT_EQ(binary.error().code, "binary");

  auto gbk = parse_gazette("1. \xC9\xCF\xBA\xA3\n", Format::kMarkdown, dir);  // GBK bytes
  ASSERT_FALSE(gbk.ok());
  EXPECT_EQ(gbk.error().code, "not_utf8");
  EXPECT_NE(gbk.error().message.find("line 1"), std::string::npos);
  EXPECT_NE(gbk.error().message.find("iconv"), std::string::npos);
}

TEST(Parser, GuessesTheFormatFromTheNameOrTheContent) {
  EXPECT_EQ(guess_format("a.HTML", ""), Format::kHtml);
  EXPECT_EQ(guess_format("a.txt", "<html>"), Format::kText);
  EXPECT_EQ(guess_format("-", "  <!doctype html><html>"), Format::kHtml);
  EXPECT_EQ(guess_format("gazette", "# 标题"), Format::kMarkdown);
}

}  // namespace
}  // namespace duban::gazette
