#include "model/task/ingest_plan.h"

#include <algorithm>
#include <cstdint>
#include <optional>
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

std::string join(const std::vector<UnitId>& units) {
  std::string out;
  for (const UnitId& u : units) out += (out.empty() ? "" : ", ") + u.str();
  return out.empty() ? "(none)" : out;
}

bool contains(const std::vector<UnitId>& v, const UnitId& u) {
  return std::find(v.begin(), v.end(), u) != v.end();
}

// Code points of UTF-8 text (bytes of a broken sequence count on their own).
std::vector<char32_t> code_points(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    int n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + static_cast<std::size_t>(n) > s.size()) n = 1;
    char32_t c = n == 1 ? b : (b & (0x7F >> n));
    for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(c);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

// Sorted character bigrams, repeats kept.
std::vector<std::uint64_t> bigrams(std::string_view s) {
  std::vector<char32_t> cp = code_points(s);
  std::vector<std::uint64_t> out;
  for (std::size_t i = 0; i + 1 < cp.size(); ++i) {
    out.push_back((static_cast<std::uint64_t>(cp[i]) << 32) | cp[i + 1]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

double dice(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
  if (a.empty() && b.empty()) return 1.0;
  std::size_t common = 0;
  for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

// Pairs clauses with existing tasks (see the header): result[i] is the task of clauses[i], or
// null. Each task goes to at most one clause.
std::vector<const TaskState*> match_clauses(const std::vector<gazette::Clause>& clauses,
                                            const std::vector<const TaskState*>& tasks) {
  std::vector<const TaskState*> match(clauses.size(), nullptr);
  std::vector<bool> taken(tasks.size(), false);
  // 1. The same text; among several, the one with the same part and label.
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    std::optional<std::size_t> best;
    for (std::size_t j = 0; j < tasks.size(); ++j) {
      const Provenance& p = tasks[j]->provenance;
      if (taken[j] || p.text != clauses[i].text) continue;
      if (!best || (p.part == clauses[i].part && p.label == clauses[i].label)) best = j;
      if (p.part == clauses[i].part && p.label == clauses[i].label) break;
    }
    if (best) match[i] = tasks[*best], taken[*best] = true;
  }
  // 2. The most similar text, best pairs first.
  struct Pair {
    double similarity;
    std::size_t clause, task;
  };
  std::vector<Pair> pairs;
  std::vector<std::vector<std::uint64_t>> task_grams(tasks.size());
  for (std::size_t j = 0; j < tasks.size(); ++j) {
    if (!taken[j]) task_grams[j] = bigrams(tasks[j]->provenance.text);
  }
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (match[i]) continue;
    std::vector<std::uint64_t> grams = bigrams(clauses[i].text);
    for (std::size_t j = 0; j < tasks.size(); ++j) {
      if (taken[j]) continue;
      double d = dice(grams, task_grams[j]);
      if (d >= kSimilarClause) pairs.push_back(Pair{d, i, j});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.similarity > b.similarity; });
  for (const Pair& p : pairs) {
    if (match[p.clause] || taken[p.task]) continue;
    match[p.clause] = tasks[p.task];
    taken[p.task] = true;
  }
  // 3. The same part and label: the clause was rewritten under its number.
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    if (match[i]) continue;
    for (std::size_t j = 0; j < tasks.size(); ++j) {
      const Provenance& p = tasks[j]->provenance;
      if (!taken[j] && p.part == clauses[i].part && p.label == clauses[i].label) {
        match[i] = tasks[j];
        taken[j] = true;
        break;
      }
    }
  }
  return match;
}

// One role's units after a revision: the live ones, less those the document dropped, plus
// those it added (in the document's order).
std::vector<UnitId> merge_role(const std::vector<UnitId>& old_read,
                               const std::vector<UnitId>& new_read,
                               const std::vector<UnitId>& live) {
  std::vector<UnitId> out;
  for (const UnitId& u : live) {
    if (!(contains(old_read, u) && !contains(new_read, u))) out.push_back(u);
  }
  for (const UnitId& u : new_read) {
    if (!contains(old_read, u) && !contains(out, u)) out.push_back(u);
  }
  return out;
}

// The units (and mode) after the document changed them from `o` to `n` on a task whose live
// units are `live`. Without hand-made changes that is exactly the new reading.
Reading merge_units(const Reading& o, const Reading& n, const TaskState& live) {
  if (live.mode == o.mode && live.leads == o.leads && live.participants == o.participants) {
    return n;
  }
  Reading m;
  m.mode = o.mode != n.mode ? n.mode : live.mode;
  m.leads = merge_role(o.leads, n.leads, live.leads);
  if (m.leads.empty()) m.leads = n.leads;  // nothing of the old leads is left: the document's
  for (const UnitId& u : merge_role(o.participants, n.participants, live.participants)) {
    if (!contains(m.leads, u)) m.participants.push_back(u);
  }
  return m;
}

// "<document>|<n>" ids: the numbers in use by this document's tasks.
std::optional<long> sequence_of(const TaskId& id, const std::string& prefix) {
  const std::string& s = id.str();
  if (s.size() <= prefix.size() || s.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  long n = 0;
  for (std::size_t i = prefix.size(); i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9' || n > 100000000) return std::nullopt;
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

}  // namespace

TaskId clause_task_id(const gazette::Clause& clause) {
  return TaskId(clause.doc + "|" + clause.part + "|" + clause.label);
}

Reading clause_reading(const gazette::Clause& clause) {
  Wanted w = wanted_from(clause, 0);
  return Reading{w.mode, w.leads, w.participants, w.deadline};
}

double clause_similarity(std::string_view a, std::string_view b) {
  return dice(bigrams(a), bigrams(b));
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

  std::vector<const TaskState*> existing;
  std::set<TaskId> ids_in_use;
  const std::string prefix = doc.id + "|";
  long highest = 0;
  for (const TaskState& s : in.existing) {
    if (!s.exists() || s.provenance.document != doc_id) continue;
    existing.push_back(&s);
    ids_in_use.insert(s.id);
    if (auto n = sequence_of(s.id, prefix)) highest = std::max(highest, *n);
  }
  const std::vector<const TaskState*> matched = match_clauses(in.clauses, existing);
  std::set<const TaskState*> kept(matched.begin(), matched.end());

  const std::string why = revision(in.version);
  for (std::size_t i = 0; i < in.clauses.size(); ++i) {
    const gazette::Clause& clause = in.clauses[i];
    Wanted w = wanted_from(clause, in.version);
    const TaskState* found = matched[i];
    const std::optional<Reading> read =
        i < in.machine_readings.size() ? in.machine_readings[i] : std::nullopt;
    if (w.leads.empty()) {
      plan.notes.push_back("clause '" + clause.label + "' (" + clause.part +
                           ") names no lead unit; " +
                           (found == nullptr ? std::string("no task created for it")
                                             : "task '" + found->id.str() + "' left unchanged"));
      continue;
    }
    if (found == nullptr) {
      TaskId id;
      if (in.task_id_of) {
        id = in.task_id_of(clause);
      } else {
        long n = static_cast<long>(i) + 1;
        if (ids_in_use.count(TaskId(prefix + std::to_string(n))) > 0) n = highest + 1;
        id = TaskId(prefix + std::to_string(n));
        highest = std::max(highest, n);
      }
      if (!ids_in_use.insert(id).second) {
        return make_error(errc::kInvalidCommand, "clause '" + clause.label + "' maps to task id '" +
                                                     id.str() +
                                                     "', which another clause or task has; task "
                                                     "ids must be distinct");
      }
      CreateTask create{id, w.provenance, w.mode, w.leads, w.participants, w.deadline, {}};
      if (read && *read != Reading{w.mode, w.leads, w.participants, w.deadline}) {
        create.reading = read;
      }
      plan.commands.push_back(PlannedCommand{task_stream_id(id), std::move(create)});
      continue;
    }
    const TaskState& s = *found;
    const TaskId& id = s.id;
    const Reading& o = s.as_read;
    const Reading n{w.mode, w.leads, w.participants, w.deadline};
    // What the machine read: the baseline the next revision compares with.
    const Reading machine = read.value_or(n);
    bool text_changed = !same_clause(w.provenance, s.provenance);
    if (!text_changed && o == n && machine == o) continue;  // the document says what it said
    if (!s.is_open()) {
      plan.notes.push_back(describe(s) + "; changes from " + why + " to clause '" + clause.label +
                           "' were not applied");
      continue;
    }
    if (o.mode != n.mode || o.leads != n.leads || o.participants != n.participants) {
      Reading m = merge_units(o, n, s);
      if (m.mode != s.mode || m.leads != s.leads || m.participants != s.participants) {
        plan.commands.push_back(
            PlannedCommand{task_stream_id(id),
                           ReassignTask{id, m.leads, m.participants, m.mode, why, in.version}});
      }
      if (m != n) {
        plan.notes.push_back("task '" + id.str() + "': " + why + " changed the units of clause '" +
                             clause.label + "'; units set by hand were kept: leads " +
                             join(m.leads) + ", participants " + join(m.participants));
      }
    }
    if (o.deadline != n.deadline) {
      if (!n.deadline) {
        plan.notes.push_back("task '" + id.str() + "': " + why + " names no deadline for clause '" +
                             clause.label + "'; the deadline " + s.deadline.value_or("(none)") +
                             " stays");
      } else if (s.deadline != n.deadline) {
        if (s.deadline != o.deadline) {
          plan.notes.push_back("task '" + id.str() + "': " + why +
                               " moved the deadline of clause '" + clause.label + "' to " +
                               *n.deadline + "; it replaces " + s.deadline.value_or("(none)") +
                               ", set after the document");
        }
        plan.commands.push_back(
            PlannedCommand{task_stream_id(id), SetDeadline{id, n.deadline, why, in.version}});
      }
    }
    // Last, so the machine's reading is what as_read keeps whatever the commands above set.
    plan.commands.push_back(
        PlannedCommand{task_stream_id(id), ReviseTask{id, w.provenance, machine}});
  }

  for (const TaskState* s : existing) {
    if (kept.count(s) > 0) continue;
    if (!s->is_open()) {
      if (s->status == Status::kClosed) {
        plan.notes.push_back(describe(*s) + "; its clause is gone in " + why +
                             " but it stays closed");
      }
      continue;
    }
    plan.commands.push_back(PlannedCommand{
        task_stream_id(s->id), CancelTask{s->id, "clause removed in " + why, in.version}});
  }
  return plan;
}

}  // namespace duban::task
