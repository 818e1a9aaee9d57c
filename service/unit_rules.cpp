#include "service/unit_rules.h"

#include <variant>

#include "service/unit_directory_log.h"
#include "storage/event_codec.h"
#include "storage/store_errc.h"

namespace duban::service {

Result<task::UnitRules> unit_rules(storage::EventStore& store, const UnitId& unit) {
  auto events = store.read_stream(account::unit_policy_stream_id(unit));
  if (!events) return events.error();
  task::UnitRules rules;
  for (const storage::RecordedEvent& r : *events) {
    auto decoded = storage::decode_event(r);
    if (!decoded) return decoded.error();
    if (const auto* e = std::get_if<account::UnitSignOffRequired>(&*decoded)) {
      rules.sign_off_required = e->required;
    }
  }
  return rules;
}

Result<task::DirectoryFacts> decision_facts(storage::EventStore& store, LogDirectory& directory,
                                            const task::Actor& actor,
                                            std::span<const UnitId> groups) {
  task::DirectoryFacts facts;
  if (actor.kind == task::Actor::Kind::kUnit) {
    auto rules = unit_rules(store, actor.unit);
    if (!rules) return rules.error();
    facts.rules = std::move(rules).value();
  }
  auto units = directory.current();
  if (!units) return units.error();
  auto below = [&](const UnitId& unit) {
    std::vector<UnitId> out;
    for (const std::string& u : (*units)->below(unit.str())) out.emplace_back(u);
    return out;
  };
  if (actor.kind == task::Actor::Kind::kUnit) facts.rules.below = below(actor.unit);
  for (const UnitId& group : groups) {
    std::vector<UnitId> members = below(group);
    if (!members.empty()) facts.groups.emplace_back(group, std::move(members));
  }
  return facts;
}

Result<RuleOutcome> set_unit_sign_off(storage::EventStore& store, const UnitId& unit, bool required,
                                      const task::Actor& actor, const CommandId& command_id,
                                      Timestamp now) {
  if (command_id.empty()) {
    return storage::store_error(storage::StoreErrc::invalid_argument,
                                "a command needs a command id (the key that makes retries safe)");
  }
  const std::string stream = account::unit_policy_stream_id(unit);
  constexpr int kMaxAttempts = 8;
  for (int attempt = 1;; ++attempt) {
    auto events = store.read_stream(stream);
    if (!events) return events.error();
    StreamVersion version;
    bool current = false;
    for (const storage::RecordedEvent& r : *events) {
      if (r.command_id == command_id) return RuleOutcome{r.position, true};  // a retry
      version = r.version;
      auto decoded = storage::decode_event(r);
      if (!decoded) return decoded.error();
      if (const auto* e = std::get_if<account::UnitSignOffRequired>(&*decoded)) {
        current = e->required;
      }
    }
    auto decided = task::decide_sign_off_rule(current, unit, required, actor, now);
    if (!decided) return decided.error();
    if (decided->empty()) return RuleOutcome{};
    std::vector<storage::NewEvent> encoded;
    for (const auto& e : *decided) encoded.push_back(storage::encode_event(task::Event(e), actor));
    auto appended =
        store.append(stream, storage::ExpectedVersion::exactly(version), encoded, command_id);
    if (appended) return RuleOutcome{appended->last, appended->duplicate};
    if (!is(appended.error(), storage::StoreErrc::version_conflict) || attempt >= kMaxAttempts) {
      return appended.error();
    }
  }
}

}  // namespace duban::service
