#include "storage/log_copy.h"

#include <algorithm>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "storage/hash_chain.h"
#include "storage/store_errc.h"

namespace duban::storage {
namespace {

Error reading(const char* which, const Error& e) {
  return Error{e.code, std::string("reading the ") + which + ": " + e.message};
}

std::string pos(GlobalPosition p) {
  return std::to_string(p.value());
}

// The source's events from a position up to the copy's end, read in pages, handed out in
// batches that end at a command boundary.
class BatchReader {
 public:
  BatchReader(EventStore& source, GlobalPosition from, GlobalPosition end, std::size_t batch)
      : source_(source), next_(from), end_(end), batch_(batch) {}

  // The next batch (empty at the end). Views into the reader: valid until the next call.
  Result<std::span<const RecordedEvent>> next() {
    if (start_ >= batch_) {  // drop what was handed out, keep the read-ahead
      buf_.erase(buf_.begin(), buf_.begin() + static_cast<std::ptrdiff_t>(start_));
      start_ = 0;
    }
    // One event more than a batch, to see whether the batch's last command ends inside it.
    if (auto err = fill(batch_ + 1)) return *err;
    std::size_t avail = buf_.size() - start_;
    if (avail == 0) return std::span<const RecordedEvent>();
    std::size_t k = std::min(batch_, avail);
    while (k > 0 && !boundary_after(k, avail)) --k;
    if (k == 0) {
      // One command longer than a batch: it goes alone, however long.
      k = 1;
      for (;;) {
        if (k == avail) {
          if (done()) break;
          if (auto err = fill(avail + batch_)) return *err;
          avail = buf_.size() - start_;
          if (k == avail) break;
          continue;
        }
        if (boundary_after(k, avail)) break;
        ++k;
      }
    }
    std::span<const RecordedEvent> out(buf_.data() + start_, k);
    start_ += k;
    return out;
  }

 private:
  bool done() const { return next_ > end_; }

  // True when the k-th buffered event (from start_) ends a command.
  bool boundary_after(std::size_t k, std::size_t avail) const {
    if (k == avail) return done();
    return buf_[start_ + k].command_id != buf_[start_ + k - 1].command_id;
  }

  std::optional<Error> fill(std::size_t want) {
    while (buf_.size() - start_ < want && !done()) {
      const auto left = static_cast<std::size_t>(end_.value() - next_.value() + 1);
      auto page = source_.read_all(next_, std::min(batch_, left));
      if (!page) return reading("source", page.error());
      if (page->empty()) {
        return store_error(StoreErrc::corrupt, "the source has no event at position " + pos(next_) +
                                                   " although its head was at " + pos(end_));
      }
      for (RecordedEvent& e : *page) {
        if (e.position > end_) break;
        buf_.push_back(std::move(e));
      }
      // Past the last event read (a gap in the source shows up as a refused import).
      next_ = page->back().position.next();
    }
    return std::nullopt;
  }

  EventStore& source_;
  GlobalPosition next_;  // the next position to read
  const GlobalPosition end_;
  const std::size_t batch_;
  std::vector<RecordedEvent> buf_;
  std::size_t start_ = 0;  // buf_[start_..] not handed out yet
};

}  // namespace

Result<LogCopyProgress> plan_log_copy(EventStore& source, EventStore& target) {
  auto source_head = source.head();
  if (!source_head) return reading("source", source_head.error());
  auto target_head = target.head();
  if (!target_head) return reading("target", target_head.error());
  const GlobalPosition s = source_head->position;
  const GlobalPosition t = target_head->position;
  if (t > s) {
    return store_error(StoreErrc::version_conflict,
                       "the target already holds " + pos(t) + " events, more than the source's " +
                           pos(s) +
                           ": it is not a copy of this source; nothing was copied. Copy into an "
                           "empty database instead (or check that --from names the right source)");
  }
  if (t.value() > 0) {
    auto at = source.read_all(t, 1);
    if (!at) return reading("source", at.error());
    if (at->empty() || at->front().position != t) {
      return store_error(StoreErrc::corrupt, "the source has no event at position " + pos(t) +
                                                 " although its head is at " + pos(s));
    }
    if (at->front().hash != target_head->hash) {
      return store_error(
          StoreErrc::version_conflict,
          "the target already holds " + pos(t) + " events, but its event " + pos(t) + " has hash " +
              to_hex(target_head->hash) + " where the source's has " + to_hex(at->front().hash) +
              ": the target holds a different log; nothing was copied. Copy into an empty "
              "database instead");
    }
  }
  return LogCopyProgress{*source_head, t, 0, s.value() - t.value(), *target_head};
}

Result<LogCopyProgress> copy_log(EventStore& source, PostgresEventStore& target,
                                 const LogCopyOptions& options) {
  if (options.batch_events == 0) {
    return store_error(StoreErrc::invalid_argument, "batch_events must be at least 1");
  }
  auto planned = plan_log_copy(source, target);
  if (!planned) return planned.error();
  LogCopyProgress progress = std::move(*planned);
  if (options.on_progress) options.on_progress(progress);

  BatchReader reader(source, progress.resumed_after.next(), progress.source_head.position,
                     options.batch_events);
  for (;;) {
    auto batch = reader.next();
    if (!batch) return batch.error();
    if (batch->empty()) break;
    auto imported = target.import(*batch);
    if (!imported) return imported.error();
    progress.copied += imported->events;
    progress.target_head = std::move(imported->head);
    if (options.on_progress) options.on_progress(progress);
  }
  if (progress.target_head.position != progress.source_head.position ||
      progress.target_head.hash != progress.source_head.hash) {
    return store_error(
        StoreErrc::corrupt,
        "the copy ends at position " + pos(progress.target_head.position) + " with hash " +
            to_hex(progress.target_head.hash) + " but the source's head was position " +
            pos(progress.source_head.position) + " with hash " + to_hex(progress.source_head.hash));
  }
  return progress;
}

}  // namespace duban::storage
