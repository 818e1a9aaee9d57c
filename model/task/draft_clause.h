// DraftClause: the reading of one clause of a document under review (拟办), as the draft events
// (DraftRecorded, DraftCorrected in events.h) carry it: what the parser read, or what the
// supervisor corrected it to. model/draft/ decides and applies the corrections;
// service/drafts.h turns the reading into tasks when the draft is published (交办).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "model/task/mode.h"

namespace duban::task {

// One unit named by a clause.
struct DraftUnit {
  std::string mention;  // the unit as written in the document (or as the supervisor typed it)
  UnitId unit;          // directory id; "unknown:<mention>" when no directory unit claims it
  Role role = Role::kLead;
  bool operator==(const DraftUnit&) const = default;
};

struct DraftClause {
  std::string key;      // "c7": names the clause within its draft; never reused there
  std::string part;     // document body or attachment title holding the clause
  std::string label;    // numbering as printed: "11.(2)", "(四)", "三、"
  std::string heading;  // text up to the first 。
  std::string text;     // the whole clause
  Mode mode = Mode::kLead;
  std::vector<DraftUnit> units;         // leads and participants, in the order read
  std::optional<std::string> deadline;  // ISO date the whole task is due; nullopt: none
  std::string deadline_text;            // the deadline as written (2017年底); empty when none
  int line = 0;                         // 1-based first source line
  int end_line = 0;                     // last source line, inclusive
  // How sure the machine's reading is, 0..1, and why it is less than 1 (from the parser:
  // gazette::Clause::confidence and why). A clause the supervisor corrected keeps them.
  double confidence = 1.0;
  std::vector<std::string> why;
  bool operator==(const DraftClause&) const = default;
};

// What a DraftCorrected event changed. Enumerants are only appended (they are stored).
enum class Correction {
  kUnits,     // the clause's units and their roles
  kMode,      // how the leads share completion
  kLabel,     // numbering and/or heading
  kDeadline,  // the deadline set, changed or cleared
  kSplit,     // one clause became two
  kMerge,     // two clauses became one
  kDrop,      // the clause is not a task (with a reason)
  kAdd,       // a clause the parser missed, with its source lines
  kUnitName,  // a unit name mapped to a directory unit (UnitNameMapped) changed the clause
};

// "units" | "mode" | "label" | "deadline" | "split" | "merge" | "drop" | "add" | "unit_name".
std::string_view to_string(Correction kind);
std::optional<Correction> parse_correction(std::string_view name);

}  // namespace duban::task
