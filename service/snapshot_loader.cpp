#include "service/snapshot_loader.h"

#include <utility>

#include "service/snapshot_files.h"
#include "storage/hash_chain.h"
#include "storage/store_errc.h"

namespace duban::service {

Result<std::optional<std::string>> check_snapshot_against_log(storage::EventStore& store,
                                                              const SnapshotInfo& info) {
  auto at = store.read_all(info.position, 1);
  if (!at) return at.error();
  const std::string where = "position " + std::to_string(info.position.value());
  if (at->empty() || at->front().position != info.position) {
    auto head = store.head();
    if (!head) return head.error();
    return std::optional<std::string>(
        "it was taken at " + where + " but the log ends at position " +
        std::to_string(head->position.value()) +
        " (the log lost events since, or the snapshot belongs to another store)");
  }
  if (at->front().hash != info.chain_hash) {
    return std::optional<std::string>(
        "it records chain hash " + storage::to_hex(info.chain_hash) + " at " + where +
        " but the log has " + storage::to_hex(at->front().hash) +
        " there (the log was rewritten since, or the snapshot belongs to another store)");
  }
  return std::optional<std::string>();
}

Result<GlobalPosition> catch_up_to(projections::ReadModel& model, storage::EventStore& store,
                                   GlobalPosition until, std::size_t page_size) {
  if (page_size == 0)
    return storage::store_error(storage::StoreErrc::invalid_argument, "page_size must be positive");
  for (;;) {
    const GlobalPosition at = model.checkpoint();
    if (at >= until) return at;
    // Pages of page_size read from at + 1 end exactly at `until` when the distance is a multiple
    // of the page size; the rest goes in one last, smaller page.
    const auto left = static_cast<std::uint64_t>(until.value() - at.value());
    const std::uint64_t page = page_size;
    const GlobalPosition step_until =
        left >= page ? GlobalPosition(at.value() + static_cast<std::int64_t>(left / page * page))
                     : until;
    const std::size_t step_page = left >= page ? page_size : static_cast<std::size_t>(left);
    auto caught = model.catch_up(store, step_until, step_page);
    if (!caught) return caught.error();
    if (*caught < step_until) return *caught;  // the log ends before `until`
  }
}

Result<LoadReport> load_read_model(storage::EventStore& store,
                                   const std::filesystem::path& snapshot_dir,
                                   projections::ReadModel& model, GlobalPosition until) {
  if (model.checkpoint().value() != 0) {
    return storage::store_error(
        storage::StoreErrc::invalid_argument,
        "load_read_model needs an empty read model, this one is at position " +
            std::to_string(model.checkpoint().value()));
  }
  LoadReport report;
  const auto files = list_snapshot_files(snapshot_dir);
  for (auto it = files.rbegin(); it != files.rend(); ++it) {
    if (it->position > until) continue;  // by name; the content is checked again below
    auto snapshot = read_snapshot_file(it->path);
    if (!snapshot) {
      report.refused.push_back("refused " + snapshot.error().message);  // names the file
      continue;
    }
    if (snapshot->info.position > until) {
      report.refused.push_back("skipped " + it->path.string() + ": it holds position " +
                               std::to_string(snapshot->info.position.value()) +
                               ", past the one asked for");
      continue;
    }
    auto mismatch = check_snapshot_against_log(store, snapshot->info);
    if (!mismatch) return mismatch.error();
    if (*mismatch) {
      report.refused.push_back("refused " + it->path.string() + ": " + **mismatch);
      continue;
    }
    report.snapshot = it->path;
    report.snapshot_position = snapshot->info.position;
    model.reset(std::move(snapshot->state));
    break;
  }
  auto caught = catch_up_to(model, store, until);
  if (!caught) return caught.error();
  report.position = *caught;
  return report;
}

}  // namespace duban::service
