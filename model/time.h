// Time as the domain sees it. The model never reads the clock: callers pass `now` in, and the
// edges (server, CLI) get it from a Clock they were given, so tests can advance a fake one.
#pragma once

#include <chrono>
#include <cstdint>

namespace duban {

// UTC, millisecond precision. Stored as milliseconds since the Unix epoch.
using Timestamp = std::chrono::sys_time<std::chrono::milliseconds>;

inline std::int64_t to_millis(Timestamp t) {
  return t.time_since_epoch().count();
}
inline Timestamp from_millis(std::int64_t ms) {
  return Timestamp(std::chrono::milliseconds(ms));
}

// Thread-safety: implementations must allow concurrent calls to now().
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
};

// A clock that only moves when told to; for tests and for `--now` on the command line.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp t) : t_(t) {}
  Timestamp now() const override { return t_; }
  void advance_to(Timestamp t) { t_ = t; }
  void advance(std::chrono::milliseconds d) { t_ += d; }

 private:
  Timestamp t_;
};

}  // namespace duban
