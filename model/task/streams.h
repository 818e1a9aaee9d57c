// Stream ids: which stream of the event store an event belongs to. A task's events go to
// "task/<task id>", a document's DocumentRegistered events to "document/<document id>"; the
// prefixes keep the two kinds apart whatever characters the ids contain.
#pragma once

#include <string>

#include "model/ids.h"

namespace duban::task {

inline std::string task_stream_id(const TaskId& id) {
  return "task/" + id.str();
}
inline std::string document_stream_id(const DocumentId& id) {
  return "document/" + id.str();
}

// The id of the child task `parent` hands down to `unit` (ChildTaskCreated): "<parent>~<unit>".
// '~' is unreserved in URLs, so the id needs no escaping in a path.
inline TaskId child_task_id(const TaskId& parent, const UnitId& unit) {
  return TaskId(parent.str() + "~" + unit.str());
}

// A document's draft under review (DraftRecorded, DraftCorrected, DraftPublished).
inline std::string draft_stream_id(const DocumentId& id) {
  return "draft/" + id.str();
}
// The one stream of UnitNameMapped events.
inline constexpr const char* kUnitNamesStream = "unit-names";
// The one stream of UnitDirectoryRecorded events.
inline constexpr const char* kUnitDirectoryStream = "unit-directory";

}  // namespace duban::task
