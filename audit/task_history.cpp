#include "audit/task_history.h"

#include "model/task/apply.h"
#include "model/task/streams.h"
#include "service/views/person_names.h"
#include "storage/event_codec.h"

namespace duban::audit {

Result<TaskHistory> task_history(storage::EventStore& store, const TaskId& id,
                                 const UnitNamer& name) {
  auto events = store.read_stream(task::task_stream_id(id));
  if (!events) return events.error();
  if (events->empty()) {
    return make_error("not_found", "the log has no task '" + id.str() + "'");
  }
  TaskHistory history;
  service::views::PersonNames people(store);
  for (const storage::RecordedEvent& r : *events) {
    auto event = storage::decode_event(r);
    if (!event) return event.error();
    HistoryEntry entry{r.position,
                       r.version,
                       r.recorded_at,
                       r.actor,
                       r.command_id,
                       r.type,
                       describe_event(*event, name),
                       history.state.status,
                       {},
                       *event,
                       task::person_of(r.actor),
                       people.name_of(r.actor)};
    history.state = task::apply(std::move(history.state), *event);
    entry.status_after = history.state.status;
    history.entries.push_back(std::move(entry));
  }
  auto doc_events = store.read_stream(task::document_stream_id(history.state.provenance.document));
  if (!doc_events) return doc_events.error();
  for (const storage::RecordedEvent& r : *doc_events) {
    auto event = storage::decode_event(r);
    if (!event) return event.error();
    history.document = task::apply(std::move(history.document), *event);
  }
  return history;
}

std::string actor_label(const HistoryEntry& e) {
  if (e.person_name.empty()) return e.actor;
  return e.person_name + " (" + e.actor + ")";
}

}  // namespace duban::audit
