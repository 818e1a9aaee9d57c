// Which format a file is (formats/input_document.h): from its name, else sniffed from its bytes;
// and a legacy Word file refused with what to do.
#include <gtest/gtest.h>

#include "formats/input_document.h"
#include "tests/formats/fixtures.h"

namespace duban::formats {
namespace {

TEST(DetectKind, FromTheFileName) {
  EXPECT_EQ(detect_kind("方案.DOCX", ""), Kind::kDocx);
  EXPECT_EQ(detect_kind("a.pdf", ""), Kind::kPdf);
  EXPECT_EQ(detect_kind("a.html", ""), Kind::kHtml);
  EXPECT_EQ(detect_kind("a.txt", ""), Kind::kText);
  EXPECT_EQ(detect_kind("a.md", "%PDF-1.4"), Kind::kMarkdown);
}

TEST(DetectKind, SniffedWhenTheNameSaysNothing) {
  const std::string dir = testing::fixture_dir();
  EXPECT_EQ(detect_kind("-", testing::read_file(dir + "/gazette.docx")), Kind::kDocx);
  EXPECT_EQ(detect_kind("upload", testing::read_file(dir + "/gazette.pdf")), Kind::kPdf);
  EXPECT_EQ(detect_kind("", "  <!DOCTYPE html><html>"), Kind::kHtml);
  EXPECT_EQ(detect_kind("", "# 青海省人民政府"), Kind::kMarkdown);
  // A zip that is not a Word document is not taken for one.
  EXPECT_EQ(detect_kind("", std::string("PK\x03\x04", 4) + "data/readme.txt"), Kind::kMarkdown);
}

TEST(Prepare, RefusesLegacyWordFilesWithWhatToDo) {
  const std::string doc =
      std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, '\0');
  auto prepared = prepare(doc, detect_kind("old.doc", doc));
  ASSERT_FALSE(prepared.ok());
  EXPECT_EQ(prepared.error().code, "unsupported_format");
  EXPECT_NE(prepared.error().message.find("save it as .docx"), std::string::npos);
}

TEST(Prepare, PassesTextFormatsThroughUntouched) {
  const std::string md = "# 标题\n\n正文";
  auto prepared = prepare(md, Kind::kMarkdown);
  ASSERT_TRUE(prepared.ok());
  EXPECT_FALSE(prepared->converted.has_value());
  EXPECT_EQ(prepared->text(md).data(), md.data());
}

}  // namespace
}  // namespace duban::formats
