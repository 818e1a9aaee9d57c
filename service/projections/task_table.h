// TaskTable: the current state of every task and document, folded from the log with the domain's
// own task::apply — the projection TaskService decides against and the one every other
// projection is derived from.
//
// A plain value: not thread-safe by itself (ReadModel guards it). Comparable, so a full rebuild
// can be checked against the incrementally maintained table.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/ids.h"
#include "model/result.h"
#include "model/task/document_state.h"
#include "model/task/events.h"
#include "model/task/task_state.h"
#include "service/projections/change.h"

namespace duban::service::projections {

class TaskTable {
 public:
  // Folds a task event recorded at (position, stream, version) into its task and fills `before`.
  // Returns the task's new state (valid until the next apply). Errors, code corrupt: a stream
  // that is not "task/<id>", or a stream version that does not follow the task's (the log and
  // the table disagree: a bug or a damaged log).
  Result<const task::TaskState*> apply_task_event(GlobalPosition position, std::string_view stream,
                                                  StreamVersion version, const task::Event& event,
                                                  Before& before);

  // The same for a document event (DocumentRegistered, stream "document/<id>").
  Result<const task::DocumentState*> apply_document_event(GlobalPosition position,
                                                          std::string_view stream,
                                                          StreamVersion version,
                                                          const task::Event& event);

  // nullptr when the log has no such task / document.
  const task::TaskState* task(const TaskId& id) const;
  const task::DocumentState* document(const DocumentId& id) const;
  // The document's task ids in creation order (empty when none).
  const std::vector<TaskId>& tasks_of(const DocumentId& id) const;

  const std::unordered_map<TaskId, task::TaskState>& tasks() const { return tasks_; }
  const std::unordered_map<DocumentId, task::DocumentState>& documents() const {
    return documents_;
  }
  // Every document's task ids in creation order (what tasks_of() answers from).
  const std::unordered_map<DocumentId, std::vector<TaskId>>& tasks_by_document() const {
    return tasks_by_document_;
  }

  // A table with exactly these contents, as a snapshot stored them (storage/snapshot_codec.cpp).
  // The caller vouches that they were folded from the log up to `checkpoint`.
  static TaskTable restore(std::unordered_map<TaskId, task::TaskState> tasks,
                           std::unordered_map<DocumentId, task::DocumentState> documents,
                           std::unordered_map<DocumentId, std::vector<TaskId>> tasks_by_document,
                           GlobalPosition checkpoint) {
    TaskTable t;
    t.tasks_ = std::move(tasks);
    t.documents_ = std::move(documents);
    t.tasks_by_document_ = std::move(tasks_by_document);
    t.checkpoint_ = checkpoint;
    return t;
  }

  GlobalPosition checkpoint() const { return checkpoint_; }
  // An event no task or document holds (a draft's or an account's): only the checkpoint moves.
  void skip(GlobalPosition position) { checkpoint_ = position; }

  bool operator==(const TaskTable&) const = default;

 private:
  // The task the last apply_task_event() touched. Not part of the table's value: a copy starts
  // without it (its pointer is into this table's map) and comparisons ignore it.
  struct LastTask {
    LastTask() = default;
    LastTask(const LastTask&) {}
    LastTask& operator=(const LastTask&) {
      entry = nullptr;
      return *this;
    }
    bool operator==(const LastTask&) const { return true; }
    std::pair<const TaskId, task::TaskState>* entry = nullptr;
  };

  std::unordered_map<TaskId, task::TaskState> tasks_;
  std::unordered_map<DocumentId, task::DocumentState> documents_;
  std::unordered_map<DocumentId, std::vector<TaskId>> tasks_by_document_;
  GlobalPosition checkpoint_;  // last applied global position
  LastTask last_;
};

}  // namespace duban::service::projections
