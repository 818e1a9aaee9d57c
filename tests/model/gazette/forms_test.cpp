// The forms responsibility is written in, each in a small document of our own wording under
// tests/data/forms/ with the reading expected of it (*.expected.jsonl):
//   roles.md            the role vocabulary (主办/协办, 主责/配合, 落实/协助, 承办/指导, 会同,
//                       a long unit list with no role word, conjunctions, groups)
//   paragraph_notes.md  notes closing paragraphs and sentences inside one item (labelled ¶N),
//                       a standing instruction (以下…均由…，不再列出) and 下同
//   table.md            task-division tables: pipe rows with a separator, section rows, a row
//                       running over two lines, a merged (empty) unit cell; a tab-separated one
//   implicit.md         duties written as sentences (由X负责, X要, 请X, X牵头, X会同Y)
//   national.md         State Council departments, unknown to the directory and kept
//   label_lines.md      牵头单位：/责任单位：/配合单位： on lines of their own after the item
//   division_rules.md   责任单位 beside 牵头单位 (participants), two labels in one bracket, a
//                       first-listed-leads rule stated in brackets, 分别牵头 in a label line,
//                       X牵头，Y按职责分工负责, time phrases in notes, a month without a year
//   flat_table.md       task-division tables flattened to one cell per line (copied from a web
//                       page or a PDF): with and without blank lines, a section row, a row
//                       whose empty cell left no line, 长期坚持 in the time column
//   unit_headings.md    duties listed under a heading naming the unit (（一）区财政局。 + 1.负责…),
//                       and “X是…的主管部门，负责…” (implicit duties)
//   traditional.md      a document in traditional script (牽頭/負責/單位), read through the
//                       simplified vocabulary and returned as written
//   label_words.md      labels read by their words (牵头责任单位, 协同责任单位, 主要协作单位,
//                       协同单位), labels naming people (责任领导, 牵头负责领导, 分管领导) whose
//                       names are never units, label lines ending in 。
//   note_brackets.md    notes in 〔〕 and 【】 (document numbers 〔2025〕 stay asides), the
//                       first-listed-leads rule inside a note of bare lists, and later notes
//                       that are only a list of units under that rule
//   spaced_table.md     a table copied as text: header and rows on one line each, cells between
//                       blanks (“序号 工 作 任 务 牵头负责部门”); a covering notice whose
//                       “各有关部门要…” is no implicit duty; 由X会同中央…（ten units）等部门…;
//                       X会同<fields, not units>…
//   records.md          tasks as records: each cell under its column name on the line before
//                       (具体任务 / 责任单位 / 配合单位 / 完成时限), no 序号; rows numbered 1, 2, …
//   table_cells.md      flattened tables whose cells kept their closing bar (“序号 |”), a column
//                       of people (分管县领导) beside 牵头责任单位 | 责任单位 (participants), a
//                       unit cell ending in 。
// Then properties over every note of every test document and the bundled gazette: no
// unit-shaped span is dropped silently, and every clause says how sure it is.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "app/json_output.h"
#include "model/gazette/parser.h"
#include "model/gazette/script.h"
#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kForms = std::string(DUBAN_SOURCE_DIR) + "/tests/data/forms/";
const char* const kFormNames[] = {"roles",      "paragraph_notes", "table",          "implicit",
                                  "national",   "label_lines",     "division_rules", "traditional",
                                  "flat_table", "label_words",     "note_brackets",  "spaced_table",
                                  "records",    "table_cells"};

ParseResult parse_file(const std::string& path, bool implicit = true) {
  ParseOptions options;
  options.implicit_duties = implicit;
  auto parsed = parse_gazette(slurp(path), Format::kMarkdown, UnitDirectory::builtin(), options);
  EXPECT_TRUE(parsed.ok()) << path;
  return parsed.ok() ? std::move(parsed).value() : ParseResult{};
}

ParseResult parse_text(const std::string& md, bool implicit = false) {
  ParseOptions options;
  options.implicit_duties = implicit;
  auto parsed = parse_gazette(md, Format::kMarkdown, UnitDirectory::builtin(), options);
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? std::move(parsed).value() : ParseResult{};
}

class Forms : public ::testing::TestWithParam<const char*> {};

