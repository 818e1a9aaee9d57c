#include "app/simulation.h"

namespace duban::app {

std::optional<std::string> refuse_now_without_simulate(std::string_view command, bool has_now,
                                                       bool simulate) {
  if (!has_now || simulate) return std::nullopt;
  return std::string(command) +
         ": --now on a command that writes would record business times that are not the "
         "clock's (and the scorecard trusts them); nothing was written. Leave out --now, or add "
         "--simulate to record a simulation (its events are marked, and duban audit verify "
         "reports the log as a simulation)";
}

Result<SimulationMarks> find_simulated(storage::EventStore& store, GlobalPosition up_to) {
  SimulationMarks marks;
  GlobalPosition next(1);
  while (next <= up_to) {
    auto page = store.read_all(next, 4096);
    if (!page) return page.error();
    if (page->empty()) break;
    for (const auto& r : *page) {
      if (r.position > up_to) return marks;
      if (is_simulated_actor(r.actor)) {
        if (marks.events++ == 0) marks.first = r.position;
      }
      next = r.position.next();
    }
  }
  return marks;
}

Result<storage::AppendResult> SimulationStore::append(const std::string& stream,
                                                      storage::ExpectedVersion expected,
                                                      std::span<const storage::NewEvent> events,
                                                      const CommandId& command_id) {
  std::vector<storage::NewEvent> marked(events.begin(), events.end());
  for (auto& e : marked) {
    if (!is_simulated_actor(e.actor)) e.actor = std::string(kSimulatedActorPrefix) + e.actor;
  }
  return inner_.append(stream, expected, marked, command_id);
}

}  // namespace duban::app
