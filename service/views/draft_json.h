// The one JSON rendering of a draft clause (task::DraftClause), for the HTTP API, the event
// rendering of draft events and `duban drafts show --format json`; and of a drafts list row.
// docs/api.md shows the shape.
//
// Thread-safety: reentrant.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <vector>

#include "model/task/draft_clause.h"
#include "service/drafts.h"

namespace duban::service::views {

// {"key", "part", "label", "heading", "text", "mode", "units": [{"mention", "unit", "role"}],
//  "deadline" (ISO date or null), "deadline_text", "line", "end_line", "confidence", "why"}
boost::json::object draft_clause_json(const task::DraftClause& clause);
boost::json::array draft_clauses_json(const std::vector<task::DraftClause>& clauses);

// One row of the drafts list, for GET /api/v1/drafts and `duban drafts --format json`:
// {"document", "title", "version", "clauses", "doubtful", "corrections", "published", "tasks",
//  "evidence_required"}
boost::json::object draft_summary_json(const DraftSummary& summary);

}  // namespace duban::service::views
