#include "audit/task_lookup.h"

#include <vector>

#include "service/projections/read_model.h"

namespace duban::audit {

Result<TaskId> find_task(storage::EventStore& store, const std::string& text) {
  auto stream = store.read_stream("task/" + text, StreamVersion(1));
  if (!stream) return stream.error();
  if (!stream->empty()) return TaskId(text);
  const auto cut = text.find_first_of(" |");
  service::projections::ReadModel model;
  if (auto caught = model.catch_up(store); !caught) return caught.error();
  std::vector<TaskId> matches;
  if (cut != std::string::npos) {
    const DocumentId document(text.substr(0, cut));
    const std::string label = text.substr(cut + 1);
    for (const auto& s : model.tasks_of_document(document)) {
      if (s.provenance.label == label) matches.push_back(s.id);
    }
  }
  if (matches.size() == 1) return matches.front();
  std::string hint;
  if (matches.size() > 1) {
    hint = "; it matches several tasks:";
    for (const auto& m : matches) hint += "\n  " + m.str();
  }
  return make_error("not_found", "the log has no task '" + text +
                                     "' (give a task id, or the document id and the clause label, "
                                     "e.g. '青政〔2015〕70号 (四)')" +
                                     hint);
}

}  // namespace duban::audit
