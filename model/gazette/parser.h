// The gazette parser: from the bytes of a gazette to its documents and task clauses.
//
// A task clause is a numbered item (一、 / (一) / 1. / (1)) that ends with a responsibility
// parenthetical naming its units. Items that only head their sub-items are not clauses; a
// parenthetical after a sub-item belongs to that sub-item. See docs/extraction.md.
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

// Fails only when the input cannot be read as text (see read_lines); a readable input with no
// clauses is a successful, empty result.
Result<ParseResult> parse_gazette(std::string_view bytes, Format format,
                                  const UnitDirectory& units);

}  // namespace duban::gazette
