// A table as Markdown pipe rows, the form every input format hands the gazette parser: one table
// row per line, `| a | b |`. Internal to formats/ (docx.cpp); model/gazette/document_reader.cpp
// writes HTML tables the same way.
#pragma once

#include <string>
#include <vector>

namespace duban::formats::detail {

// One grid position of a table row: the cell's text, or empty where a merged cell continues.
using PipeRow = std::vector<std::string>;

// "| a | b |": line breaks and runs of blanks inside a cell become one space, `|` becomes `\|`,
// and the cell is trimmed.
std::string pipe_row(const PipeRow& cells);

}  // namespace duban::formats::detail
