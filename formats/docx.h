// A Word document (.docx, Office Open XML) as the Markdown the gazette parser reads.
//
// Body paragraphs come out in document order, one per line with a blank line after it; automatic
// numbering is rendered as its text ("（一）", "1. ", "一、") from word/numbering.xml; paragraphs
// in a heading style (Heading 1-6, or an outline level) become "#"-headings; tables become
// Markdown pipe rows, one table row per line, a horizontally merged cell (gridSpan) written once
// followed by empty cells, a vertically merged one (vMerge) empty in the rows it continues into.
// Text boxes, deleted revisions, field codes, headers, footers and notes are not read.
//
// Thread-safety: a pure function of its arguments.
#pragma once

#include <string>
#include <string_view>

#include "formats/progress.h"
#include "model/result.h"

namespace duban::formats {

// Errors: "damaged_docx" (not a complete zip archive, an unreadable part, malformed XML) and
// "not_docx" (a zip without word/document.xml), each with a message saying what to do.
// `progress` (may be empty) is called with paragraphs done of paragraphs total.
Result<std::string> docx_to_markdown(std::string_view bytes, const ProgressFn& progress = {});

}  // namespace duban::formats
