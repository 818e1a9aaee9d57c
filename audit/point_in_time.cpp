#include "audit/point_in_time.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "service/snapshot_files.h"
#include "storage/hash_chain.h"

namespace duban::audit {

Result<GlobalPosition> position_at_time(storage::EventStore& store,
                                        const std::filesystem::path& snapshot_dir, Timestamp time) {
  // Start after the newest snapshot whose every event was recorded by `time` and that fits
  // this log; without one, at the beginning.
  GlobalPosition at(0);
  const auto files = service::list_snapshot_files(snapshot_dir);
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    auto info = service::read_snapshot_info(it->path);
    if (!info || info->max_recorded_at > time) continue;
    auto mismatch = service::check_snapshot_against_log(store, *info);
    if (!mismatch) return mismatch.error();
    if (*mismatch) continue;
    at = info->position;
    break;
  }
  constexpr std::size_t kPage = 4096;
  for (;;) {
    auto page = store.read_all(at.next(), kPage);
    if (!page) return page.error();
    for (const storage::RecordedEvent& e : *page) {
      if (e.recorded_at > time) return at;
      at = e.position;
    }
    if (page->size() < kPage) return at;
  }
}

Result<PointInTime> state_at(storage::EventStore& store, const std::filesystem::path& snapshot_dir,
                             const Point& point) {
  PointInTime out;
  if (const auto* time = std::get_if<Timestamp>(&point)) {
    auto position = position_at_time(store, snapshot_dir, *time);
    if (!position) return position.error();
    out.position = *position;
    out.as_of = *time;
  } else {
    out.position = std::get<GlobalPosition>(point);
    auto head = store.head();
    if (!head) return head.error();
    if (out.position > head->position || out.position.value() < 0) {
      return make_error("out_of_range", "position " + std::to_string(out.position.value()) +
                                            " is not in the log, which holds positions 1 to " +
                                            std::to_string(head->position.value()));
    }
  }
  out.hash = storage::genesis_hash();
  if (out.position.value() > 0) {
    auto event = store.read_all(out.position, 1);
    if (!event) return event.error();
    if (event->empty()) {
      return make_error("out_of_range",
                        "position " + std::to_string(out.position.value()) + " is not in the log");
    }
    out.recorded_at = event->front().recorded_at;
    out.hash = event->front().hash;
  }
  if (std::holds_alternative<GlobalPosition>(point)) out.as_of = out.recorded_at;

  out.model = std::make_unique<service::projections::ReadModel>();
  if (out.position.value() > 0) {
    auto loaded = service::load_read_model(store, snapshot_dir, *out.model, out.position);
    if (!loaded) return loaded.error();
    if (loaded->position != out.position) {
      return make_error("internal", "the replay stopped at position " +
                                        std::to_string(loaded->position.value()) + ", not " +
                                        std::to_string(out.position.value()));
    }
    out.load = std::move(*loaded);
  }
  return out;
}

Result<std::map<std::string, std::int64_t>> count_events(storage::EventStore& store,
                                                         GlobalPosition after,
                                                         GlobalPosition through) {
  std::map<std::string, std::int64_t> counts;
  constexpr std::size_t kPage = 4096;
  GlobalPosition at = after;
  while (at < through) {
    auto page = store.read_all(at.next(), kPage);
    if (!page) return page.error();
    for (const storage::RecordedEvent& e : *page) {
      if (e.position > through) return counts;
      ++counts[e.type];
      at = e.position;
    }
    if (page->size() < kPage) break;
  }
  return counts;
}

std::vector<const task::TaskState*> tasks_in_document_order(
    const service::projections::ReadModelState& state) {
  std::vector<const task::TaskState*> tasks;
  for (const auto& [id, s] : state.tasks.tasks()) tasks.push_back(&s);
  std::sort(tasks.begin(), tasks.end(), [](const auto* a, const auto* b) {
    return std::tie(a->provenance.document, a->provenance.line, a->id) <
           std::tie(b->provenance.document, b->provenance.line, b->id);
  });
  return tasks;
}

}  // namespace duban::audit
