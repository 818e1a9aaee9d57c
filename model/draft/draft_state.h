// DraftState: a document's reading under review (拟办), folded from its draft stream
// ("draft/<document>") by draft::apply(); UnitNames: the names the supervisor mapped to
// directory units, folded from the "unit-names" stream. Plain values.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/task/draft_clause.h"
#include "model/task/events.h"

namespace duban::draft {

struct DraftState {
  DocumentId document;  // empty until DraftRecorded
  std::string number;
  std::string title;
  std::string issuer;
  std::string signed_date;
  std::vector<std::string> parts;
  int document_version = 0;  // the version publishing registers
  std::string content_hash;
  std::vector<task::DraftClause> clauses;  // the current reading, in document order
  // The machine's reading as DraftRecorded holds it, untouched by corrections: publishing makes
  // it the tasks' as_read (the baseline of the next revision) where a person corrected a clause.
  std::vector<task::DraftClause> read;
  // The clause of `read` with `key`, or nullptr (an added clause, the second half of a split).
  const task::DraftClause* read_clause(const std::string& key) const;
  std::set<std::string> corrected;  // keys of clauses a person changed or added
  int corrections = 0;              // DraftCorrected events since DraftRecorded
  int next_key = 1;                 // the next new clause is "c<next_key>"
  bool published = false;           // DraftPublished since the last DraftRecorded
  std::vector<TaskId> tasks;        // what publishing created
  // Completions of the document's tasks must carry evidence (DraftEvidenceRequirementSet). A
  // per-document setting: a new text (DraftRecorded) keeps it.
  bool evidence_required = false;
  StreamVersion version;  // events applied; equals the stream version

  bool exists() const { return version.value() > 0; }
  // The clause with `key`, or nullptr.
  const task::DraftClause* clause(const std::string& key) const;
  bool operator==(const DraftState&) const = default;
};

// A clause is doubtful, and `duban drafts show` lists it first, when the machine was not sure
// of it (confidence below this) and no person has corrected it yet.
inline constexpr double kDoubtfulBelow = 0.8;
bool is_doubtful(const DraftState& draft, const task::DraftClause& clause);

struct UnitNames {
  std::map<std::string, UnitId> by_name;  // gazette::unit_key(name) -> unit
  StreamVersion version;
  // The unit `mention` was mapped to, or nullptr.
  const UnitId* find(const std::string& mention) const;
  bool operator==(const UnitNames&) const = default;
};

// Fold one event of the stream; total, never refuses. Another stream's event throws
// std::logic_error (events routed to the wrong stream are a bug).
DraftState apply(DraftState state, const task::Event& event);
UnitNames apply(UnitNames state, const task::Event& event);

}  // namespace duban::draft
