#include "audit/state_diff.h"

#include <algorithm>
#include <tuple>

#include "model/task/mode.h"

namespace duban::audit {
namespace {

std::string names(const std::vector<UnitId>& units, const UnitNamer& name) {
  if (units.empty()) return "-";
  std::string out;
  for (const auto& u : units) out += (out.empty() ? "" : "、") + name(u);
  return out;
}

std::string assignment(const task::TaskState& s, const UnitNamer& name) {
  std::string text = "leads " + names(s.leads, name);
  if (!s.participants.empty()) text += "; participants " + names(s.participants, name);
  return text + " (" + std::string(task::to_string(s.mode)) + ")";
}

std::string status(const task::TaskState& s) {
  return std::string(task::to_string(s.status));
}

}  // namespace

StateDiff diff_states(const service::projections::ReadModelState& a,
                      const service::projections::ReadModelState& b, const UnitNamer& name) {
  StateDiff diff;
  auto add = [&](std::string change, const task::TaskState& s, std::string before,
                 std::string after) {
    ++diff.changes[change];
    diff.tasks.push_back(TaskDiffRow{std::move(change), s.id, s.provenance.document,
                                     s.provenance.label, s.provenance.line, std::move(before),
                                     std::move(after)});
  };
  for (const auto& [id, after] : b.tasks.tasks()) {
    const task::TaskState* before = a.tasks.task(id);
    if (!before || !before->exists()) {
      add("created", after, "",
          assignment(after, name) + "; deadline " + after.deadline.value_or("none") + "; " +
              status(after));
      continue;
    }
    if (before->leads != after.leads || before->participants != after.participants ||
        before->mode != after.mode) {
      add("reassigned", after, assignment(*before, name), assignment(after, name));
    }
    if (before->deadline != after.deadline) {
      add("deadline", after, before->deadline.value_or("none"), after.deadline.value_or("none"));
    }
    if (before->provenance != after.provenance) {
      add("revised", after,
          before->provenance.label + " (document version " +
              std::to_string(before->provenance.document_version) + ")",
          after.provenance.label + " (document version " +
              std::to_string(after.provenance.document_version) + ")");
    }
    std::vector<UnitId> signed_now;
    for (const auto& u : after.acknowledged) {
      if (!before->has_acknowledged(u)) signed_now.push_back(u);
    }
    if (!signed_now.empty()) add("acknowledged", after, "", names(signed_now, name));
    if (before->status != after.status) {
      using task::Status;
      std::string change = "status";
      if (after.status == Status::kClosed)
        change = "closed";
      else if (after.status == Status::kCancelled)
        change = "cancelled";
      else if (before->status == Status::kClosed)
        change = "reopened";
      add(change, after, status(*before), status(after));
    }
  }
  std::sort(diff.tasks.begin(), diff.tasks.end(), [](const TaskDiffRow& x, const TaskDiffRow& y) {
    return std::tie(x.document, x.line, x.task, x.change) <
           std::tie(y.document, y.line, y.task, y.change);
  });
  for (const auto& [id, after] : b.tasks.documents()) {
    const task::DocumentState* before = a.tasks.document(id);
    const int was = before ? before->document_version : 0;
    if (was != after.document_version) {
      diff.documents.push_back(DocumentDiffRow{id, was, after.document_version, after.title});
    }
  }
  std::sort(diff.documents.begin(), diff.documents.end(),
            [](const auto& x, const auto& y) { return x.document < y.document; });
  return diff;
}

}  // namespace duban::audit
