#include "audit/draft_history.h"

#include <set>

#include "model/task/streams.h"
#include "storage/event_codec.h"

namespace duban::audit {

namespace {

bool touches(const std::vector<task::DraftClause>& clauses, const std::set<std::string>& keys) {
  for (const auto& c : clauses)
    if (keys.count(c.key)) return true;
  return false;
}

std::string texts(const std::vector<task::DraftClause>& clauses, const UnitNamer& name,
                  const std::set<std::string>* only = nullptr) {
  std::string out;
  for (const auto& c : clauses) {
    if (only && !only->count(c.key)) continue;
    out += (out.empty() ? "" : " | ") + clause_text(c, name);
  }
  return out;
}

}  // namespace

Result<DraftClauseHistory> draft_clause_history(storage::EventStore& store,
                                                const DocumentId& document,
                                                const std::string& clause, const UnitNamer& name) {
  auto recorded = store.read_stream(task::draft_stream_id(document));
  if (!recorded) return recorded.error();
  std::vector<task::Event> events;
  for (const auto& r : *recorded) {
    auto e = storage::decode_event(r);
    if (!e) return e.error();
    events.push_back(std::move(*e));
  }
  // Walk back from the clause to the clauses it came from (split, merge).
  std::set<std::string> keys{clause};
  std::vector<bool> included(events.size(), false);
  for (std::size_t i = events.size(); i-- > 0;) {
    if (const auto* c = std::get_if<task::DraftCorrected>(&events[i])) {
      if (touches(c->after, keys) || touches(c->before, keys)) {
        included[i] = true;
        for (const auto& b : c->before) keys.insert(b.key);
      }
    } else if (const auto* d = std::get_if<task::DraftRecorded>(&events[i])) {
      included[i] = touches(d->clauses, keys);
    } else if (std::holds_alternative<task::DraftPublished>(events[i])) {
      included[i] = true;
    }
  }
  DraftClauseHistory out{document, clause, {}};
  bool any = false;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (!included[i]) continue;
    const auto& r = (*recorded)[i];
    DraftHistoryEntry entry{r.position, r.recorded_at, r.actor, r.type, "", "", "", "", events[i]};
    if (const auto* d = std::get_if<task::DraftRecorded>(&events[i])) {
      entry.kind = "reading";
      entry.after = texts(d->clauses, name, &keys);
      any = true;
    } else if (const auto* c = std::get_if<task::DraftCorrected>(&events[i])) {
      entry.kind = std::string(task::to_string(c->kind));
      entry.before = texts(c->before, name);
      entry.after = texts(c->after, name);
      entry.reason = c->reason;
      any = true;
    } else if (const auto* p = std::get_if<task::DraftPublished>(&events[i])) {
      if (!any) continue;
      entry.kind = "publish";
      entry.after = describe_event(*p, name);
    }
    out.entries.push_back(std::move(entry));
  }
  if (!any) {
    return make_error("not_found", "the draft of '" + document.str() + "' has no clause '" +
                                       clause + "' (duban drafts show lists them)");
  }
  return out;
}

}  // namespace duban::audit
