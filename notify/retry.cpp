#include "notify/retry.h"

#include <algorithm>

namespace duban::notify {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failures,
                                        double unit_random) {
  using ms = std::chrono::milliseconds;
  const long long cap = policy.max_backoff.count();
  long long base = std::max<long long>(policy.initial_backoff.count(), 0);
  for (int i = 1; i < failures && base < cap; ++i) base *= 2;
  base = std::min(base, cap);
  const double r = std::clamp(unit_random, 0.0, 1.0);
  return ms(base / 2 + static_cast<long long>(static_cast<double>(base - base / 2) * r));
}

void ThreadSleeper::sleep_for(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  woken_.wait_for(lock, delay, [this] { return interrupted_; });
}

void ThreadSleeper::interrupt() {
  {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
  }
  woken_.notify_all();
}

}  // namespace duban::notify
