// The wall clock, for the composition roots only (app/, tools/): main() and the subcommands hand
// it to the store and the service as a duban::Clock, so everything below them stays testable
// with a FixedClock (and `--now`).
#pragma once

#include <chrono>

#include "model/time.h"

namespace duban::platform {

// Thread-safety: now() may be called concurrently.
class SystemClock final : public Clock {
 public:
  Timestamp now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

}  // namespace duban::platform
