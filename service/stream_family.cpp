#include "service/stream_family.h"

#include <chrono>

#include "storage/event_codec.h"

namespace duban::service {
namespace {

constexpr std::size_t kPage = 1024;

}  // namespace

Result<GlobalPosition> StreamFamily::catch_up() {
  std::lock_guard one(catch_up_mutex_);
  GlobalPosition at = checkpoint();
  for (;;) {
    auto page = store_.read_all(at.next(), kPage);
    if (!page) return page.error();
    std::vector<FamilyEvent> found;
    for (const storage::RecordedEvent& r : *page) {
      if (r.stream.rfind(prefix_, 0) != 0) continue;
      auto decoded = storage::decode_event(r);
      if (!decoded) return decoded.error();
      found.push_back(FamilyEvent{r.stream.substr(prefix_.size()), &r, std::move(*decoded)});
    }
    if (auto failed = fold_(found)) return *failed;
    if (!page->empty()) {
      at = page->back().position;
      checkpoint_.store(at.value());
    }
    if (page->size() < kPage) return at;
  }
}

Result<GlobalPosition> StreamFamily::catch_up_if_moved() {
  const GlobalPosition at = checkpoint();
  const bool moved = GlobalPosition(observed_.load()) > at ||
                     store_.wait_for_position(at, std::chrono::milliseconds(0)) > at;
  if (!moved) return at;
  return catch_up();
}

void StreamFamily::observe(GlobalPosition head) {
  std::int64_t seen = observed_.load();
  while (head.value() > seen && !observed_.compare_exchange_weak(seen, head.value())) {
  }
}

}  // namespace duban::service