TEST_P(Forms, EveryClauseIsReadAsExpected) {
  const std::string name = GetParam();
  const ParseResult result = parse_file(kForms + name + ".md");
  std::vector<boost::json::object> expected;
  std::istringstream in(slurp(kForms + name + ".expected.jsonl"));
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) expected.push_back(boost::json::parse(line).as_object());
  ASSERT_FALSE(expected.empty());
  ASSERT_EQ(result.clauses.size(), expected.size()) << name;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const boost::json::object actual = app::to_json(result.clauses[i]);
    for (const auto& [field, value] : expected[i]) {
      EXPECT_EQ(boost::json::serialize(actual.at(field)), boost::json::serialize(value))
          << name << " clause " << i << " field " << field;
    }
  }
  EXPECT_TRUE(result.warnings.empty()) << name << ": " << result.warnings.front().message;
}

INSTANTIATE_TEST_SUITE_P(OwnDocuments, Forms, ::testing::ValuesIn(kFormNames));

// --- Unit-shaped spans: found here independently of the parser's reading. ---

// Pieces of a note between separators and role words, with trailing 等 qualifiers and a leading
// 由/请 removed; those shaped like a unit name.
std::vector<std::string> shaped_pieces(const std::string& note) {
  // Role words become separators.
  const std::u32string raw = text::decode(note);
  std::u32string s;
  for (std::size_t i = 0; i < raw.size();) {
    bool word = false;
    for (std::u32string_view w :
         {U"按照职责分工", U"按职责分工", U"分别", U"牵头", U"负责", U"参加", U"参与", U"配合",
          U"协助", U"协办", U"会同", U"指导", U"主办", U"主责", U"落实", U"承办", U"共同",
          U"按照职责", U"按职责"}) {
      if (std::u32string_view(raw).substr(i, w.size()) == w) {
        s.push_back(U'，');
        i += w.size();
        word = true;
        break;
      }
    }
    if (!word) s.push_back(raw[i++]);
  }
  std::vector<std::string> out;
  std::u32string piece;
  auto flush = [&] {
    std::u32string p = text::trim(piece);
    piece.clear();
    for (std::u32string_view tail : {U"等有关部门", U"等部门", U"等"})
      if (text::ends_with(p, tail)) p.resize(p.size() - tail.size());
    for (std::u32string_view head : {U"由", U"请"})
      if (text::starts_with(p, head)) p.erase(0, head.size());
    if (is_unit_shaped(p)) out.push_back(text::encode(p));
  };
  for (char32_t c : s) {
    if (c == U'，' || c == U',' || c == U'；' || c == U';' || c == U'：' || c == U':' ||
        c == U'。' || c == U'的' || c == U'为' ||
        (c == U'、' && !text::starts_with(piece, U"各") && piece.size() > 2)) {
      flush();
    } else {
      piece.push_back(c);
    }
  }
  flush();
  return out;
}

void expect_no_unit_dropped(const ParseResult& result, const std::string& where) {
  for (const Clause& c : result.clauses) {
    if (c.kind == ClauseKind::kImplicit) continue;  // evidence is a sentence, not a note
    for (const std::string& piece : shaped_pieces(c.note)) {
      bool found = false;
      for (const Assignment& a : c.assignments) {
        // 省人力资源和社会保障厅 holds 社会保障厅; 各市、县人民政府 holds 县人民政府.
        found = found || a.mention.find(piece) != std::string::npos ||
                piece.find(a.mention) != std::string::npos;
      }
      for (const Warning& w : result.warnings)
        found = found || w.message.find(piece) != std::string::npos;
      EXPECT_TRUE(found) << where << " " << c.label << ": '" << piece << "' of note '" << c.note
                         << "' is neither assigned nor reported";
    }
  }
}

