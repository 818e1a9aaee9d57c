#include "service/drafts.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <variant>

#include "model/draft/decide.h"
#include "model/gazette/dates.h"
#include "model/gazette/text.h"
#include "model/gazette/units.h"
#include "model/task/deadline.h"
#include "model/task/error_codes.h"
#include "model/task/ingest_plan.h"
#include "model/task/relative_deadlines.h"
#include "model/task/streams.h"
#include "service/content_hash.h"
#include "storage/event_codec.h"
#include "storage/store_errc.h"

namespace duban::service {

namespace {

task::Mode to_task_mode(gazette::Mode m) {
  switch (m) {
    case gazette::Mode::kLead:
      return task::Mode::kLead;
    case gazette::Mode::kSeparately:
      return task::Mode::kSeparately;
    case gazette::Mode::kResponsible:
      return task::Mode::kResponsible;
  }
  return task::Mode::kLead;
}

gazette::Mode to_gazette_mode(task::Mode m) {
  switch (m) {
    case task::Mode::kLead:
      return gazette::Mode::kLead;
    case task::Mode::kSeparately:
      return gazette::Mode::kSeparately;
    case task::Mode::kResponsible:
      return gazette::Mode::kResponsible;
  }
  return gazette::Mode::kLead;
}

// The machine's reading of a clause, as a draft keeps it (the key is assigned by decide()).
task::DraftClause draft_clause(const gazette::Clause& c) {
  task::DraftClause d;
  d.part = c.part;
  d.label = c.label;
  d.heading = c.heading;
  d.text = c.text;
  d.mode = to_task_mode(c.mode);
  for (const auto& a : c.assignments) {
    if (a.role == gazette::Role::kGuide) continue;  // guides neither lead nor take part
    d.units.push_back(task::DraftUnit{
        a.mention, UnitId(a.unit),
        a.role == gazette::Role::kLead ? task::Role::kLead : task::Role::kParticipant});
  }
  // As plan_ingest reads it: the clause's last date is when the whole task is due.
  for (auto it = c.deadlines.rbegin(); it != c.deadlines.rend(); ++it) {
    if (task::parse_iso_date(it->date)) {
      d.deadline = it->date;
      d.deadline_text = it->text;
      break;
    }
  }
  // Without a date, a relative span (7个工作日内) is kept as written; publishing (交办) turns it
  // into the date it ends on (to_gazette_clause, resolve_relative_deadlines).
  if (!d.deadline) {
    for (const auto& r : c.relative_deadlines) {
      if (r.days <= 0 && r.months <= 0) continue;
      d.deadline_text += (d.deadline_text.empty() ? "" : "、") + r.text;
    }
  }
  d.line = c.source.line;
  d.end_line = c.source.end_line;
  d.confidence = c.confidence;
  d.why = c.why;
  return d;
}

template <class State>
Result<State> fold(storage::EventStore& store, const std::string& stream) {
  auto events = store.read_stream(stream);
  if (!events) return events.error();
  State state;
  for (const auto& r : *events) {
    auto e = storage::decode_event(r);
    if (!e) return e.error();
    state = draft::apply(std::move(state), *e);
  }
  return state;
}

CommandId derived_id(const std::string& stream, StreamVersion version, std::string_view what) {
  return CommandId("draft:" + stream + "@" + std::to_string(version.value()) + ":" +
                   std::string(what));
}

const char* command_name(const draft::Command& c) {
  static constexpr const char* kNames[] = {"RecordDraft",   "ChangeUnits",       "ChangeMode",
                                           "ChangeLabel",   "SetClauseDeadline", "SplitClause",
                                           "MergeClauses",  "DropClause",        "AddClause",
                                           "ApplyUnitName", "MarkPublished",     "RequireEvidence"};
  static_assert(std::size(kNames) == std::variant_size_v<draft::Command>);
  return kNames[c.index()];
}

}  // namespace

void apply_unit_names(gazette::ParseResult& parsed, const draft::UnitNames& names) {
  if (names.by_name.empty()) return;
  for (auto& clause : parsed.clauses) {
    for (auto& a : clause.assignments) {
      if (const UnitId* u = names.find(a.mention)) a.unit = u->str();
    }
  }
}

gazette::Clause to_gazette_clause(const DocumentId& document, const task::DraftClause& d) {
  gazette::Clause c;
  c.doc = document.str();
  c.part = d.part;
  c.label = d.label;
  c.heading = d.heading;
  c.text = d.text;
  c.mode = to_gazette_mode(d.mode);
  for (const auto& u : d.units) {
    c.assignments.push_back(gazette::Assignment{
        u.role == task::Role::kLead ? gazette::Role::kLead : gazette::Role::kParticipant, u.mention,
        u.unit.str()});
  }
  if (d.deadline) {
    c.deadlines.push_back(gazette::Deadline{d.deadline_text, *d.deadline});
  } else if (!d.deadline_text.empty()) {
    c.relative_deadlines =
        gazette::find_time_expressions(gazette::text::decode(d.deadline_text)).relative_deadlines;
  }
  c.source = gazette::SourceSpan{d.line, d.end_line};
  c.confidence = d.confidence;
  c.why = d.why;
  return c;
}

Result<DraftChange> DraftService::run(
    const std::string& stream, const task::Actor& actor, const CommandId& command_id,
    std::string_view what,
    const std::function<Result<std::vector<task::Event>>(const draft::DraftState&)>& decide) {
  for (int attempt = 1;; ++attempt) {
    auto state = fold<draft::DraftState>(store_, stream);
    if (!state) return state.error();
    auto decided = decide(*state);
    if (!decided) return decided.error();
    if (decided->empty()) return DraftChange{{}, state->version};
    std::vector<storage::NewEvent> encoded;
    for (const auto& e : *decided) encoded.push_back(storage::encode_event(e, actor));
    // A derived id names the version decided against, so a correction that lost a race and is
    // decided again is not mistaken for a retry of the one that won.
    const CommandId id = command_id.empty() ? derived_id(stream, state->version, what) : command_id;
    auto appended =
        store_.append(stream, storage::ExpectedVersion::exactly(state->version), encoded, id);
    if (appended) {
      if (appended->duplicate) return DraftChange{{}, appended->version};
      return DraftChange{std::move(*decided), appended->version};
    }
    if (storage::is(appended.error(), storage::StoreErrc::version_conflict) &&
        attempt < kMaxAttempts) {
      continue;
    }
    return appended.error();
  }
}

Result<std::vector<RecordedDraft>> DraftService::record(const IngestSource& source,
                                                        const task::Actor& actor) {
  auto names = unit_names();
  if (!names) return names.error();
  gazette::ParseResult parsed = source.parsed;
  apply_unit_names(parsed, *names);
  if (auto refreshed = tasks_.refresh(); !refreshed) return refreshed.error();
  std::vector<RecordedDraft> out;
  for (const gazette::Document& doc : parsed.documents) {
    const DocumentId id(doc.id);
    task::DraftRecorded reading{id,        doc.number, doc.title, doc.issuer, doc.signed_date,
                                doc.parts, 0,          "",        {}};
    reading.content_hash = content_hash(document_text(source.bytes, doc.line, doc.end_line));
    const task::DocumentState registered = tasks_.read_model().document(id);
    reading.version = registered.document_version + 1;
    for (const auto& c : parsed.clauses) {
      if (c.doc == doc.id) reading.clauses.push_back(draft_clause(c));
    }
    RecordedDraft row{id, static_cast<int>(reading.clauses.size()), 0, false};
    for (const auto& c : reading.clauses) {
      if (c.confidence < draft::kDoubtfulBelow) ++row.doubtful;
    }
    if (registered.exists() && registered.content_hash == reading.content_hash) {
      row.unchanged = true;  // this very text is live already
      out.push_back(row);
      continue;
    }
    const std::string stream = task::draft_stream_id(id);
    auto done = run(stream, actor, CommandId(), "RecordDraft", [&](const draft::DraftState& s) {
      return draft::decide(s, draft::RecordDraft{reading}, actor, clock_.now());
    });
    if (!done) return make_error(done.error().code, doc.id + ": " + done.error().message);
    row.unchanged = done->events.empty();
    out.push_back(row);
    std::lock_guard lock(scan_mutex_);
    documents_.insert(id.str());
  }
  return out;
}

Result<draft::DraftState> DraftService::draft(const DocumentId& document) {
  auto state = fold<draft::DraftState>(store_, task::draft_stream_id(document));
  if (!state) return state.error();
  if (!state->exists()) {
    return make_error(task::errc::kNotFound, "there is no draft of '" + document.str() +
                                                 "' (duban drafts lists the drafts)");
  }
  return state;
}

Result<draft::UnitNames> DraftService::unit_names() {
  return fold<draft::UnitNames>(store_, task::kUnitNamesStream);
}

Result<std::vector<DraftSummary>> DraftService::list() {
  std::set<std::string> documents;
  {
    // Draft streams are few and never end; find new ones by reading the log past what was
    // scanned before (the first call reads it all once).
    std::lock_guard lock(scan_mutex_);
    const std::string prefix = task::draft_stream_id(DocumentId(""));
    for (;;) {
      auto page = store_.read_all(scanned_.next(), 4096);
      if (!page) return page.error();
      if (page->empty()) break;
      for (const auto& r : *page) {
        if (r.stream.starts_with(prefix)) documents_.insert(r.stream.substr(prefix.size()));
        scanned_ = r.position;
      }
    }
    documents = documents_;
  }
  std::vector<DraftSummary> out;
  for (const std::string& d : documents) {
    auto state = draft(DocumentId(d));
    if (!state) return state.error();
    DraftSummary row{state->document,
                     state->title,
                     state->document_version,
                     static_cast<int>(state->clauses.size()),
                     0,
                     state->corrections,
                     state->published,
                     static_cast<int>(state->tasks.size()),
                     state->evidence_required};
    for (const auto& c : state->clauses) row.doubtful += draft::is_doubtful(*state, c) ? 1 : 0;
    out.push_back(std::move(row));
  }
  return out;
}

Result<DraftChange> DraftService::correct(const DocumentId& document, const draft::Command& command,
                                          const task::Actor& actor, CommandId command_id) {
  const std::string stream = task::draft_stream_id(document);
  return run(stream, actor, command_id, command_name(command), [&](const draft::DraftState& s) {
    return draft::decide(s, command, actor, clock_.now());
  });
}

Result<DraftChange> DraftService::map_unit_name(const std::string& name, const UnitId& unit,
                                                const std::optional<DocumentId>& document,
                                                const task::Actor& actor) {
  if (!gazette::UnitDirectory::builtin().by_id(unit.str())) {
    return make_error(task::errc::kInvalidCommand,
                      "'" + unit.str() + "' is not a unit of the directory (data/units.tsv)");
  }
  for (int attempt = 1;; ++attempt) {
    auto names = unit_names();
    if (!names) return names.error();
    auto decided = draft::decide(*names, draft::MapUnitName{name, unit}, actor);
    if (!decided) return decided.error();
    if (decided->empty()) break;
    std::vector<storage::NewEvent> encoded;
    for (const auto& e : *decided) encoded.push_back(storage::encode_event(e, actor));
    auto appended =
        store_.append(task::kUnitNamesStream, storage::ExpectedVersion::exactly(names->version),
                      encoded, derived_id(task::kUnitNamesStream, names->version, "MapUnitName"));
    if (appended) break;
    if (!storage::is(appended.error(), storage::StoreErrc::version_conflict) ||
        attempt >= kMaxAttempts) {
      return appended.error();
    }
  }
  if (!document) return DraftChange{};
  auto state = draft(*document);
  if (!state) return state.error();
  if (state->published) return DraftChange{{}, state->version};
  return correct(*document, draft::ApplyUnitName{name, unit}, actor);
}

Result<PublishOutcome> DraftService::publish(const DocumentId& document, const task::Actor& actor,
                                             const calendar::Calendar& cal) {
  auto state = draft(document);
  if (!state) return state.error();
  if (actor.kind != task::Actor::Kind::kSupervisor) {
    return make_error(task::errc::kForbidden, "only the supervisor publishes drafts (交办)");
  }
  PublishOutcome out{document, state->document_version, state->tasks, {}, state->published};
  if (state->published) return out;

  std::vector<std::string> leaderless;
  for (const auto& c : state->clauses) {
    const bool lead = std::any_of(c.units.begin(), c.units.end(),
                                  [](const auto& u) { return u.role == task::Role::kLead; });
    if (!lead) leaderless.push_back(c.key + " (" + c.label + ")");
  }
  if (!leaderless.empty()) {
    std::string list;
    for (const auto& l : leaderless) list += (list.empty() ? "" : ", ") + l;
    return make_error(task::errc::kInvalidCommand,
                      "clauses without a lead unit cannot become tasks: " + list +
                          "; give them units (duban drafts correct units) or drop them");
  }

  auto proposal = plan_for(*state, cal);
  if (!proposal) return proposal.error();
  const bool nothing_to_do = proposal->plan.empty();
  gazette::Document doc;
  doc.id = document.str();
  PlannedDocument planned{"draft", doc, proposal->version, std::move(proposal->plan)};
  auto counts = run_plan(tasks_, planned, {}, nullptr, actor);
  if (!counts) return counts.error();
  out.counts = *counts;
  const int version = proposal->version;
  out.version = nothing_to_do ? tasks_.read_model().document(document).document_version : version;

  // Task ids do not name their clause (ingest_plan.h): list the document's live tasks as the
  // plan left them, in document order.
  if (auto refreshed = tasks_.refresh(); !refreshed) return refreshed.error();
  std::vector<task::TaskState> live = tasks_.read_model().tasks_of_document(document);
  std::erase_if(live, [](const task::TaskState& s) { return !s.is_open(); });
  std::stable_sort(live.begin(), live.end(), [](const auto& a, const auto& b) {
    return a.provenance.line < b.provenance.line;
  });
  std::vector<TaskId> tasks;
  for (const auto& s : live) tasks.push_back(s.id);
  // The document's evidence rule reaches every live task of it, new or revised alike.
  for (const auto& s : live) {
    if (s.evidence_required == state->evidence_required) continue;
    task::SetEvidenceRequirement set{s.id, state->evidence_required,
                                     state->evidence_required
                                         ? "the reviewed draft requires evidence with completions"
                                         : "the reviewed draft no longer requires evidence",
                                     version};
    auto ran = tasks_.execute(set, actor,
                              CommandId("draft:" + document.str() + "@v" + std::to_string(version) +
                                        ":evidence:" + s.id.str()));
    if (!ran) return ran.error();
    out.counts.events += static_cast<std::int64_t>(ran->events.size());
  }
  auto marked =
      correct(document, draft::MarkPublished{tasks}, actor,
              CommandId("draft:" + document.str() + "@v" + std::to_string(version) + ":publish"));
  if (!marked) return marked.error();
  out.tasks = std::move(tasks);
  return out;
}

Result<DraftProposal> DraftService::propose(const DocumentId& document,
                                            const calendar::Calendar& cal) {
  auto state = draft(document);
  if (!state) return state.error();
  return plan_for(*state, cal);
}

Result<DraftProposal> DraftService::plan_for(const draft::DraftState& state,
                                             const calendar::Calendar& cal) {
  const DocumentId& document = state.document;
  auto names = unit_names();
  if (!names) return names.error();
  // The corrected reading goes through the one ingest path, as if the parser had read it so;
  // the machine's reading of each corrected clause goes with it as the tasks' baseline.
  if (auto refreshed = tasks_.refresh(); !refreshed) return refreshed.error();
  const auto& model = tasks_.read_model();
  gazette::Document doc;
  doc.id = document.str();
  doc.number = state.number;
  doc.title = state.title;
  doc.issuer = state.issuer;
  doc.signed_date = state.signed_date;
  doc.parts = state.parts;
  std::vector<gazette::Clause> clauses;
  std::vector<std::optional<task::Reading>> machine;
  std::map<std::pair<std::string, int>, std::string> key_at;  // (part, line) -> clause key
  for (const auto& c : state.clauses) {
    clauses.push_back(to_gazette_clause(document, c));
    key_at.emplace(std::pair{c.part, c.line}, c.key);
    const task::DraftClause* read = state.read_clause(c.key);
    if (read == nullptr) {
      machine.push_back(std::nullopt);
      continue;
    }
    // Names mapped since are part of the machine's reading, as for any later ingest.
    gazette::Clause g = to_gazette_clause(document, *read);
    for (auto& a : g.assignments) {
      if (const UnitId* u = names->find(a.mention)) a.unit = u->str();
    }
    machine.push_back(task::clause_reading(g));
  }
  const task::DocumentState registered = model.document(document);
  const std::vector<task::TaskState> existing = model.tasks_of_document(document);
  // Normally the draft's own version; a text registered meanwhile by a plain ingest moves it on.
  const int version = std::max(state.document_version, registered.document_version + 1);
  auto plan = task::plan_ingest(task::IngestInput{
      doc, clauses, version, state.content_hash, {}, registered, existing, std::move(machine)});
  if (!plan) return plan.error();
  task::resolve_relative_deadlines(*plan, clauses, task::shanghai_date(clock_.now()), cal);

  DraftProposal out{document, version, registered.exists(), std::move(*plan), {}};
  std::map<TaskId, std::string> key_of_task;
  // A task's clause: the provenance its CreateTask or ReviseTask carries.
  for (const auto& pc : out.plan.commands) {
    const task::Provenance* p = nullptr;
    if (const auto* c = std::get_if<task::CreateTask>(&pc.command)) p = &c->provenance;
    if (const auto* r = std::get_if<task::ReviseTask>(&pc.command)) p = &r->provenance;
    if (p == nullptr) continue;
    if (auto it = key_at.find({p->part, p->line}); it != key_at.end()) {
      key_of_task[*task::task_of(pc.command)] = it->second;
    }
  }
  auto units = [](const std::vector<UnitId>& leads, const std::vector<UnitId>& participants) {
    std::string text;
    for (const auto& u : leads) text += (text.empty() ? "" : ", ") + u.str();
    if (!participants.empty()) {
      text += " (participants";
      for (const auto& u : participants) text += " " + u.str();
      text += ")";
    }
    return text;
  };
  for (const auto& pc : out.plan.commands) {
    const auto task = task::task_of(pc.command);
    if (!task) continue;  // RegisterDocument
    ProposedChange change{key_of_task.count(*task) ? key_of_task[*task] : "", *task,
                          std::string(task::command_name(pc.command)), ""};
    std::visit(
        [&](const auto& c) {
          using C = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<C, task::CreateTask>) {
            change.detail =
                units(c.leads, c.participants) + "; deadline " + c.deadline.value_or("none");
          } else if constexpr (std::is_same_v<C, task::ReassignTask>) {
            change.detail = units(c.leads, c.participants) + " (" + c.reason + ")";
          } else if constexpr (std::is_same_v<C, task::ReviseTask>) {
            change.detail = "clause " + c.provenance.label + " as the new version reads it";
          } else if constexpr (std::is_same_v<C, task::SetDeadline>) {
            change.detail = c.deadline.value_or("none") + " (" + c.reason + ")";
          } else if constexpr (std::is_same_v<C, task::CancelTask>) {
            change.detail = c.reason;
          }
        },
        pc.command);
    out.changes.push_back(std::move(change));
  }
  return out;
}

}  // namespace duban::service
