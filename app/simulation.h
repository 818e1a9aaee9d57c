// Simulations: `--now` on a command that writes (ingest, sweep, serve) records business times
// that are not the clock's (deadlines swept, overdue flags, created_at…), which a scorecard
// trusts. So such a command refuses --now unless told --simulate, and then marks every event it
// appends: the envelope's actor becomes "simulation:<actor>". The actor is in the hash chain, so
// the mark cannot be removed without `duban audit verify` noticing, and `duban audit verify`
// reports a log holding marked events as a simulation (`history` shows the marked actors).
//
// Thread-safety: SimulationStore forwards to the wrapped store and is as thread-safe as it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/event_store.h"

namespace duban::app {

// The prefix of a simulated event's actor.
inline constexpr std::string_view kSimulatedActorPrefix = "simulation:";

// True when `actor` (an envelope's) was written by a --simulate run.
inline bool is_simulated_actor(std::string_view actor) {
  return actor.starts_with(kSimulatedActorPrefix);
}

// The message for a writing command given --now without --simulate; nullopt when allowed.
// `command` is e.g. "duban ingest".
std::optional<std::string> refuse_now_without_simulate(std::string_view command, bool has_now,
                                                       bool simulate);

// The help line of --simulate.
inline constexpr const char* kSimulateHelp =
    "allow --now on this command, which writes: every event it appends is marked as a "
    "simulation (actor simulation:…), and duban audit verify reports the log as a simulation";

// The simulated events of a log up to `up_to`: how many, and the first one's position.
struct SimulationMarks {
  std::int64_t events = 0;
  GlobalPosition first;
};
Result<SimulationMarks> find_simulated(storage::EventStore& store, GlobalPosition up_to);

// An EventStore that marks every appended event as simulated and forwards everything else.
class SimulationStore final : public storage::EventStore {
 public:
  explicit SimulationStore(storage::EventStore& inner) : inner_(inner) {}

  Result<storage::AppendResult> append(const std::string& stream, storage::ExpectedVersion expected,
                                       std::span<const storage::NewEvent> events,
                                       const CommandId& command_id) override;
  Result<std::vector<storage::RecordedEvent>> read_stream(const std::string& stream,
                                                          StreamVersion from_version) override {
    return inner_.read_stream(stream, from_version);
  }
  Result<std::vector<storage::RecordedEvent>> read_all(GlobalPosition from_position,
                                                       std::size_t max_count) override {
    return inner_.read_all(from_position, max_count);
  }
  Result<storage::Head> head() override { return inner_.head(); }
  GlobalPosition wait_for_position(GlobalPosition after,
                                   std::chrono::milliseconds timeout) override {
    return inner_.wait_for_position(after, timeout);
  }

 private:
  storage::EventStore& inner_;
};

}  // namespace duban::app
