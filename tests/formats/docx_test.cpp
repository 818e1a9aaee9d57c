// Word .docx to Markdown (formats/docx.h): paragraphs in order, automatic numbering rendered as
// its text (Chinese counting, decimal, nested levels, restarts), heading styles as '#' headings
// (by name, through basedOn, by outline level), tables with merged cells as pipe rows, and clear
// errors — never a crash — for truncated, foreign or malformed files (also text that is not
// UTF-8 in a part that says it is, found by tests/fuzz/fuzz_convert.cpp).
#include <gtest/gtest.h>

#include "formats/detail/numbering.h"
#include "formats/docx.h"
#include "formats/input_document.h"
#include "tests/formats/fixtures.h"
#include "tests/support/run_command.h"

namespace duban::formats {
namespace {

using testing::DocxWriter;
using Cell = DocxWriter::Cell;
using Merge = DocxWriter::Cell::Merge;

std::string convert(const DocxWriter& docx) {
  duban::testing::TempDir dir;
  const std::string bytes = docx.write(dir.file("t.docx"));
  auto md = docx_to_markdown(bytes);
  EXPECT_TRUE(md.ok()) << (md.ok() ? "" : md.error().message);
  return md.ok() ? *md : "";
}

TEST(DocxNumbers, AreWrittenInWordsFormats) {
  using detail::format_number;
  EXPECT_EQ(format_number(1, "chineseCounting"), "一");
  EXPECT_EQ(format_number(10, "chineseCounting"), "十");
  EXPECT_EQ(format_number(12, "chineseCounting"), "十二");
  EXPECT_EQ(format_number(20, "chineseCounting"), "二十");
  EXPECT_EQ(format_number(35, "chineseCounting"), "三十五");
  EXPECT_EQ(format_number(105, "chineseCountingThousand"), "一百零五");
  EXPECT_EQ(format_number(110, "chineseCountingThousand"), "一百一十");
  EXPECT_EQ(format_number(3, "ideographTraditional"), "丙");
  EXPECT_EQ(format_number(3, "decimalEnclosedCircle"), "③");
  EXPECT_EQ(format_number(12, "decimalFullWidth"), "１２");
  EXPECT_EQ(format_number(28, "lowerLetter"), "bb");
  EXPECT_EQ(format_number(14, "upperRoman"), "XIV");
  EXPECT_EQ(format_number(7, "decimal"), "7");
}

TEST(Docx, RendersNestedAutomaticNumberingWithRestarts) {
  DocxWriter docx;
  docx.set_numbering(
      R"(<w:abstractNum w:abstractNumId="0">)"
      R"(<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>)"
      R"(<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>)"
      R"(<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="space"/></w:lvl>)"
      R"(<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>)"
      R"(</w:abstractNum>)"
      R"(<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl></w:abstractNum>)"
      R"(<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>)"
      R"(<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>)"
      R"(<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>)");
  docx.paragraph("总体要求", "", 1, 0);
  docx.paragraph("完善制度。（省发展改革委牵头）", "", 1, 1);
  docx.paragraph("建立目录。", "", 1, 2);
  docx.paragraph("编制清单。（省财政厅负责）", "", 1, 3);
  docx.paragraph("开展评价。（省统计局负责）", "", 1, 3);
  docx.paragraph("推进共享。", "", 1, 2);
  docx.paragraph("列表项", "", 2, 0);
  docx.paragraph("强化监管。", "", 1, 1);
  docx.paragraph("主要任务", "", 1, 0);
  docx.paragraph("加强督查。", "", 1, 1);
  docx.paragraph("从第五项接着编。", "", 3, 1);
  EXPECT_EQ(convert(docx),
            "一、总体要求\n\n"
            "（一）完善制度。（省发展改革委牵头）\n\n"
            "1. 建立目录。\n\n"
            "（1）编制清单。（省财政厅负责）\n\n"
            "（2）开展评价。（省统计局负责）\n\n"
            "2. 推进共享。\n\n"
            "列表项\n\n"
            "（二）强化监管。\n\n"
            "二、主要任务\n\n"
            "（一）加强督查。\n\n"
            "（五）从第五项接着编。\n\n");
}

TEST(Docx, KeepsHeadingStylesAsMarkdownHeadings) {
  DocxWriter docx;
  docx.paragraph("青海省人民政府", "Heading1");
  docx.paragraph("关于印发实施方案的通知", "OfficeTitle");  // based on Heading 2
  docx.raw(
      R"(<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>一、总体要求</w:t></w:r></w:p>)");
  docx.paragraph("正文。");
  EXPECT_EQ(convert(docx),
            "# 青海省人民政府\n\n## 关于印发实施方案的通知\n\n### 一、总体要求\n\n正文。\n\n");
}

TEST(Docx, ReadsRunsBreaksAndRevisionsAsWordShowsThem) {
  DocxWriter docx;
  docx.raw(
      R"(<w:p><w:r><w:t>加强</w:t></w:r><w:ins><w:r><w:t>粮食</w:t></w:r></w:ins>)"
      R"(<w:del><w:r><w:delText>删除的</w:delText></w:r></w:del>)"
      R"(<w:r><w:instrText> PAGE </w:instrText></w:r>)"
      R"(<w:hyperlink><w:r><w:t>储备</w:t></w:r></w:hyperlink><w:r><w:br/><w:t>管理。</w:t></w:r></w:p>)"
      R"(<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>)"
      R"(<w:sdt><w:sdtContent><w:p><w:r><w:t>控件里的段落。</w:t></w:r></w:p></w:sdtContent></w:sdt>)");
  EXPECT_EQ(convert(docx), "加强粮食储备\n管理。\n\n控件里的段落。\n\n");
}

TEST(Docx, WritesTablesWithMergedCellsAsPipeRows) {
  DocxWriter docx;
  docx.paragraph("附件：任务分工表");
  docx.table({
      {{"序号"}, {"重点任务"}, {"牵头单位"}, {"配合单位"}, {"完成时限"}},
      {{"1"},
       {"完善粮食储备\n管理制度"},
       {"省粮食局", 1, Merge::kRestart},
       {"省财政厅|省发展改革委"},
       {"2015年底前"}},
      {{"2"}, {"推进粮食流通设施建设"}, {"", 1, Merge::kContinue}, {"省农牧厅"}, {"持续推进"}},
      {{"3"}, {"建立健全考核办法（跨两列）", 2}, {"省政府办公厅"}, {"2016年6月底前"}},
  });
  docx.paragraph("表后正文。");
  EXPECT_EQ(convert(docx),
            "附件：任务分工表\n\n\n"
            "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
            "| 1 | 完善粮食储备 管理制度 | 省粮食局 | 省财政厅\\|省发展改革委 | 2015年底前 |\n"
            "| 2 | 推进粮食流通设施建设 | | 省农牧厅 | 持续推进 |\n"
            "| 3 | 建立健全考核办法（跨两列） | | 省政府办公厅 | 2016年6月底前 |\n\n"
            "表后正文。\n\n");
}

TEST(Docx, TruncatedFileIsAClearErrorAtEveryLength) {
  duban::testing::TempDir dir;
  DocxWriter docx;
  for (int i = 0; i < 200; ++i) docx.paragraph("（" + std::to_string(i) + "）加强粮食储备管理。");
  const std::string bytes = docx.write(dir.file("t.docx"));
  ASSERT_TRUE(docx_to_markdown(bytes).ok());
  for (std::size_t keep = 0; keep < bytes.size();
       keep += std::max<std::size_t>(1, bytes.size() / 97)) {
    auto md = docx_to_markdown(std::string_view(bytes).substr(0, keep));
    ASSERT_FALSE(md.ok()) << "kept " << keep << " of " << bytes.size();
    EXPECT_EQ(md.error().code, "damaged_docx");
    EXPECT_NE(md.error().message.find("save it again as .docx"), std::string::npos)
        << md.error().message;
  }
}

TEST(Docx, CorruptedCompressedDataIsAClearError) {
  duban::testing::TempDir dir;
  DocxWriter docx;
  for (int i = 0; i < 100; ++i) docx.paragraph("加强粮食储备管理，落实储备责任。");
  std::string bytes = docx.write(dir.file("t.docx"));
  // Overwrite the compressed word/document.xml (after its local header), keeping the directory.
  const std::size_t part = bytes.find("word/document.xml");
  ASSERT_NE(part, std::string::npos);
  for (std::size_t i = part + 40; i < part + 72; ++i) bytes[i] = '\x5A';
  auto md = docx_to_markdown(bytes);
  ASSERT_FALSE(md.ok());
  EXPECT_EQ(md.error().code, "damaged_docx");
}

TEST(Docx, ZipWithoutWordDocumentIsNotADocx) {
  duban::testing::TempDir dir;
  const std::string path = dir.file("x.zip");
  // A .docx whose document part was renamed is just a zip.
  DocxWriter docx;
  docx.paragraph("x");
  std::string bytes = docx.write(path);
  for (std::size_t at = 0; (at = bytes.find("word/document.xml", at)) != std::string::npos;)
    bytes.replace(at, 17, "word/docu_ent.xml");
  auto md = docx_to_markdown(bytes);
  ASSERT_FALSE(md.ok());
  EXPECT_EQ(md.error().code, "not_docx");
}

TEST(Docx, MalformedXmlIsDamagedWithWhere) {
  DocxWriter docx;
  docx.raw("<w:p><w:r><w:t>未闭合</w:r></w:p>");
  duban::testing::TempDir dir;
  auto md = docx_to_markdown(docx.write(dir.file("t.docx")));
  ASSERT_FALSE(md.ok());
  EXPECT_EQ(md.error().code, "damaged_docx");
  EXPECT_NE(md.error().message.find("not well-formed"), std::string::npos) << md.error().message;
}

// Found by the converter fuzzer: pugixml passes a UTF-8 part's bytes through unchecked, and the
// parser then refused the converted text as if the file were GB18030.
TEST(Docx, APartWhoseTextIsNotUtf8IsDamagedNotAnotherEncoding) {
  DocxWriter docx;
  docx.paragraph("（一）做好工作。（省财政厅负责）");
  docx.raw("<w:p><w:r><w:t>\xe7\xbc\"规划</w:t></w:r></w:p>");
  duban::testing::TempDir dir;
  auto input = prepare(docx.write(dir.file("t.docx")), Kind::kDocx);
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.error().code, "damaged_docx");
  EXPECT_NE(input.error().message.find("not UTF-8"), std::string::npos) << input.error().message;
  EXPECT_EQ(input.error().message.find("GB18030"), std::string::npos) << input.error().message;
}

}  // namespace
}  // namespace duban::formats
