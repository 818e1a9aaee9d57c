// The front door of issue 19: the same gazette as .md, .txt, .html, .docx and .pdf gives the
// same 271 clauses from `duban extract` (document, label, mode, units with their roles, deadlines,
// and the clause text); a 200-page .docx or PDF gives every clause with progress on stderr (its
// speed is tools/bench/convert_bench's); and unreadable documents fail with a message, not a
// crash.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <sstream>

#include "tests/formats/fixtures.h"
#include "tests/support/run_command.h"

namespace duban::formats {
namespace {

using duban::testing::run_command;

// What must not depend on the format: everything but source line numbers. Blanks (and tabs) are
// removed everywhere, since a PDF cannot tell a blank a drafter typed next to CJK text from none.
std::string comparable(const boost::json::object& clause) {
  boost::json::object c = clause;
  c.erase("source");
  std::string s = boost::json::serialize(c);
  std::erase(s, ' ');
  for (std::size_t at; (at = s.find("\\t")) != std::string::npos;) s.erase(at, 2);
  return s;
}

std::vector<std::string> extract(const std::string& file, std::string* err = nullptr) {
  const auto r = run_command(DUBAN_BINARY, {"extract", file, "--format", "jsonl"});
  EXPECT_EQ(r.exit_code, 0) << file << ": " << r.err;
  if (err) *err = r.err;
  std::vector<std::string> rows;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);)
    rows.push_back(comparable(boost::json::parse(line).as_object()));
  return rows;
}

void expect_same(const std::vector<std::string>& expected, const std::vector<std::string>& got,
                 const std::string& format) {
  ASSERT_EQ(got.size(), expected.size()) << format;
  for (std::size_t i = 0; i < expected.size(); ++i)
    ASSERT_EQ(got[i], expected[i]) << format << ": clause " << i + 1 << " differs";
}

class SameClauses : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(testing::fixture_dir());
    markdown_ = new std::vector<std::string>(extract(*dir_ + "/gazette.md"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete markdown_;
  }
  static std::string* dir_;
  static std::vector<std::string>* markdown_;
};
std::string* SameClauses::dir_ = nullptr;
std::vector<std::string>* SameClauses::markdown_ = nullptr;

TEST_F(SameClauses, MarkdownGivesThe271Clauses) {
  EXPECT_EQ(markdown_->size(), 271u);
}

TEST_F(SameClauses, PlainTextGivesTheSameClauses) {
  expect_same(*markdown_, extract(*dir_ + "/gazette.txt"), "txt");
}

TEST_F(SameClauses, HtmlGivesTheSameClauses) {
  expect_same(*markdown_, extract(*dir_ + "/gazette.html"), "html");
}

TEST_F(SameClauses, DocxWithWordNumberingGivesTheSameClauses) {
  expect_same(*markdown_, extract(*dir_ + "/gazette.docx"), "docx");
}

TEST_F(SameClauses, PdfPrintedByChromiumGivesTheSameClauses) {
  expect_same(*markdown_, extract(*dir_ + "/gazette.pdf"), "pdf");
}

TEST_F(SameClauses, FormatIsSniffedWhenTheNameSaysNothing) {
  duban::testing::TempDir tmp;
  for (const char* ext : {"docx", "pdf"}) {
    const std::string renamed =
        tmp.write(std::string("upload-") + ext, testing::read_file(*dir_ + "/gazette." + ext));
    expect_same(*markdown_, extract(renamed), std::string("sniffed ") + ext);
  }
}

// 200 pages: every clause, with progress on stderr. How fast is tools/bench/convert_bench's to
// show (a table against the Markdown baseline in the same run), not a timed assertion here.
void expect_all_clauses_with_progress(const std::string& dir, const std::string& ext,
                                      const std::string& unit) {
  const std::string file = dir + "/gazette-long." + ext;
  const std::vector<std::string> expected = extract(dir + "/gazette-long.md");
  ASSERT_GE(expected.size(), 4u * 271u - 10u);
  std::string err;
  // The same clauses as the Markdown (document, label, units and roles, deadlines, text), not
  // only as many.
  expect_same(expected, extract(file, &err), "long " + ext);
  EXPECT_NE(err.find(" " + unit), std::string::npos) << "no progress on stderr: " << err;
}

TEST_F(SameClauses, TwoHundredPagePdfGivesEveryClauseWithProgressOnStderr) {
  expect_all_clauses_with_progress(*dir_, "pdf", "pages");
}

TEST_F(SameClauses, TwoHundredPageDocxGivesEveryClauseWithProgressOnStderr) {
  expect_all_clauses_with_progress(*dir_, "docx", "paragraphs");
}

TEST(UnreadableDocuments, FailWithAMessageNotACrash) {
  duban::testing::TempDir tmp;
  const std::string scan = tmp.write("scan.pdf", testing::image_only_pdf(2));
  auto r = run_command(DUBAN_BINARY, {"extract", scan});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("scan.pdf: the PDF has no text layer"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("OCR is needed"), std::string::npos) << r.err;

  const std::string docx = testing::read_file(testing::fixture_dir() + "/gazette.docx");
  const std::string cut = tmp.write("cut.docx", docx.substr(0, docx.size() / 2));
  r = run_command(DUBAN_BINARY, {"extract", cut});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cut.docx: the .docx file is damaged or truncated"), std::string::npos)
      << r.err;

  r = run_command(DUBAN_BINARY, {"extract", scan, "--input-format", "rtf"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("markdown, text, html, docx or pdf"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace duban::formats

namespace duban::formats {
namespace {

TEST(IngestFormats, DocxAndPdfIngestLikeTheMarkdownAndRepeatAsNothingToDo) {
  duban::testing::TempDir tmp;
  const std::string dir = testing::fixture_dir();
  auto created = [](const std::string& out) {
    const auto at = out.find("tasks created");
    return at == std::string::npos ? std::string() : out.substr(at, out.find('\n', at) - at);
  };
  const auto md =
      run_command(DUBAN_BINARY, {"ingest", dir + "/gazette.md", "--db", tmp.file("md.db"), "--now",
                                 "2016-01-02", "--simulate"});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  for (const char* ext : {"docx", "pdf"}) {
    const std::string db = tmp.file(std::string(ext) + ".db");
    const auto r = run_command(DUBAN_BINARY, {"ingest", dir + "/gazette." + ext, "--db", db,
                                              "--now", "2016-01-02", "--simulate"});
    ASSERT_EQ(r.exit_code, 0) << ext << ": " << r.err;
    EXPECT_EQ(created(r.out), created(md.out)) << ext;
    const auto again = run_command(DUBAN_BINARY, {"ingest", dir + "/gazette." + ext, "--db", db});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
  }
}

}  // namespace
}  // namespace duban::formats
