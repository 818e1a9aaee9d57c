// Retry timing for deliveries: exponential back-off with jitter, and the Sleeper the notifier
// waits through (a real one in production, one that only records in tests).
#pragma once

#include <chrono>

#include "notify/config.h"

namespace duban::notify {

// The wait after the `failures`-th failed attempt (1 for the first): the base is
// initial_backoff * 2^(failures-1), capped at max_backoff, and the wait is drawn uniformly from
// [base/2, base] by `unit_random` in [0, 1) ("equal jitter": never a thundering herd, never
// less than half the base). Pure.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failures,
                                        double unit_random);

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void sleep_for(std::chrono::milliseconds delay) = 0;
};

// Sleeps the calling thread.
class ThreadSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds delay) override;
};

}  // namespace duban::notify
