#include "service/projections/task_table.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "model/task/apply.h"
#include "model/task/streams.h"
#include "storage/store_errc.h"

namespace duban::service::projections {
namespace {

constexpr std::string_view kTaskPrefix = "task/";
constexpr std::string_view kDocumentPrefix = "document/";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() > prefix.size() && s.substr(0, prefix.size()) == prefix;
}

Error out_of_step(GlobalPosition position, std::string_view stream, StreamVersion version,
                  StreamVersion expected) {
  return storage::store_error(storage::StoreErrc::corrupt,
                              "event " + std::to_string(position.value()) + " is version " +
                                  std::to_string(version.value()) + " of stream '" +
                                  std::string(stream) + "', but the projection expected version " +
                                  std::to_string(expected.value()) +
                                  ": the log skips or repeats events");
}

const std::vector<TaskId> kNoTasks;

}  // namespace

Result<const task::TaskState*> TaskTable::apply_task_event(GlobalPosition position,
                                                           std::string_view stream,
                                                           StreamVersion version,
                                                           const task::Event& event,
                                                           Before& before) {
  if (!starts_with(stream, kTaskPrefix) || task::is_document_event(event)) {
    return storage::store_error(storage::StoreErrc::corrupt,
                                "event " + std::to_string(position.value()) + " (" +
                                    std::string(task::event_type_name(event)) + ") is on stream '" +
                                    std::string(stream) + "', which is not a task stream");
  }
  const std::string_view stream_task = stream.substr(kTaskPrefix.size());
  // A command's events are appended together, so the task of the previous event is often this
  // one's: checking it first spares the hash lookup and its cache misses.
  std::pair<const TaskId, task::TaskState>* entry = last_.entry;
  if (entry == nullptr || entry->first.str() != stream_task) {
    auto it = tasks_.find(stream_task);
    entry = it == tasks_.end() ? nullptr : &*it;
  }
  const StreamVersion expected = entry ? entry->second.version.next() : StreamVersion(1);
  if (version != expected) return out_of_step(position, stream, version, expected);
  if (entry == nullptr) {
    entry = &*tasks_.emplace(TaskId(std::string(stream_task)), task::TaskState{}).first;
  }
  last_.entry = entry;  // the map's nodes stay put when it rehashes, so the pointer stays valid
  const TaskId& id = entry->first;
  task::TaskState& state = entry->second;

  before.existed = state.exists();
  before.status = state.status;
  before.extension_unit.reset();
  before.document.reset();
  before.unit_already_in_role = false;
  if (std::holds_alternative<task::ExtensionApproved>(event) && state.extension) {
    before.extension_unit = state.extension->unit;
  }
  if (std::holds_alternative<task::TaskRevised>(event)) before.document = state.provenance.document;
  if (const auto* a = std::get_if<task::UnitAssigned>(&event)) {
    before.unit_already_in_role =
        a->role == task::Role::kLead ? state.is_lead(a->unit) : state.is_assigned(a->unit);
  }

  task::apply_in_place(state, event);

  // A child task (分解/转办) keeps its parent's clause but is no task of the document's: ingest,
  // drafts and bulk deadlines (tasks_of_document) leave it alone.
  if (!before.existed && state.exists() && state.parent.empty()) {
    tasks_by_document_[state.provenance.document].push_back(id);
  } else if (before.document && *before.document != state.provenance.document) {
    auto& old_list = tasks_by_document_[*before.document];
    old_list.erase(std::remove(old_list.begin(), old_list.end(), id), old_list.end());
    if (old_list.empty()) tasks_by_document_.erase(*before.document);
    tasks_by_document_[state.provenance.document].push_back(id);
  }
  checkpoint_ = position;
  return &state;
}

Result<const task::DocumentState*> TaskTable::apply_document_event(GlobalPosition position,
                                                                   std::string_view stream,
                                                                   StreamVersion version,
                                                                   const task::Event& event) {
  if (!starts_with(stream, kDocumentPrefix) || !task::is_document_event(event)) {
    return storage::store_error(storage::StoreErrc::corrupt,
                                "event " + std::to_string(position.value()) + " (" +
                                    std::string(task::event_type_name(event)) + ") is on stream '" +
                                    std::string(stream) + "', which is not a document stream");
  }
  const std::string_view id = stream.substr(kDocumentPrefix.size());
  auto it = documents_.find(id);
  const StreamVersion expected =
      it == documents_.end() ? StreamVersion(1) : it->second.version.next();
  if (version != expected) return out_of_step(position, stream, version, expected);
  if (it == documents_.end()) {
    it = documents_.emplace(DocumentId(std::string(id)), task::DocumentState{}).first;
  }
  task::DocumentState& state = it->second;
  task::apply_in_place(state, event);
  checkpoint_ = position;
  return &state;
}

const task::TaskState* TaskTable::task(const TaskId& id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : &it->second;
}

const task::DocumentState* TaskTable::document(const DocumentId& id) const {
  auto it = documents_.find(id);
  return it == documents_.end() ? nullptr : &it->second;
}

const std::vector<TaskId>& TaskTable::tasks_of(const DocumentId& id) const {
  auto it = tasks_by_document_.find(id);
  return it == tasks_by_document_.end() ? kNoTasks : it->second;
}

}  // namespace duban::service::projections
