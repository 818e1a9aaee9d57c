// DocumentProgress: for every document, how many of its tasks are in each status. Lights are
// time-dependent and are counted at query time (ReadModel::document_progress()).
//
// A task counts under the document of its provenance; a status change moves it from one count to
// another. A plain value: not thread-safe by itself (ReadModel guards it). Comparable.
#pragma once

#include <array>
#include <unordered_map>
#include <utility>

#include "model/ids.h"
#include "model/task/task_state.h"
#include "service/projections/change.h"

namespace duban::service::projections {

// Index by static_cast<std::size_t>(task::Status).
inline constexpr std::size_t kStatusCount = 5;
using StatusCounts = std::array<int, kStatusCount>;

class DocumentProgress {
 public:
  void apply(const TaskChange& change);
  void skip(GlobalPosition position) { checkpoint_ = position; }

  // Zeros when the document has no task.
  const StatusCounts& of(const DocumentId& document) const;
  const std::unordered_map<DocumentId, StatusCounts>& documents() const { return documents_; }

  // A projection with exactly these contents, as a snapshot stored them.
  static DocumentProgress restore(std::unordered_map<DocumentId, StatusCounts> documents,
                                  GlobalPosition checkpoint) {
    DocumentProgress p;
    p.documents_ = std::move(documents);
    p.checkpoint_ = checkpoint;
    return p;
  }

  GlobalPosition checkpoint() const { return checkpoint_; }
  bool operator==(const DocumentProgress&) const = default;

 private:
  std::unordered_map<DocumentId, StatusCounts> documents_;
  GlobalPosition checkpoint_;
};

}  // namespace duban::service::projections
