// Turns the bytes of a gazette file (Markdown as OCR'd, plain text, or HTML) into numbered lines
// of text, refusing input that is not a text document with a message a person can act on.
// Word and PDF files reach this reader as Markdown made by formats/ (formats/input_document.h).
//
// Tables arrive, in every format, as Markdown pipe rows, one table row per line:
// `| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |`. A cell a vertically merged cell continues
// into is empty, a cell spanning columns is followed by empty cells, line breaks inside a cell
// are blanks, and `|` inside a cell is `\|`. HTML <table>s are turned into such rows here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace duban::gazette {

enum class Format { kMarkdown, kText, kHtml };

// From the file name's extension (.md, .txt, .html/.htm); otherwise sniffed from the content.
Format guess_format(std::string_view file_name, std::string_view content);

// "markdown" | "text" | "html" (the --input-format option), or nullopt for anything else.
std::optional<Format> format_named(std::string_view name);

struct SourceLine {
  int number = 0;         // 1-based line number in the original input
  std::u32string text;    // the line, tags stripped and entities decoded for HTML
  int heading_level = 0;  // Markdown '#' count, or 1-6 for <h1>-<h6>
};

// Errors: "empty" (no bytes or only blanks), "binary" (NUL bytes), "not_utf8" (with line and
// byte offset). A UTF-8 byte-order mark and CR line ends are accepted.
Result<std::vector<SourceLine>> read_lines(std::string_view bytes, Format format);

}  // namespace duban::gazette
