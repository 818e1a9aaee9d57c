#include "formats/input_document.h"

#include <cctype>
#include <cstring>

#include "formats/docx.h"
#include "formats/pdf.h"
#include "model/gazette/text.h"

namespace duban::formats {
namespace {

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = static_cast<char>(
        std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])));
    if (c != suffix[i]) return false;
  }
  return true;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// OLE2 compound files: Word 97-2003 (.doc) and WPS (.wps).
constexpr std::string_view kOle2Magic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);

}  // namespace

std::optional<Kind> kind_named(std::string_view name) {
  if (name == "markdown") return Kind::kMarkdown;
  if (name == "text") return Kind::kText;
  if (name == "html") return Kind::kHtml;
  if (name == "docx") return Kind::kDocx;
  if (name == "pdf") return Kind::kPdf;
  return std::nullopt;
}

std::string_view name_of(Kind kind) {
  switch (kind) {
    case Kind::kMarkdown:
      return "markdown";
    case Kind::kText:
      return "text";
    case Kind::kHtml:
      return "html";
    case Kind::kDocx:
      return "docx";
    case Kind::kPdf:
      return "pdf";
  }
  return "markdown";
}

Kind detect_kind(std::string_view file_name, std::string_view content) {
  if (ends_with_ci(file_name, ".docx") || ends_with_ci(file_name, ".docm")) return Kind::kDocx;
  if (ends_with_ci(file_name, ".pdf")) return Kind::kPdf;
  const bool named_as_text = ends_with_ci(file_name, ".md") ||
                             ends_with_ci(file_name, ".markdown") ||
                             ends_with_ci(file_name, ".txt") || ends_with_ci(file_name, ".html") ||
                             ends_with_ci(file_name, ".htm") || ends_with_ci(file_name, ".xhtml");
  if (!named_as_text) {
    // The local header of a zip's first entry is at offset 0; Word writes [Content_Types].xml
    // first, so word/document.xml is found by its name among the first entries' headers.
    if (starts_with(content, "PK\x03\x04") &&
        content.substr(0, 1 << 20).find("word/") != std::string_view::npos)
      return Kind::kDocx;
    // The PDF header may follow up to 1024 bytes of junk (PDF 32000-1, 7.5.2, as readers allow).
    if (content.substr(0, 1024).find("%PDF-") != std::string_view::npos) return Kind::kPdf;
  }
  switch (gazette::guess_format(file_name, content)) {
    case gazette::Format::kHtml:
      return Kind::kHtml;
    case gazette::Format::kText:
      return Kind::kText;
    case gazette::Format::kMarkdown:
      break;
  }
  return Kind::kMarkdown;
}

namespace {

// A converter's Markdown, refused when it is not UTF-8: pugixml passes the bytes of a part that
// says it is UTF-8 through unchecked, so a damaged part (found by tests/fuzz/fuzz_convert.cpp)
// gave text the parser then refused as if the file were in another encoding (GB18030).
Result<ParserInput> converted(Result<std::string> markdown, const char* code, const char* what) {
  if (!markdown) return markdown.error();
  if (const auto bad = gazette::text::find_invalid_utf8(*markdown)) {
    return make_error(code, std::string("the ") + what +
                                " file is damaged: its text holds bytes that are not UTF-8 (at "
                                "byte " +
                                std::to_string(*bad) +
                                " of the converted text); open it and save it again");
  }
  return ParserInput{gazette::Format::kMarkdown, std::move(*markdown)};
}

}  // namespace

Result<ParserInput> prepare(std::string_view bytes, Kind kind, const ProgressFn& progress) {
  if (starts_with(bytes, kOle2Magic)) {
    return make_error("unsupported_format",
                      "this is a Word 97-2003 (.doc) or WPS file, which duban does not read; "
                      "save it as .docx (or PDF) and give that");
  }
  switch (kind) {
    case Kind::kMarkdown:
      return ParserInput{gazette::Format::kMarkdown, std::nullopt};
    case Kind::kText:
      return ParserInput{gazette::Format::kText, std::nullopt};
    case Kind::kHtml:
      return ParserInput{gazette::Format::kHtml, std::nullopt};
    case Kind::kDocx:
      return converted(docx_to_markdown(bytes, progress), "damaged_docx", ".docx");
    case Kind::kPdf:
      return converted(pdf_to_markdown(bytes, progress), "damaged_pdf", "PDF");
  }
  return ParserInput{};
}

}  // namespace duban::formats
