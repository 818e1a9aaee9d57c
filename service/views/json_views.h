// The one JSON rendering of a task, a unit's inbox row and a document's progress row, for every
// caller that shows them: the HTTP API (server/api/json_render.h re-exports these), `duban tasks
// --format jsonl`, `duban audit history|asof --format json` (audit/audit_json.h) and `duban report
// --format json` (report/render_json.cpp). Each field is defined once, here; a caller picks which
// fields it shows and in which order (a TaskFields list), so the public outputs that always
// differed keep their shapes while no field is spelled twice. docs/api.md shows the shapes.
//
// Conventions: field names follow docs/events.md; unit ids, never names; dates stay ISO dates;
// absent optionals are JSON null; instants are ISO 8601 UTC, with milliseconds in the HTTP API
// (iso_utc_millis) and whole seconds in the CLI and report outputs (iso_utc_seconds).
//
// Thread-safety: reentrant.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/ids.h"
#include "model/task/deadline.h"
#include "model/task/provenance.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "service/projections/views.h"

namespace duban::service::views {

// "2016-01-02T08:00:00.000Z" (the HTTP API and the WebSocket push).
std::string iso_utc_millis(Timestamp t);
// "2016-01-02T08:00:00Z", the sub-second part dropped (the CLI, the audit and the report).
std::string iso_utc_seconds(Timestamp t);

// The value, or null.
boost::json::value optional_json(const std::optional<std::string>& v);
boost::json::value optional_json(const std::optional<int>& v);
boost::json::value optional_json(const std::optional<UnitId>& v);

// ["grain", "finance"]: unit ids in the order given.
boost::json::array unit_ids_json(const std::vector<UnitId>& ids);

// Where a task comes from: document, document_version, part, label, heading, text, line,
// end_line.
boost::json::object provenance_json(const task::Provenance& p);

// One field of a task. Each is rendered the same way for every caller:
enum class TaskField {
  kTask,              // "task": the task id
  kDocument,          // "document": the document id of its clause
  kLabel,             // "label": the clause numbering as printed
  kHeading,           // "heading": the clause text up to the first 。
  kVersion,           // "version": the stream version the state stands at
  kStatus,            // "status": task::to_string(Status)
  kLight,             // "light": the light passed in (computed by the caller at its AsOf)
  kMode,              // "mode": task::to_string(Mode)
  kLeads,             // "leads": unit ids
  kParticipants,      // "participants": unit ids
  kAcknowledged,      // "acknowledged": unit ids that signed for it
  kParts,             // "parts": [{lead, status, reported_by, summary}]
  kDeadline,          // "deadline": ISO date or null
  kOriginalDeadline,  // "original_deadline": the first deadline it ever had, or null
  kPendingExtension,  // "pending_extension": {unit, requested_deadline, reason} or null
  kUrges,             // "urges", "returns", "extensions": counts
  kReturns,
  kExtensions,
  kCreatedAt,  // "created_at", "closed_at", "cancelled_at": instants (iso_utc_millis) or null
  kClosedAt,
  kCancelledAt,
  kSource,            // "source": provenance_json()
  kEvidenceRequired,  // "evidence_required": completions must carry an attachment
};
using TaskFields = std::span<const TaskField>;

// The whole current state: GET /api/v1/tasks/{id} (docs/api.md).
inline constexpr TaskField kTaskStateFields[] = {TaskField::kTask,
                                                 TaskField::kVersion,
                                                 TaskField::kStatus,
                                                 TaskField::kLight,
                                                 TaskField::kMode,
                                                 TaskField::kLeads,
                                                 TaskField::kParticipants,
                                                 TaskField::kAcknowledged,
                                                 TaskField::kParts,
                                                 TaskField::kDeadline,
                                                 TaskField::kOriginalDeadline,
                                                 TaskField::kPendingExtension,
                                                 TaskField::kUrges,
                                                 TaskField::kReturns,
                                                 TaskField::kExtensions,
                                                 TaskField::kCreatedAt,
                                                 TaskField::kClosedAt,
                                                 TaskField::kCancelledAt,
                                                 TaskField::kSource,
                                                 TaskField::kEvidenceRequired};

// One row of a list of tasks with their clause: `duban audit asof --format json`.
inline constexpr TaskField kTaskRowFields[] = {
    TaskField::kTask,         TaskField::kDocument, TaskField::kLabel,   TaskField::kStatus,
    TaskField::kLight,        TaskField::kMode,     TaskField::kLeads,   TaskField::kParticipants,
    TaskField::kAcknowledged, TaskField::kDeadline, TaskField::kVersion, TaskField::kHeading};

// Who does what by when, without the clause: the head of `duban audit history --format json`.
inline constexpr TaskField kTaskSummaryFields[] = {TaskField::kTask,         TaskField::kStatus,
                                                   TaskField::kMode,         TaskField::kLeads,
                                                   TaskField::kParticipants, TaskField::kDeadline};

// `fields` of `state`, in that order. `light` is rendered only for TaskField::kLight.
boost::json::object task_json(const task::TaskState& state, task::Light light, TaskFields fields);

// task_json() with kTaskStateFields.
boost::json::object task_state_json(const task::TaskState& state, task::Light light);

// A child task's entry in its parent's JSON ("children", docs/api.md): {task, unit, deadline,
// delegated_by, group} from the parent's state, and the child's own status, light and parts
// from `child` (its current state; nullopt while its stream is missing: status null).
boost::json::object child_json(const task::ChildTask& entry,
                               const std::optional<task::TaskState>& child, task::Light light);

// "contributions": [{unit, text, at}] in order.
boost::json::array contributions_json(const std::vector<task::Contribution>& contributions);

// One task in a unit's inbox: task, role, status, light, deadline, acknowledged, document, label,
// heading (GET /api/v1/units/{id}/inbox, `duban audit asof --unit`).
boost::json::object inbox_item_json(const projections::InboxItem& item);
// The same with "unit" after "task", for rows that travel alone (`duban tasks --unit U
// --format jsonl` prints one row a line).
boost::json::object inbox_item_json(const projections::InboxItem& item, const UnitId& unit);

// Tasks per status / per light, every status and light named, zeros included, in enum order.
boost::json::object status_counts_json(const projections::StatusCounts& counts);
boost::json::object light_counts_json(const projections::LightCounts& counts);

// One document's tasks counted: document, number, title, version, tasks, by_status, by_light
// (GET /api/v1/documents, `duban tasks --format jsonl`, the documents of `duban report`).
boost::json::object document_row_json(const projections::DocumentProgressRow& row);

}  // namespace duban::service::views