TEST(NoUnitDropped, InEveryNoteOfEveryTestDocument) {
  for (const char* name : kFormNames)
    expect_no_unit_dropped(parse_file(kForms + name + ".md"), name);
  expect_no_unit_dropped(
      parse_file(std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md"), "gazette");
}

TEST(NoUnitDropped, AUnitThatCannotBeGivenARoleIsAWarning) {
  const auto r = parse_text(
      "# 测试\n\n1. 做好统计。（省统计局负责，省审计厅的意见为准）\n\n"
      "2. 做好审计。（各有关部门参加，省审计厅指导）\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_LT(r.clauses[0].confidence, 1.0);
  ASSERT_EQ(r.warnings.size(), 2u);
  EXPECT_NE(r.warnings[0].message.find("省审计厅"), std::string::npos) << r.warnings[0].message;
  EXPECT_NE(r.warnings[1].message.find("各有关部门"), std::string::npos) << r.warnings[1].message;
}

// --- Confidence. ---

TEST(Confidence, EveryClauseSaysHowSureItIsAndWhy) {
  for (const char* name : kFormNames) {
    for (const Clause& c : parse_file(kForms + name + ".md").clauses) {
      EXPECT_GT(c.confidence, 0.0) << name << " " << c.label;
      EXPECT_LE(c.confidence, 1.0) << name << " " << c.label;
      EXPECT_EQ(c.confidence < 1.0, !c.why.empty()) << name << " " << c.label;
    }
  }
  const auto r =
      parse_text("# 测试\n\n1. 做好统计。（省统计局负责）\n\n2. 做好服务。（国家统计局负责）\n");
  ASSERT_EQ(r.clauses.size(), 2u);
  EXPECT_EQ(r.clauses[0].confidence, 1.0);
  EXPECT_TRUE(r.clauses[0].why.empty());
  EXPECT_LT(r.clauses[1].confidence, 1.0);
  EXPECT_EQ(r.clauses[1].why, std::vector<std::string>{"unit not in directory: 国家统计局"});
  EXPECT_EQ(r.clauses[1].assignments[0].unit, "unknown:国家统计局");
}

TEST(Confidence, ImplicitDutiesAreLessSureThanNotes) {
  for (const Clause& c : parse_file(kForms + "implicit.md").clauses) {
    EXPECT_EQ(c.kind, ClauseKind::kImplicit);
    EXPECT_LE(c.confidence, 0.6);
    EXPECT_EQ(c.why.front(), "implicit duty");
  }
}

// --- Implicit duties are asked for. ---

TEST(ImplicitDuties, AreReadOnlyWhenAskedFor) {
  EXPECT_TRUE(parse_file(kForms + "implicit.md", false).clauses.empty());
  const auto r = parse_file(kForms + "implicit.md", true);
  ASSERT_EQ(r.clauses.size(), 5u);
  EXPECT_EQ(r.clauses[0].note, "由省体育局负责制定建设标准，2026年底前完成试点");
}

TEST(ImplicitDuties, DutiesUnderAUnitHeadingAreReadOnlyWhenAskedFor) {
  EXPECT_TRUE(parse_file(kForms + "unit_headings.md", false).clauses.empty());
  const auto r = parse_file(kForms + "unit_headings.md", true);
  ASSERT_EQ(r.clauses.size(), 4u);
  EXPECT_EQ(r.clauses[1].label, "(一)");
  EXPECT_EQ(r.clauses[1].kind, ClauseKind::kImplicit);
  EXPECT_EQ(r.clauses[1].note,
            "负责制定年度改造计划，6月底前报区政府审定…负责组织工程招标和质量监管");
  EXPECT_NE(std::find(r.clauses[1].why.begin(), r.clauses[1].why.end(),
                      "duties listed under a heading naming the unit"),
            r.clauses[1].why.end());
}

TEST(ImplicitDuties, ASectionTitleEndingLikeAUnitIsNoUnitHeading) {
  const auto r = parse_text(
      "# 测试\n\n（一）建设社区服务中心。\n\n1. 负责选址。\n\n（二）省民政厅。\n\n1. 负责验收。\n",
      true);
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].label, "(二)");
  EXPECT_EQ(r.clauses[0].assignments[0].mention, "省民政厅");
}

TEST(ImplicitDuties, AnItemWithANoteIsNeverImplicit) {
  const auto r = parse_text("# 测试\n\n1. 省财政厅要做好保障。（省财政厅负责）\n", true);
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].kind, ClauseKind::kNote);
}

// --- Paragraph and sentence notes, standing instructions. ---

