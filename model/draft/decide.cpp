// Deciding draft commands. Every correction becomes one DraftCorrected that carries the clauses
// before and after it, so the log alone shows the machine's reading next to each human change.
#include "model/draft/decide.h"

#include <algorithm>
#include <type_traits>

#include "model/gazette/units.h"
#include "model/task/deadline.h"
#include "model/task/error_codes.h"

namespace duban::draft {

namespace {

using task::Correction;
using task::DraftClause;
using task::DraftCorrected;
using task::Event;
namespace errc = task::errc;

using Events = Result<std::vector<Event>>;

Error invalid(std::string message) {
  return make_error(errc::kInvalidCommand, std::move(message));
}

std::string next_key(int n) {
  return "c" + std::to_string(n);
}

// The text up to and including the first 。 (the parser's heading), without it.
std::string heading_of(const std::string& text) {
  const std::string stop = "。";
  const auto at = text.find(stop);
  return at == std::string::npos ? text : text.substr(0, at);
}

std::optional<Error> check_units(const std::vector<task::DraftUnit>& units) {
  bool lead = false;
  for (const auto& u : units) {
    if (u.unit.empty()) return invalid("a unit has no id");
    if (u.role == task::Role::kLead) lead = true;
  }
  if (!lead) return invalid("a clause needs at least one lead unit");
  return std::nullopt;
}

std::optional<Error> check_date(const std::optional<std::string>& date) {
  if (date && !task::parse_iso_date(*date)) {
    return invalid("deadline '" + *date + "' is not an ISO date (YYYY-MM-DD)");
  }
  return std::nullopt;
}

// Two clauses of one part with one label would become one task id at publication.
std::optional<Error> check_label_free(const DraftState& s, const DraftClause& c,
                                      const std::vector<std::string>& except) {
  for (const auto& other : s.clauses) {
    if (std::find(except.begin(), except.end(), other.key) != except.end()) continue;
    if (other.part == c.part && other.label == c.label) {
      return invalid("clause " + other.key + " of part '" + c.part + "' already has label '" +
                     c.label + "'; labels name the tasks and must be distinct");
    }
  }
  return std::nullopt;
}

Events one(Correction kind, std::vector<DraftClause> before, std::vector<DraftClause> after,
           std::string reason) {
  return std::vector<Event>{
      DraftCorrected{kind, std::move(before), std::move(after), std::move(reason)}};
}

Events change(Correction kind, const DraftClause& before, const DraftClause& after,
              std::string reason) {
  if (before == after) return std::vector<Event>{};  // already so: nothing to record
  return one(kind, {before}, {after}, std::move(reason));
}

struct Decider {
  const DraftState& s;
  Timestamp now;

  Result<const DraftClause*> find(const std::string& key) const {
    const DraftClause* c = s.clause(key);
    if (!c) {
      return make_error(errc::kNotFound, "the draft of '" + s.document.str() + "' has no clause '" +
                                             key + "' (duban drafts show lists them)");
    }
    return c;
  }

  Events operator()(const RecordDraft& c) const {
    const task::DraftRecorded& r = c.reading;
    if (r.document.empty()) return invalid("the document has no id (neither number nor title)");
    if (s.exists() && s.content_hash == r.content_hash) return std::vector<Event>{};
    if (s.exists() && !s.published && s.corrections > 0) {
      return make_error(errc::kIllegalTransition,
                        "the draft of '" + s.document.str() + "' holds " +
                            std::to_string(s.corrections) +
                            " corrections of another text; publish it before reviewing a new "
                            "text");
    }
    task::DraftRecorded e = r;
    int n = s.next_key;
    for (auto& clause : e.clauses) clause.key = next_key(n++);
    return std::vector<Event>{std::move(e)};
  }

  Events operator()(const ChangeUnits& c) const {
    auto found = find(c.key);
    if (!found) return found.error();
    if (auto bad = check_units(c.units)) return *bad;
    DraftClause after = **found;
    after.units = c.units;
    return change(Correction::kUnits, **found, after, c.reason);
  }

