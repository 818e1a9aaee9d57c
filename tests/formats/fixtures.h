// Test documents made from the bundled gazette (data/qinghai-gazette-2015-08.md), in every input
// format duban reads: the same paragraphs as HTML, as a Word .docx written with libzip (items
// numbered by Word's automatic numbering), and as a PDF printed from the HTML by Debian's
// Chromium. Also small builders for hand-made .docx files and an image-only ("scanned") PDF.
#pragma once

#include <string>
#include <vector>

namespace duban::formats::testing {

// One paragraph of the gazette as the parser sees it: a heading level (0 for body text) and its
// text, page breaks already undone (model/gazette/blocks.h).
struct Paragraph {
  int heading_level = 0;
  std::string text;
};
std::vector<Paragraph> gazette_paragraphs();
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

// A Word document under construction: paragraphs and tables in order, written by write().
class DocxWriter {
 public:
  struct Cell {
    std::string text;  // paragraphs separated by '\n'
    int grid_span = 1;
    enum class Merge { kNone, kRestart, kContinue } merge = Merge::kNone;
  };

  // The w:abstractNum and w:num elements of word/numbering.xml, as given.
  void set_numbering(std::string abstract_and_num_xml) {
    numbering_ = std::move(abstract_and_num_xml);
  }
  // A paragraph; style is a w:styleId ("Heading2", "") and num_id 0 means not numbered.
  void paragraph(const std::string& text, const std::string& style = "", int num_id = 0,
                 int level = 0);
  void table(const std::vector<std::vector<Cell>>& rows);
  // Raw w:body content, for cases the helpers above do not cover.
  void raw(const std::string& body_xml) { body_ += body_xml; }

  // Writes the .docx (a zip) to `path`; returns its bytes.
  std::string write(const std::string& path) const;

 private:
  std::string body_;
  std::string numbering_;
};

// The gazette as a .docx: headings in Heading N styles; runs of items numbered （一）（二）… and
// 1. 2. … carry Word numbering instead of typed numbers. Returns how many items Word numbers.
int write_gazette_docx(const std::vector<Paragraph>& paragraphs, const std::string& path);

// The gazette as HTML (<h1>-<h6>, <p> with a first-line indent, headings in distinct sizes).
std::string gazette_html(const std::vector<Paragraph>& paragraphs, const std::string& title);

// Prints `html_path` to `pdf_path` with headless Chromium (DUBAN_CHROMIUM); Chromium's own page
// header (date, title) and footer (file URL, page x/y) are kept, as a browser prints them.
// Throws when Chromium fails.
void print_to_pdf(const std::string& html_path, const std::string& pdf_path);

// A PDF whose pages hold only an image, as a scanner makes: no text layer at all.
std::string image_only_pdf(int pages);

// The directory holding gazette.{md,txt,html,docx,pdf} and the 200-page gazette-long.{docx,pdf},
// made on first use (by whichever test or the fixture-setup test comes first; written under a
// temporary name and renamed, so concurrent tests never see half a file).
std::string fixture_dir();

}  // namespace duban::formats::testing
