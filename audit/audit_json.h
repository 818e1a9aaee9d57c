// The JSON documents `duban audit history|asof|diff --format json` print (docs/audit.md shows
// them). Tasks and inbox rows are rendered by service/views/json_views.h, like everywhere else;
// this file adds what only the audit shows: the point of the log an answer stands for, a task's
// timeline, and the changes between two points. Instants are ISO 8601 UTC in whole seconds.
//
// Thread-safety: reentrant.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "audit/point_in_time.h"
#include "audit/state_diff.h"
#include "audit/task_history.h"
#include "model/ids.h"
#include "service/projections/views.h"

namespace duban::audit {

// The point an answer stands for: position, recorded_at (null at position 0), hash (hex), as_of,
// snapshot (the file name the rebuild started from, or null).
boost::json::object point_json(const PointInTime& at);

// `duban audit history`: the task (views::kTaskSummaryFields), its document and clause, and
// every event of its stream with the status before and after it.
boost::json::object history_json(const TaskHistory& history);

// `duban audit asof`: point_json() plus every task at that point (views::kTaskRowFields, lights
// at `as_of`), in document order (tasks_in_document_order()).
boost::json::object asof_tasks_json(const PointInTime& at, const service::projections::AsOf& as_of);

// `duban audit asof --unit U`: point_json() plus the unit and its inbox rows.
boost::json::object asof_inbox_json(const PointInTime& at, const UnitId& unit,
                                    const std::vector<service::projections::InboxItem>& inbox);

// `duban audit diff`: both points, changes per kind, events per type in between (count_events()),
// the documents registered or revised, and the task rows.
boost::json::object diff_json(const PointInTime& from, const PointInTime& to, const StateDiff& diff,
                              const std::map<std::string, std::int64_t>& events);

}  // namespace duban::audit