TEST(Notes, ARemarkAfterTheResponsibilityIsNoListOfUnitsAndItsDittoIsNotTheUnits) {
  const auto r = parse_text(
      "# 测试\n\n一、任务\n\n（一）建设县域商业体系。〔责任单位：市商务局、市交通运输局按职责"
      "分工负责。具体任务均涉及各县（区）人民政府，不再另行分工，下同。〕\n\n"
      "（二）发展冷链物流。布局建设产地冷藏设施。\n");
  ASSERT_EQ(r.clauses.size(), 1u);  // the remark's 下同 gives (二) nobody
  const Clause& c = r.clauses[0];
  EXPECT_EQ(c.label, "(一)");
  ASSERT_EQ(c.assignments.size(), 2u);
  EXPECT_EQ(c.assignments[0].mention, "市商务局");
  EXPECT_EQ(c.assignments[1].mention, "市交通运输局");
  EXPECT_EQ(c.note,
            "责任单位：市商务局、市交通运输局按职责分工负责。具体任务均涉及各县（区）人民政府，"
            "不再另行分工，下同。");
  // The names in the remark are reported, not dropped.
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings[0].message.find("人民政府"), std::string::npos);
}

TEST(ParagraphNotes, AnAsideInsideASentenceIsNoNote) {
  const auto r = parse_text(
      "# 测试\n\n1. 建立联席会议（由省商务厅负责召集），统筹推进。（省商务厅牵头负责）\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].label, "1.");
}

TEST(StandingInstructions, EndWithThePart) {
  const auto r = parse_text(
      "# 甲方案\n\n示政〔2026〕1号\n\n以下任务均由省民政厅负责，不再列出。\n\n1. 做好救助。\n\n"
      "# 乙方案\n\n示政〔2026〕2号\n\n1. 做好养老。\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].assignments[0].mention, "省民政厅");
}

TEST(StandingInstructions, AnItemThatHeadsSubItemsTakesNone) {
  const auto r = parse_text(
      "# 测试\n\n以下均由省民政厅落实，不再列出。\n\n（一）完善救助体系\n\n1. 做好低保。\n\n"
      "2. 做好特困供养。\n");
  ASSERT_EQ(r.clauses.size(), 2u);
  EXPECT_EQ(r.clauses[0].label, "1.");
  EXPECT_EQ(r.clauses[1].label, "2.");
}

TEST(Tables, ColumnNamesOnLinesOfTheirOwnWithoutNumberedRowsStayText) {
  const auto r =
      parse_text("# 测试\n\n工作任务\n\n责任单位\n\n完成时限\n\n1. 做好统计。（省统计局负责）\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].kind, ClauseKind::kNote);
  const auto numbered =
      parse_text("# 测试\n\n序号\n\n工作任务\n\n责任单位\n\n1. 做好统计。（省统计局负责）\n");
  ASSERT_EQ(numbered.clauses.size(), 1u);
  EXPECT_EQ(numbered.clauses[0].kind, ClauseKind::kNote);
}

// --- Traditional script. ---

TEST(TraditionalScript, UnitsAreLookedUpSimplifiedAndReturnedAsWritten) {
  const auto r = parse_file(kForms + "traditional.md");
  ASSERT_EQ(r.clauses.size(), 3u);
  EXPECT_EQ(r.clauses[0].assignments[0].mention, "市政務服務局");
  EXPECT_EQ(r.clauses[0].assignments[0].unit, "unknown:市政务服务局");
  EXPECT_EQ(r.clauses[0].doc, r.documents[0].id);
  EXPECT_NE(r.clauses[0].text.find("網上辦理"), std::string::npos);
  const auto builtin =
      parse_text("# 測試\n\n1. 做好統計調查工作。（省統計局負責，省財政廳參加）\n");
  ASSERT_EQ(builtin.clauses.size(), 1u);
  EXPECT_EQ(builtin.clauses[0].assignments[0].mention, "省統計局");
  EXPECT_EQ(builtin.clauses[0].assignments[0].unit, UnitDirectory::builtin().resolve("省统计局"));
  EXPECT_EQ(builtin.clauses[0].assignments[1].role, Role::kParticipant);
}

TEST(TraditionalScript, SimplifiedTextIsNeverChanged) {
  for (const std::string& path :
       {std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md", kForms + "roles.md",
        kForms + "division_rules.md"}) {
    const std::u32string t = text::decode(slurp(path));
    std::size_t folded = 0;
    const std::u32string s = script::to_simplified(t);
    for (std::size_t i = 0; i < t.size(); ++i) folded += s[i] != t[i] ? 1 : 0;
    EXPECT_LE(folded, 1u) << path;  // the gazette's OCR holds one stray 員
  }
  EXPECT_EQ(script::simplified(U'牽'), U'牵');
  EXPECT_EQ(script::simplified(U'牵'), U'牵');
  EXPECT_EQ(script::to_simplified(U"負責單位參加配合").size(), 8u);
  EXPECT_EQ(script::to_simplified(U"負責單位參加配合"), U"负责单位参加配合");
}

// --- Deadlines without a year. ---

TEST(Deadlines, AMonthWithoutAYearTakesTheYearOfTheDocumentItImplements) {
  const auto r = parse_text(
      "# 示范县稳就业若干措施\n\n根据《示范市稳就业措施》（示政发〔2025〕3号），制定本措施。\n\n"
      "1. 建立零工市场，9月底前投入使用。（县人社局牵头，各乡镇配合）\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  ASSERT_EQ(r.clauses[0].deadlines.size(), 1u);
  EXPECT_EQ(r.clauses[0].deadlines[0].date, "2025-09-30");
  const auto unknown =
      parse_text("# 示范县稳就业若干措施\n\n1. 建立零工市场，9月底前投入使用。（县人社局牵头）\n");
  ASSERT_EQ(unknown.clauses.size(), 1u);
  EXPECT_TRUE(unknown.clauses[0].deadlines.empty());
}

TEST(Deadlines, ATimePhraseInANoteIsADeadlineOrStanding) {
  const auto r = parse_text(
      "# 测试\n\n1. 做好统计。（省统计局负责，2026年底前完成）\n\n"
      "2. 做好审计。（省审计厅负责，长期坚持）\n");
  ASSERT_EQ(r.clauses.size(), 2u);
  ASSERT_EQ(r.clauses[0].deadlines.size(), 1u);
  EXPECT_EQ(r.clauses[0].deadlines[0].date, "2026-12-31");
  EXPECT_EQ(r.clauses[0].assignments.size(), 1u);
  EXPECT_EQ(r.clauses[1].standing, "长期坚持");
  EXPECT_EQ(r.clauses[1].assignments.size(), 1u);
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Deadlines, ATimeCellGivingDatesForPartAndSayingTheRestGoesOnGivesBoth) {
  // The time cell names two dates without a year and says the rest goes on: both dates (the
  // document's year, from its title), and the standing phrase alone, not the whole cell.
  const auto r = parse_text(
      "# 示范县2026年重点工作任务分解表\n\n"
      "| 序号 | 重点任务 | 责任单位 | 完成时限 |\n|---|---|---|---|\n"
      "| 1 | 改造老旧供水管网，推进智慧水务建设。 | 县水务局 | "
      "管网改造4月底前完成，智慧水务11月底前上线并长期坚持 |\n"
      "| 2 | 开展安全生产检查。 | 县应急局 | 每季度 |\n"
      "| 3 | 完成农村公路提升。 | 县交通运输局 | 上半年 |\n");
  ASSERT_EQ(r.clauses.size(), 3u);
  ASSERT_EQ(r.clauses[0].deadlines.size(), 2u);
  EXPECT_EQ(r.clauses[0].deadlines[0].date, "2026-04-30");
  EXPECT_EQ(r.clauses[0].deadlines[1].date, "2026-11-30");
  EXPECT_EQ(r.clauses[0].standing, "长期坚持");
  EXPECT_TRUE(r.clauses[1].deadlines.empty());
  EXPECT_EQ(r.clauses[1].standing, "每季度");
  // A period named alone in the time column is the row's deadline.
  ASSERT_EQ(r.clauses[2].deadlines.size(), 1u);
  EXPECT_EQ(r.clauses[2].deadlines[0].date, "2026-06-30");
  EXPECT_EQ(r.clauses[2].standing, "");
}

TEST(Deadlines, ADocumentDatedOnlyByItsSignatureTakesItsYearFromIt) {
  // No number, no year in the title: the signature after the items dates the deadlines before it;
  // the date wins over the year of a document the preamble cites.
  const char* kSigned =
      "# 示范县关于做好冬季供暖工作的通知\n\n"
      "根据《示范市供暖条例》（示政发〔2024〕9号），现就有关事项通知如下。\n\n"
      "1. 完成管网检修，10月底前全部通水。（县住建局牵头，县供热公司配合）\n\n"
      "2. 开展困难群众取暖补助，年底前发放到位。（县民政局负责）\n\n"
      "示范县人民政府\n\n2026年9月1日\n";
  const auto r = parse_text(kSigned);
  ASSERT_EQ(r.clauses.size(), 2u);
  ASSERT_EQ(r.clauses[0].deadlines.size(), 1u);
  EXPECT_EQ(r.clauses[0].deadlines[0].date, "2026-10-31");
  ASSERT_EQ(r.clauses[1].deadlines.size(), 1u);
  EXPECT_EQ(r.clauses[1].deadlines[0].date, "2026-12-31");
  // A date line that is not a signature (under the title) dates it too.
  const auto dated = parse_text(
      "# 示范县供暖工作要点\n\n2026年8月3日\n\n1. "
      "完成管网检修，10月底前全部通水。（县住建局负责）\n");
  ASSERT_EQ(dated.clauses.size(), 1u);
  ASSERT_EQ(dated.clauses[0].deadlines.size(), 1u);
  EXPECT_EQ(dated.clauses[0].deadlines[0].date, "2026-10-31");
}

TEST(Deadlines, AYearGivenByTheReaderWinsOverTheDocuments) {
  ParseOptions options;
  options.year = 2031;
  auto parsed = parse_gazette(
      "# 示范县2026年重点工作\n\n"
      "1. 完成管网检修，10月底前全部通水，2027年底前完成二期。（县住建局负责）\n",
      Format::kMarkdown, UnitDirectory::builtin(), options);
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->clauses.size(), 1u);
  ASSERT_EQ(parsed->clauses[0].deadlines.size(), 2u);
  EXPECT_EQ(parsed->clauses[0].deadlines[0].date, "2031-10-31");
  // A year written out stays as written.
  EXPECT_EQ(parsed->clauses[0].deadlines[1].date, "2027-12-31");
}

TEST(Deadlines, PolicyPeriodsInAnItemAreNotItsDeadlines) {
  const auto r = parse_text(
      "# 示范市2026年援企稳岗措施\n\n"
      "1. 阶段性降低失业保险费率，政策实施期限至2027年4月30日；年底前完成稳岗返还。"
      "（市人社局牵头，市财政局配合）\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  ASSERT_EQ(r.clauses[0].deadlines.size(), 1u);
  EXPECT_EQ(r.clauses[0].deadlines[0].text, "年底前");
  EXPECT_EQ(r.clauses[0].deadlines[0].date, "2026-12-31");
}

// --- Tables. ---

TEST(Tables, ATableOfSomethingElseIsNotRead) {
  const auto r = parse_text(
      "# 测试\n\n| 姓名 | 职务 |\n|---|---|\n| 张三 | 组长 |\n\n1. 做好统计。（省统计局负责）\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].kind, ClauseKind::kNote);
}

TEST(Tables, TheHeaderIsFoundByWhatItsColumnsMean) {
  const auto r = parse_text(
      "# 测试\n\n| 编号 | 工作内容 | 时间节点 | 责任部门 | 参与部门 |\n"
      "| 1 | 完成普查。 | 2026年底前 | 省统计局 | 省财政厅 |\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  const Clause& c = r.clauses[0];
  EXPECT_EQ(c.kind, ClauseKind::kTable);
  EXPECT_EQ(c.label, "1");
  EXPECT_EQ(c.mode, Mode::kResponsible);
  ASSERT_EQ(c.assignments.size(), 2u);
  EXPECT_EQ(c.assignments[1].role, Role::kParticipant);
  ASSERT_EQ(c.deadlines.size(), 1u);
  EXPECT_EQ(c.deadlines[0].date, "2026-12-31");
}

TEST(Tables, TabSeparatedRowsAfterAHeaderAreRows) {
  const auto r = parse_text("# 测试\n\n序号\t任务\t牵头单位\n1\t完成普查。\t省统计局\n");
  ASSERT_EQ(r.clauses.size(), 1u);
  EXPECT_EQ(r.clauses[0].heading, "完成普查");
  EXPECT_EQ(r.clauses[0].mode, Mode::kLead);
}

}  // namespace
}  // namespace duban::gazette
