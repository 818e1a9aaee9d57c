// A draft clause's timeline (`duban audit history --draft DOC CLAUSE`): the machine's reading
// of the clause, then every human change to it, each with its envelope (position, time, actor),
// the clause before and after, and the reason. Clauses it was split from or merged with are
// followed back, so the reading a split clause started from shows too.
//
// Thread-safety: reentrant.
#pragma once

#include <string>
#include <vector>

#include "audit/event_text.h"
#include "model/ids.h"
#include "model/result.h"
#include "model/task/events.h"
#include "model/time.h"
#include "storage/event_store.h"

namespace duban::audit {

struct DraftHistoryEntry {
  GlobalPosition position;
  Timestamp recorded_at{};
  std::string actor;   // "supervisor", "system", ... as stored
  std::string type;    // DraftRecorded, DraftCorrected or DraftPublished
  std::string kind;    // "reading" for DraftRecorded, the correction kind, or "publish"
  std::string before;  // the clause(s) before, in words (clause_text); empty for a reading
  std::string after;   // the clause(s) after; empty for a drop
  std::string reason;
  task::Event event;
};

struct DraftClauseHistory {
  DocumentId document;
  std::string clause;
  std::vector<DraftHistoryEntry> entries;  // in stream order
};

// Errors: not_found when the document has no draft or the draft never had the clause;
// bad_payload for an event that does not decode; the store's errors.
Result<DraftClauseHistory> draft_clause_history(storage::EventStore& store,
                                                const DocumentId& document,
                                                const std::string& clause, const UnitNamer& name);

}  // namespace duban::audit
