// Retry timing for deliveries: exponential back-off with jitter, and the Sleeper the notifier
// waits through (a real one in production, one that only records in tests).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

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

// Sleeps the calling thread, until the delay has passed or interrupt() was called (from any
// thread; every later sleep then returns at once), so a stop does not wait out a back-off.
class ThreadSleeper final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds delay) override;
  void interrupt();

 private:
  std::mutex mutex_;
  std::condition_variable woken_;
  bool interrupted_ = false;
};

}  // namespace duban::notify