  Events operator()(const ChangeMode& c) const {
    auto found = find(c.key);
    if (!found) return found.error();
    DraftClause after = **found;
    after.mode = c.mode;
    return change(Correction::kMode, **found, after, c.reason);
  }

  Events operator()(const ChangeLabel& c) const {
    auto found = find(c.key);
    if (!found) return found.error();
    if (!c.label && !c.heading) return invalid("give a new label, a new heading, or both");
    if (c.label && c.label->empty()) return invalid("a label cannot be empty");
    DraftClause after = **found;
    if (c.label) after.label = *c.label;
    if (c.heading) after.heading = *c.heading;
    if (auto taken = check_label_free(s, after, {c.key})) return *taken;
    return change(Correction::kLabel, **found, after, c.reason);
  }

  Events operator()(const SetClauseDeadline& c) const {
    auto found = find(c.key);
    if (!found) return found.error();
    if (auto bad = check_date(c.deadline)) return *bad;
    DraftClause after = **found;
    after.deadline = c.deadline;
    after.deadline_text = c.deadline.value_or("");
    return change(Correction::kDeadline, **found, after, c.reason);
  }

  Events operator()(const SplitClause& c) const {
    auto found = find(c.key);
    if (!found) return found.error();
    const DraftClause& whole = **found;
    if (c.at.empty()) return invalid("say where to split: the text the second clause starts with");
    const auto at = whole.text.find(c.at);
    if (at == std::string::npos || at == 0) {
      return invalid("clause " + c.key + " has no '" + c.at +
                     "' after its start; the second clause must start with text of the first");
    }
    DraftClause first = whole;
    first.text = whole.text.substr(0, at);
    DraftClause second = whole;
    second.key = next_key(s.next_key);
    second.text = whole.text.substr(at);
    second.heading = heading_of(second.text);
    second.label = c.label.value_or(whole.label + "-2");
    if (second.label.empty()) return invalid("a label cannot be empty");
    if (auto taken = check_label_free(s, second, {})) return *taken;
    return one(Correction::kSplit, {whole}, {first, second}, c.reason);
  }

  Events operator()(const MergeClauses& c) const {
    if (c.key == c.other) return invalid("a clause cannot be merged with itself");
    auto a = find(c.key);
    if (!a) return a.error();
    auto b = find(c.other);
    if (!b) return b.error();
    DraftClause merged = **a;
    const DraftClause& o = **b;
    merged.text = merged.text + "\n" + o.text;
    // Leads first, so a unit that leads in either keeps the lead.
    std::vector<task::DraftUnit> units;
    for (auto role : {task::Role::kLead, task::Role::kParticipant}) {
      for (const std::vector<task::DraftUnit>* from :
           {static_cast<const std::vector<task::DraftUnit>*>(&merged.units), &o.units}) {
        for (const auto& u : *from) {
          if (u.role != role) continue;
          auto same = [&](const task::DraftUnit& x) { return x.unit == u.unit; };
          if (std::none_of(units.begin(), units.end(), same)) units.push_back(u);
        }
      }
    }
    merged.units = std::move(units);
    if (o.deadline && (!merged.deadline || *o.deadline > *merged.deadline)) {
      merged.deadline = o.deadline;
      merged.deadline_text = o.deadline_text;
    }
    merged.line = std::min(merged.line, o.line);
    merged.end_line = std::max(merged.end_line, o.end_line);
    merged.confidence = std::min(merged.confidence, o.confidence);
    merged.why.insert(merged.why.end(), o.why.begin(), o.why.end());
    return one(Correction::kMerge, {**a, o}, {merged}, c.reason);
  }

  Events operator()(const DropClause& c) const {
    auto found = find(c.key);
    if (!found) return found.error();
    if (c.reason.empty()) return invalid("say why the clause is dropped (a reason is required)");
    return one(Correction::kDrop, {**found}, {}, c.reason);
  }

