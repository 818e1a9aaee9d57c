// Where a task comes from: the clause of a registered document that asked for it. Carried by
// TaskCreated and TaskRevised and kept in TaskState, so every task can be traced to its text.
#pragma once

#include <string>

#include "model/ids.h"

namespace duban::task {

struct Provenance {
  DocumentId document;       // gazette::Document::id (issuing number, or the title)
  int document_version = 0;  // DocumentRegistered::version of the text this was read from
  std::string part;          // document body or attachment title holding the clause
  std::string label;         // clause numbering as printed: "11.(2)", "(四)", "三、"
  std::string heading;       // clause text up to the first 。
  std::string text;          // the whole clause
  int line = 0;              // 1-based first source line of the clause
  int end_line = 0;          // last source line, inclusive

  bool operator==(const Provenance&) const = default;
};

}  // namespace duban::task
