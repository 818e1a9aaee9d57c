// The clock and store of a command that writes (ingest, sweep, serve, deadlines, drafts): --now
// fixes the clock only together with --simulate, and then every appended event is marked as a
// simulation (app/simulation.h explains why).
#pragma once

#include <boost/program_options/variables_map.hpp>
#include <optional>
#include <string_view>

#include "app/simulation.h"
#include "model/time.h"
#include "platform/system_clock.h"

namespace duban::app {

struct WriteClock {
  platform::SystemClock wall;       // stamps what the store records (recorded_at)
  std::optional<FixedClock> fixed;  // --now
  bool simulate = false;            // --simulate
  // The business clock: --now when given, else the system clock.
  const Clock& clock() const {
    return fixed ? static_cast<const Clock&>(*fixed) : static_cast<const Clock&>(wall);
  }
};

// Reads --now and --simulate from `vm` (either may be undeclared). Nullopt after printing why
// ("<command>: …") to stderr: a bad time, or --now without --simulate; exit with kExitUsage.
std::optional<WriteClock> write_clock(const boost::program_options::variables_map& vm,
                                      std::string_view command);

// Where a writing command appends: the store itself, or a SimulationStore over it.
class WriteTarget {
 public:
  WriteTarget(storage::EventStore& store, bool simulate) : store_(store) {
    if (simulate) simulated_.emplace(store);
  }
  storage::EventStore& get() { return simulated_ ? *simulated_ : store_; }

 private:
  storage::EventStore& store_;
  std::optional<SimulationStore> simulated_;
};

}  // namespace duban::app
