// PDF to Markdown (formats/pdf.h) on the gazette printed by Chromium: page headers, footers and
// page numbers dropped, wrapped lines joined back into paragraphs, headings from font sizes; and
// the errors: an image-only (scanned) PDF says OCR is needed, garbage is a damaged PDF.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <stdexcept>

#include "formats/pdf.h"
#include "tests/formats/fixtures.h"

namespace duban::formats {
namespace {

using testing::fixture_dir;
using testing::read_file;

const std::string& gazette_pdf_markdown() {
  static const std::string md = [] {
    auto converted = pdf_to_markdown(read_file(fixture_dir() + "/gazette.pdf"));
    if (!converted) throw std::runtime_error(converted.error().message);
    return *converted;
  }();
  return md;
}

TEST(Pdf, DropsChromiumsPageHeadersFootersAndNumbers) {
  const std::string& md = gazette_pdf_markdown();
  // Chromium prints the title and date at the top, the file URL and "n/N" at the bottom.
  EXPECT_EQ(md.find("file://"), std::string::npos);
  EXPECT_EQ(md.find("青海省人民政府公报 2015年第8期"), std::string::npos);
  std::istringstream lines(md);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_FALSE(!line.empty() && line.find_first_not_of("0123456789/ ") == std::string::npos)
        << "a page number survived: " << line;
  }
}

TEST(Pdf, JoinsWrappedLinesIntoTheGazettesParagraphs) {
  const std::string& md = gazette_pdf_markdown();
  // Every paragraph of the gazette comes out whole, on one line, CJK text without added blanks.
  auto squeeze = [](std::string s) {
    std::erase(s, ' ');
    std::erase(s, '\t');
    return s;
  };
  std::set<std::string> lines;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.insert(squeeze(line));
  std::size_t found = 0, total = 0;
  for (const auto& p : testing::gazette_paragraphs()) {
    const std::string expected =
        p.heading_level > 0
            ? std::string(static_cast<std::size_t>(p.heading_level), '#') + " " + p.text
            : p.text;
    ++total;
    if (lines.count(squeeze(expected))) ++found;
  }
  // Blanks aside (a PDF cannot tell a blank next to CJK text from none), all of them.
  EXPECT_EQ(found, total) << found << " of " << total << " paragraphs found whole";
}

TEST(Pdf, ImageOnlyPdfSaysOcrIsNeeded) {
  auto md = pdf_to_markdown(testing::image_only_pdf(3));
  ASSERT_FALSE(md.ok());
  EXPECT_EQ(md.error().code, "no_text_layer");
  EXPECT_NE(md.error().message.find("OCR is needed"), std::string::npos) << md.error().message;
  EXPECT_NE(md.error().message.find("3 pages"), std::string::npos) << md.error().message;
}

TEST(Pdf, GarbageAndTruncatedFilesAreDamagedPdfs) {
  auto garbage = pdf_to_markdown("%PDF-1.7\nthis is not really a pdf\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_TRUE(garbage.error().code == "damaged_pdf" || garbage.error().code == "no_text_layer")
      << garbage.error().code;
  const std::string pdf = read_file(fixture_dir() + "/gazette.pdf");
  for (std::size_t keep : {std::size_t{0}, std::size_t{100}, pdf.size() / 2}) {
    auto md = pdf_to_markdown(std::string_view(pdf).substr(0, keep));
    // A cut PDF may still yield its first pages (poppler rebuilds the cross-reference table);
    // it must never crash, and an error must be one a person can act on.
    if (!md.ok()) {
      EXPECT_TRUE(md.error().code == "damaged_pdf" || md.error().code == "no_text_layer")
          << md.error().code;
    }
  }
}

}  // namespace
}  // namespace duban::formats