  Events operator()(const AddClause& c) const {
    DraftClause added = c.clause;
    added.key = next_key(s.next_key);
    if (added.label.empty()) return invalid("an added clause needs a label");
    if (added.text.empty()) return invalid("an added clause needs its text");
    if (added.line < 1 || added.end_line < added.line) {
      return invalid("an added clause needs its source lines (first >= 1, last >= first)");
    }
    if (added.part.empty() && !s.parts.empty()) added.part = s.parts.front();
    if (added.heading.empty()) added.heading = heading_of(added.text);
    if (auto bad = check_units(added.units)) return *bad;
    if (auto bad = check_date(added.deadline)) return *bad;
    if (added.deadline && added.deadline_text.empty()) added.deadline_text = *added.deadline;
    if (auto taken = check_label_free(s, added, {})) return *taken;
    added.confidence = 1.0;
    added.why.clear();
    return one(Correction::kAdd, {}, {added}, c.reason);
  }

  Events operator()(const ApplyUnitName& c) const {
    const std::string key = gazette::unit_key(c.name);
    std::vector<Event> out;
    for (const DraftClause& clause : s.clauses) {
      DraftClause after = clause;
      std::vector<task::DraftUnit> units;
      for (task::DraftUnit u : clause.units) {
        if (gazette::unit_key(u.mention) == key) u.unit = c.unit;
        auto same = [&](const task::DraftUnit& x) { return x.unit == u.unit; };
        if (std::none_of(units.begin(), units.end(), same)) units.push_back(u);
      }
      after.units = std::move(units);
      if (after == clause) continue;
      out.push_back(DraftCorrected{Correction::kUnitName,
                                   {clause},
                                   {after},
                                   "unit name " + c.name + " means " + c.unit.str()});
    }
    return out;
  }

  Events operator()(const RequireEvidence& c) const {
    if (c.required == s.evidence_required) return std::vector<Event>{};
    return std::vector<Event>{task::DraftEvidenceRequirementSet{c.required, c.reason}};
  }

  Events operator()(const MarkPublished& c) const {
    return std::vector<Event>{task::DraftPublished{s.document_version, c.tasks, now}};
  }
};

}  // namespace

Result<std::vector<Event>> decide(const DraftState& state, const Command& command,
                                  const task::Actor& actor, Timestamp now) {
  if (actor.kind != task::Actor::Kind::kSupervisor) {
    return make_error(errc::kForbidden, "only the supervisor reviews and publishes drafts");
  }
  if (!std::holds_alternative<RecordDraft>(command)) {
    if (!state.exists()) {
      return make_error(errc::kNotFound,
                        "there is no draft of this document (duban ingest FILE --review records "
                        "one; duban drafts lists them)");
    }
    if (state.published) {
      if (std::holds_alternative<MarkPublished>(command)) return std::vector<Event>{};
      return make_error(errc::kIllegalTransition,
                        "the draft of '" + state.document.str() +
                            "' is published; its tasks are live (change them with duban's task "
                            "commands)");
    }
  }
  return std::visit(Decider{state, now}, command);
}

Result<std::vector<Event>> decide(const UnitNames& state, const MapUnitName& command,
                                  const task::Actor& actor) {
  if (actor.kind != task::Actor::Kind::kSupervisor) {
    return make_error(errc::kForbidden, "only the supervisor maps unit names");
  }
  if (gazette::unit_key(command.name).empty()) return invalid("the unit name is empty");
  if (command.unit.empty() || command.unit.str().starts_with(gazette::kUnknownUnitPrefix)) {
    return invalid("map the name to a directory unit, not '" + command.unit.str() + "'");
  }
  if (const UnitId* known = state.find(command.name); known && *known == command.unit) {
    return std::vector<Event>{};
  }
  return std::vector<Event>{task::UnitNameMapped{command.name, command.unit}};
}

}  // namespace duban::draft
