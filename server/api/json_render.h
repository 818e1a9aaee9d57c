// JSON renderings of domain values and read-model rows, shared by the HTTP API and the WebSocket
// push (docs/api.md and docs/protocol.md show every shape). Field names follow docs/events.md.
// A task, an inbox row and a document row are rendered by service/views/json_views.h, the one
// renderer the CLI, the audit and the report use too; this header re-exports those functions.
//
// Times are rendered as ISO 8601 UTC with milliseconds ("2016-01-02T08:00:00.000Z"); dates stay
// ISO dates; absent optionals are JSON null.
//
// Thread-safety: reentrant.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "model/gazette/units.h"
#include "model/task/events.h"
#include "model/task/task_state.h"
#include "model/time.h"
#include "service/projections/views.h"
#include "service/views/json_views.h"
#include "storage/event_store.h"

namespace duban::server {

// "2016-01-02T08:00:00.000Z".
inline std::string iso_utc(Timestamp t) {
  return service::views::iso_utc_millis(t);
}

using service::views::document_row_json;
using service::views::inbox_item_json;
using service::views::provenance_json;
using service::views::task_state_json;

// The event's own fields (docs/events.md), without the envelope.
boost::json::object event_data_json(const task::Event& event);

// An event with its envelope: position, stream, version, type, schema_version, recorded_at,
// actor, command_id, task/document (from the stream id) and data. `event` is recorded's decoded
// payload. The hash is not included (audits read the store).
boost::json::object recorded_event_json(const storage::RecordedEvent& recorded,
                                        const task::Event& event);

boost::json::object overdue_item_json(const service::projections::OverdueItem& item);
boost::json::object scorecard_json(const service::projections::ScorecardRow& row);
boost::json::object unit_json(const gazette::Unit& unit);

// "task/<id>" -> "<id>", "document/<id>" -> "<id>"; the kind is "task", "document" or "".
struct StreamName {
  std::string_view kind;
  std::string_view id;
};
StreamName split_stream(std::string_view stream);

}  // namespace duban::server
