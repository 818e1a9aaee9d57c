// Paragraphs of a gazette, rebuilt from OCR'd lines. The OCR splits paragraphs at page breaks —
// inside a unit name (省食品药品监 | 管局), a role word (牵 | 头负责) or a bracket — and sometimes
// turns the continuation into a stray '#' heading. Blocks undo that: a paragraph that stops
// mid-sentence, or with a bracket still open, continues in the next one unless that one plainly
// starts something new (an item number, a title, a date, a document number).
#pragma once

#include <string>
#include <vector>

#include "model/gazette/document_reader.h"

namespace duban::gazette {

struct Block {
  int line = 0;           // first source line
  int end_line = 0;       // last source line
  int heading_level = 0;  // of the first line; 0 for body text
  std::u32string text;    // emphasis removed, trimmed, page breaks joined
  int balance = 0;        // bracket_balance(text), kept as text grows so joining stays linear
  // The cells of a table row (a pipe row, or a tab-separated row of a task-division table);
  // empty for text. A row is a block of its own: it never joins its neighbours.
  std::vector<std::u32string> cells;
};

// Takes the lines by value: their text moves into the blocks (callers that keep their lines pass
// a copy).
std::vector<Block> build_blocks(std::vector<SourceLine> lines);

// Shapes of lines that structure a document rather than continue a sentence.
bool is_document_number(std::u32string_view text);  // 青政办〔2015〕151号
bool is_date_line(std::u32string_view text);        // 2015年8月20日
bool is_issuer_line(std::u32string_view text);      // 青海省人民政府办公厅

// Open brackets minus closed ones (( and （ alike).
int bracket_balance(std::u32string_view text);

}  // namespace duban::gazette
