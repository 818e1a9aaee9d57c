// Every input format as the text the gazette parser reads: which kind a file is (from its name,
// else sniffed from its bytes) and, for .docx and .pdf, its conversion to Markdown. Text formats
// (Markdown, plain text, HTML) pass through untouched; model/gazette/document_reader.h reads them.
//
// Thread-safety: pure functions of their arguments (pdf.h notes poppler's process-wide hook).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "formats/progress.h"
#include "model/gazette/document_reader.h"
#include "model/result.h"

namespace duban::formats {

enum class Kind { kMarkdown, kText, kHtml, kDocx, kPdf };

// "markdown" | "text" | "html" | "docx" | "pdf" (the --input-format option), else nullopt.
std::optional<Kind> kind_named(std::string_view name);
std::string_view name_of(Kind kind);

// From the file name's extension (.docx, .pdf, .md, .txt, .html, …); else from the content: a
// zip holding word/document.xml is a .docx, "%PDF-" a PDF, anything else what
// gazette::guess_format() says.
Kind detect_kind(std::string_view file_name, std::string_view content);

// The text to hand the parser, and how to read it.
struct ParserInput {
  gazette::Format format = gazette::Format::kMarkdown;
  std::optional<std::string> converted;  // Markdown made from a .docx or .pdf; nullopt otherwise

  // The text itself: `converted`, or the original bytes for a text format. The view lives as
  // long as this object and `original`.
  std::string_view text(std::string_view original) const {
    return converted ? std::string_view(*converted) : original;
  }
};

// Errors: those of docx_to_markdown() and pdf_to_markdown(), and "unsupported_format" for a
// legacy Word (.doc/.wps) file, with what to do instead.
Result<ParserInput> prepare(std::string_view bytes, Kind kind, const ProgressFn& progress = {});

}  // namespace duban::formats
