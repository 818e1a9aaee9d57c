// The gazette parser: from the bytes of a gazette to its documents and task clauses.
//
// A task clause is a numbered item (一、 / (一) / 1. / (1)) with a responsibility note naming its
// units: a parenthetical closing the item or one of its paragraphs or sentences (several notes,
// several clauses, labelled 11.¶2), a standing instruction (以下均由…负责，不再列出) for the items
// after it, or a row of a task-division table (| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限
// |). Items that only head their sub-items are not clauses; a parenthetical after a sub-item
// belongs to that sub-item. See docs/extraction.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/gazette/clause.h"
#include "model/gazette/document_reader.h"
#include "model/gazette/units.h"
#include "model/result.h"

namespace duban::gazette {

// Something the reader should know that did not stop the parse (a parenthetical opened but never
// closed, a responsibility statement that named no unit, …).
struct Warning {
  int line = 0;
  std::string message;
};

struct ParseResult {
  std::vector<Document> documents;
  std::vector<Clause> clauses;  // in document order
  std::vector<Warning> warnings;
};

struct ParseOptions {
  // Also read items without any note whose sentences make a unit the subject of a duty
  // (由X负责…, X要…, 请X…, X牵头…, X会同Y…) as clauses of kind implicit. Off by default: such
  // readings are guesses a person should confirm, and tasks are created from every clause.
  bool implicit_duties = false;
  // The year of deadlines written without one (6月底前, 年底前) in every document: `duban extract
  // --year`. 0 (the default): each document's own year, from its number (〔2026〕), else its
  // title (2026年…), else its date (a line that is only a date, such as its signature), else the
  // document its preamble cites; such deadlines are not read when none of these gives one.
  int year = 0;
};

// Fails only when the input cannot be read as text (see read_lines); a readable input with no
// clauses is a successful, empty result.
Result<ParseResult> parse_gazette(std::string_view bytes, Format format, const UnitDirectory& units,
                                  const ParseOptions& options = {});

}  // namespace duban::gazette
