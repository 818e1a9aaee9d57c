#include "model/task/ingest_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "model/task/deadline.h"
#include "model/task/error_codes.h"

namespace duban::task {

namespace {

Mode to_task_mode(gazette::Mode mode) {
  switch (mode) {
    case gazette::Mode::kLead:
      return Mode::kLead;
    case gazette::Mode::kSeparately:
      return Mode::kSeparately;
    case gazette::Mode::kResponsible:
      return Mode::kResponsible;
  }
  return Mode::kLead;
}

// What a clause asks for, in the task's terms.
struct Wanted {
  Provenance provenance;
  Mode mode = Mode::kLead;
  std::vector<UnitId> leads;
  std::vector<UnitId> participants;
  Deadline deadline;
};

Wanted wanted_from(const gazette::Clause& c, int version) {
  Wanted w;
  w.provenance = Provenance{DocumentId(c.doc), version, c.part,        c.label,
                            c.heading,         c.text,  c.source.line, c.source.end_line};
  w.mode = to_task_mode(c.mode);
  auto contains = [](const std::vector<UnitId>& v, const UnitId& u) {
    return std::find(v.begin(), v.end(), u) != v.end();
  };
  // Leads first, so a unit named both ways keeps the lead role; repeats collapse.
  for (const auto& a : c.assignments) {
    UnitId u(a.unit);
    if (a.role == gazette::Role::kLead && !u.empty() && !contains(w.leads, u)) w.leads.push_back(u);
  }
  for (const auto& a : c.assignments) {
    UnitId u(a.unit);
    if (a.role == gazette::Role::kParticipant && !u.empty() && !contains(w.leads, u) &&
        !contains(w.participants, u)) {
      w.participants.push_back(u);
    }
  }
  // The clause's last date is when the whole task is due (earlier ones are milestones).
  for (auto it = c.deadlines.rbegin(); it != c.deadlines.rend(); ++it) {
    if (parse_iso_date(it->date)) {
      w.deadline = it->date;
      break;
    }
  }
  return w;
}

// Provenance equality that ignores which version the text was read from: an unchanged clause
// in a new version is not a revision of the task.
bool same_clause(Provenance a, const Provenance& b) {
  a.document_version = b.document_version;
  return a == b;
}

std::string revision(int version) {
  return "document revision " + std::to_string(version);
}

std::string describe(const TaskState& s) {
  return "task '" + s.id.str() + "' is " + std::string(to_string(s.status));
}

}  // namespace

TaskId clause_task_id(const gazette::Clause& clause) {
  return TaskId(clause.doc + "|" + clause.part + "|" + clause.label);
}

Result<IngestPlan> plan_ingest(const IngestInput& in) {
  const gazette::Document& doc = in.document;
  if (doc.id.empty()) {
    return make_error(errc::kInvalidCommand, "the document has no id (neither number nor title)");
  }
  DocumentId doc_id(doc.id);
  if (in.registered.exists() && in.registered.content_hash == in.content_hash) {
    return IngestPlan{};  // same text as the registered version: already ingested
  }
  if (in.version <= in.registered.document_version) {
    return make_error(errc::kInvalidCommand, "document '" + doc.id + "' is registered at version " +
                                                 std::to_string(in.registered.document_version) +
                                                 "; new content needs a higher version, not " +
                                                 std::to_string(in.version));
  }

  IngestPlan plan;
  plan.commands.push_back(
      PlannedCommand{document_stream_id(doc_id),
                     RegisterDocument{doc_id, doc.number, doc.title, doc.issuer, doc.signed_date,
                                      doc.parts, in.version, std::string(in.content_hash)}});

  std::map<TaskId, const TaskState*> existing;
  for (const TaskState& s : in.existing) {
    if (s.exists() && s.provenance.document == doc_id) existing.emplace(s.id, &s);
  }

  const std::string why = revision(in.version);
  std::map<TaskId, std::string> seen;  // task id → clause label, to report collisions
  for (const gazette::Clause& clause : in.clauses) {
    TaskId id = in.task_id_of ? in.task_id_of(clause) : clause_task_id(clause);
    if (auto [it, fresh] = seen.emplace(id, clause.label); !fresh) {
      return make_error(errc::kInvalidCommand, "clauses '" + it->second + "' and '" + clause.label +
                                                   "' both map to task id '" + id.str() +
                                                   "'; task ids must be distinct");
    }
    Wanted w = wanted_from(clause, in.version);
    auto found = existing.find(id);
    if (w.leads.empty()) {
      plan.notes.push_back("clause '" + clause.label + "' (" + clause.part +
                           ") names no lead unit; " +
                           (found == existing.end() ? std::string("no task created for it")
                                                    : "task '" + id.str() + "' left unchanged"));
      continue;
    }
    if (found == existing.end()) {
      plan.commands.push_back(PlannedCommand{
          task_stream_id(id),
          CreateTask{id, w.provenance, w.mode, w.leads, w.participants, w.deadline}});
      continue;
    }
    const TaskState& s = *found->second;
    bool units_changed = w.mode != s.mode || w.leads != s.leads || w.participants != s.participants;
    bool text_changed = !same_clause(w.provenance, s.provenance);
    bool deadline_changed = w.deadline != s.deadline;
    if (!units_changed && !text_changed && !deadline_changed) continue;
    if (!s.is_open()) {
      plan.notes.push_back(describe(s) + "; changes from " + why + " to clause '" + clause.label +
                           "' were not applied");
      continue;
    }
    if (units_changed) {
      plan.commands.push_back(PlannedCommand{
          task_stream_id(id), ReassignTask{id, w.leads, w.participants, w.mode, why, in.version}});
    }
    if (text_changed) {
      plan.commands.push_back(PlannedCommand{task_stream_id(id), ReviseTask{id, w.provenance}});
    }
    if (deadline_changed) {
      plan.commands.push_back(
          PlannedCommand{task_stream_id(id), SetDeadline{id, w.deadline, why, in.version}});
    }
  }

  for (const TaskState& s : in.existing) {
    if (!s.exists() || s.provenance.document != doc_id || seen.count(s.id) > 0) continue;
    if (!s.is_open()) {
      if (s.status == Status::kClosed) {
        plan.notes.push_back(describe(s) + "; its clause is gone in " + why +
                             " but it stays closed");
      }
      continue;
    }
    plan.commands.push_back(PlannedCommand{
        task_stream_id(s.id), CancelTask{s.id, "clause removed in " + why, in.version}});
  }
  return plan;
}

}  // namespace duban::task
