// A PDF with a text layer as the Markdown the gazette parser reads (poppler's C++ API).
//
// Words come in poppler's reading order (columns and blocks before lines). The converter then
//  - drops page furniture: a line at the top or bottom of a page that repeats (digits aside) at
//    the same height on many pages, and a lone page number ("3", "- 3 -", "第3页", "3/20");
//  - drops rotated text (watermarks);
//  - undoes line wrapping: lines of one paragraph are joined, CJK text without a space, Latin
//    words with one; a paragraph ends at a larger gap than the body's line spacing, a first-line
//    indent, a line that stops well short of the right margin, or a change of font size;
//  - turns lines in a font larger than the body text into "#"-headings, the largest size first.
// Tables are not reconstructed: their cells come out as text lines.
//
// Thread-safety: poppler's error callback is process-wide; it is silenced on every call.
#pragma once

#include <string>
#include <string_view>

#include "formats/progress.h"
#include "model/result.h"

namespace duban::formats {

// Errors: "damaged_pdf" (poppler cannot open it), "encrypted_pdf" (a password is needed),
// "no_text_layer" (no text at all: a scan; the message says OCR is needed). `progress` (may be
// empty) is called with pages done of pages total.
Result<std::string> pdf_to_markdown(std::string_view bytes, const ProgressFn& progress = {});

}  // namespace duban::formats
