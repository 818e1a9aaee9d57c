#include "service/projections/document_progress.h"

namespace duban::service::projections {
namespace {
const StatusCounts kZero{};
std::size_t index(task::Status s) {
  return static_cast<std::size_t>(s);
}
}  // namespace

void DocumentProgress::apply(const TaskChange& c) {
  checkpoint_ = c.position;
  const DocumentId& now_in = c.after.provenance.document;
  if (!c.before.existed) {
    if (c.after.exists()) ++documents_[now_in][index(c.after.status)];
    return;
  }
  const DocumentId& was_in = c.before.document ? *c.before.document : now_in;
  if (was_in == now_in && c.before.status == c.after.status) return;
  --documents_[was_in][index(c.before.status)];
  ++documents_[now_in][index(c.after.status)];
}

const StatusCounts& DocumentProgress::of(const DocumentId& document) const {
  auto it = documents_.find(document);
  return it == documents_.end() ? kZero : it->second;
}

}  // namespace duban::service::projections
