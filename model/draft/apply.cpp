// Folding draft and unit-name events. Like task::apply, total: events are facts.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "model/draft/draft_state.h"
#include "model/gazette/units.h"

namespace duban::draft {

namespace {

// "c12" -> 12; 0 for anything else.
int key_number(const std::string& key) {
  if (key.size() < 2 || key[0] != 'c') return 0;
  int n = 0;
  for (std::size_t i = 1; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return 0;
    n = n * 10 + (key[i] - '0');
  }
  return n;
}

void note_keys(DraftState& s, const std::vector<task::DraftClause>& clauses) {
  for (const auto& c : clauses) s.next_key = std::max(s.next_key, key_number(c.key) + 1);
}

void on(DraftState& s, const task::DraftRecorded& e) {
  s.document = e.document;
  s.number = e.number;
  s.title = e.title;
  s.issuer = e.issuer;
  s.signed_date = e.signed_date;
  s.parts = e.parts;
  s.document_version = e.version;
  s.content_hash = e.content_hash;
  s.clauses = e.clauses;
  s.read = e.clauses;
  s.corrected.clear();
  s.corrections = 0;
  s.published = false;
  s.tasks.clear();
  note_keys(s, e.clauses);
}

void on(DraftState& s, const task::DraftCorrected& e) {
  // The replacement goes where the first replaced clause was; an added clause goes by its line.
  auto at = s.clauses.end();
  if (!e.before.empty()) {
    at = std::find_if(s.clauses.begin(), s.clauses.end(),
                      [&](const auto& c) { return c.key == e.before.front().key; });
  }
  std::size_t index = static_cast<std::size_t>(at - s.clauses.begin());
  if (e.before.empty() && !e.after.empty()) {
    index = 0;
    while (index < s.clauses.size() && s.clauses[index].line <= e.after.front().line) ++index;
  }
  for (const auto& b : e.before) {
    auto it = std::find_if(s.clauses.begin(), s.clauses.end(),
                           [&](const auto& c) { return c.key == b.key; });
    if (it == s.clauses.end()) continue;
    if (static_cast<std::size_t>(it - s.clauses.begin()) < index) --index;
    s.clauses.erase(it);
    s.corrected.erase(b.key);
  }
  index = std::min(index, s.clauses.size());
  s.clauses.insert(s.clauses.begin() + static_cast<std::ptrdiff_t>(index), e.after.begin(),
                   e.after.end());
  for (const auto& a : e.after) s.corrected.insert(a.key);
  note_keys(s, e.after);
  ++s.corrections;
}

void on(DraftState& s, const task::DraftEvidenceRequirementSet& e) {
  s.evidence_required = e.required;
}

void on(DraftState& s, const task::DraftPublished& e) {
  s.published = true;
  s.tasks = e.tasks;
}

}  // namespace

const task::DraftClause* DraftState::clause(const std::string& key) const {
  for (const auto& c : clauses) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

const task::DraftClause* DraftState::read_clause(const std::string& key) const {
  for (const auto& c : read) {
    if (c.key == key) return &c;
  }
  return nullptr;
}

bool is_doubtful(const DraftState& draft, const task::DraftClause& clause) {
  return clause.confidence < kDoubtfulBelow && draft.corrected.count(clause.key) == 0;
}

const UnitId* UnitNames::find(const std::string& mention) const {
  auto it = by_name.find(gazette::unit_key(mention));
  return it == by_name.end() ? nullptr : &it->second;
}

DraftState apply(DraftState state, const task::Event& event) {
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, task::DraftRecorded> ||
                      std::is_same_v<E, task::DraftCorrected> ||
                      std::is_same_v<E, task::DraftPublished> ||
                      std::is_same_v<E, task::DraftEvidenceRequirementSet>) {
          on(state, e);
        } else {
          throw std::logic_error("draft::apply: " + std::string(E::kType) +
                                 " does not belong to a draft stream");
        }
      },
      event);
  state.version = state.version.next();
  return state;
}

UnitNames apply(UnitNames state, const task::Event& event) {
  const auto* e = std::get_if<task::UnitNameMapped>(&event);
  if (e == nullptr) {
    throw std::logic_error("draft::apply: " + std::string(task::event_type_name(event)) +
                           " does not belong to the unit-names stream");
  }
  state.by_name[gazette::unit_key(e->name)] = e->unit;
  state.version = state.version.next();
  return state;
}

}  // namespace duban::draft
