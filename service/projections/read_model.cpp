#include "service/projections/read_model.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "model/task/deadline.h"
#include "storage/event_codec.h"

namespace duban::service::projections {

Result<GlobalPosition> ReadModelState::apply(const storage::RecordedEvent& r,
                                             const task::Event& event) {
  return apply(r.position, r.stream, r.version, event);
}

Result<GlobalPosition> ReadModelState::apply(GlobalPosition position, std::string_view stream,
                                             StreamVersion version, const task::Event& event) {
  if (task::is_draft_event(event) || task::is_account_event(event)) {
    // Drafts are read from their own streams (service/drafts.h) and accounts are projected apart
    // (service/account_directory.h); no task projection holds them, so no unit's inbox, task
    // list or scorecard can show one.
    tasks.skip(position);
    inbox.skip(position);
    progress.skip(position);
    overdue.skip(position);
    scorecards.skip(position);
    return position;
  }
  if (task::is_document_event(event)) {
    auto applied = tasks.apply_document_event(position, stream, version, event);
    if (!applied) return applied.error();
    inbox.skip(position);
    progress.skip(position);
    overdue.skip(position);
    scorecards.skip(position);
    return position;
  }
  Before before;
  auto applied = tasks.apply_task_event(position, stream, version, event, before);
  if (!applied) return applied.error();
  const task::TaskState& after = **applied;
  const TaskChange change{position, after.id, event, before, after};
  inbox.apply(change);
  progress.apply(change);
  overdue.apply(change);
  scorecards.apply(change);
  return position;
}

namespace {

// One page of the log, read and decoded, ready to apply. The stream names sit end to end in one
// buffer, so a page costs a handful of allocations besides its events'.
struct DecodedPage {
  struct Entry {
    GlobalPosition position;
    std::size_t stream_at = 0, stream_size = 0;  // in `streams`
    StreamVersion version;
  };
  std::vector<Entry> entries;
  std::vector<task::Event> events;  // events[i] is entries[i]'s
  std::string streams;
  std::size_t read = 0;          // events the store gave, decoded or not
  GlobalPosition last;           // the position of the last of them
  std::optional<Error> failure;  // the read or decode error that ended the page

  std::string_view stream(std::size_t i) const {
    return std::string_view(streams).substr(entries[i].stream_at, entries[i].stream_size);
  }
};

// `p` is a page applied before, or a new one: its buffers are reused. (Freeing a page's
// megabyte-sized vectors made malloc consolidate its free lists each time, a tenth of a
// rebuild.) Not reserved for page_size: most catch-ups read a command's few events.
DecodedPage read_page(storage::EventStore& store, GlobalPosition from, std::size_t page_size,
                      DecodedPage p = {}) {
  p.entries.clear();
  p.events.clear();
  p.streams.clear();
  p.read = 0;
  p.last = GlobalPosition();
  p.failure.reset();
  auto scanned = store.scan_all(from, page_size, [&](const storage::EventView& v) {
    p.last = v.position;
    auto event = storage::decode_event(v.type, v.schema_version, v.payload, v.position);
    if (!event) {
      p.failure = event.error();
      return false;
    }
    p.entries.push_back({v.position, p.streams.size(), v.stream.size(), v.version});
    p.streams.append(v.stream);
    p.events.push_back(std::move(*event));
    return true;
  });
  if (!scanned) {
    p.failure = scanned.error();
  } else {
    p.read = *scanned;
  }
  return p;
}

// Reads pages on a thread of its own while the caller applies the page before. One thread serves
// a whole catch-up: a new thread per page made rebuilds take half as long again in one run out
// of three, depending on where the new threads were scheduled.
class PageReader {
 public:
  PageReader(storage::EventStore& store, std::size_t page_size)
      : store_(store), page_size_(page_size), thread_([this] { run(); }) {}
  PageReader(const PageReader&) = delete;
  PageReader& operator=(const PageReader&) = delete;
  ~PageReader() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();  // after the read under way, if any
  }

  // Starts reading the page at `from`, into the buffers of `spent`.
  void request(GlobalPosition from, DecodedPage spent) {
    {
      std::lock_guard lock(mutex_);
      from_ = from;
      page_ = std::move(spent);
      state_ = State::kRequested;
    }
    wake_.notify_all();
  }

  // The page request() asked for, once read.
  DecodedPage take() {
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return state_ == State::kRead; });
    state_ = State::kIdle;
    return std::move(page_);
  }

 private:
  enum class State { kIdle, kRequested, kRead };

  void run() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop_ || state_ == State::kRequested; });
      if (stop_) return;
      DecodedPage page = std::move(page_);
      const GlobalPosition from = from_;
      lock.unlock();
      try {
        page = read_page(store_, from, page_size_, std::move(page));
      } catch (const std::exception& e) {  // bad_alloc, say: the catch-up fails, not the process
        page.failure = make_error("internal", std::string("reading the log: ") + e.what());
      }
      lock.lock();
      page_ = std::move(page);
      state_ = State::kRead;
      wake_.notify_all();
    }
  }

  storage::EventStore& store_;
  const std::size_t page_size_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  State state_ = State::kIdle;
  GlobalPosition from_;
  DecodedPage page_;
  std::thread thread_;  // last: starts once the members it uses exist
};

}  // namespace

Result<GlobalPosition> ReadModel::catch_up(storage::EventStore& store, GlobalPosition until,
                                           std::size_t page_size) {
  if (checkpoint() >= until) return checkpoint();
  std::lock_guard catching_up(catch_up_mutex_);
  GlobalPosition at = checkpoint();  // only this thread moves it from here on
  if (at >= until) return at;
  // Reading and decoding happen outside the lock, so queries keep running meanwhile.
  DecodedPage page = read_page(store, at.next(), page_size);
  DecodedPage spent;  // the page applied last, read into again on the reading thread
  std::optional<PageReader> reader;
  for (;;) {
    // A full page means the log probably goes on: read and decode the next page on another
    // thread while this one is applied, so a rebuild costs about max(read + decode, apply)
    // rather than their sum. Short catch-ups (a command's own events) never start a thread.
    bool reading = false;
    const bool full = !page.failure && page.read == page_size;
    if (full && page.last < until) {
      if (!reader) reader.emplace(store, page_size);
      // Into the page applied before, so its events are freed on the reading thread and this
      // one spends its time applying.
      reader->request(page.last.next(), std::move(spent));
      reading = true;
    }
    {
      std::unique_lock write(mutex_);
      for (std::size_t i = 0; i < page.events.size(); ++i) {
        const DecodedPage::Entry& e = page.entries[i];
        auto applied = state_.apply(e.position, page.stream(i), e.version, page.events[i]);
        if (!applied) return applied.error();  // `reader` finishes its read and stops
        at = *applied;
      }
    }
    if (page.failure) return *page.failure;
    if (!reading) break;
    spent = std::move(page);
    page = reader->take();
    if (page.read == 0 && !page.failure) break;
  }
  return at;
}

GlobalPosition ReadModel::checkpoint() const {
  std::shared_lock read(mutex_);
  return state_.checkpoint();
}

ReadModelState ReadModel::state() const {
  std::shared_lock read(mutex_);
  return state_;
}

void ReadModel::reset(ReadModelState state) {
  std::lock_guard catching_up(catch_up_mutex_);
  std::unique_lock write(mutex_);
  state_ = std::move(state);
}

std::optional<task::TaskState> ReadModel::task(const TaskId& id) const {
  std::shared_lock read(mutex_);
  const task::TaskState* s = state_.tasks.task(id);
  if (!s) return std::nullopt;
  return *s;
}

task::DocumentState ReadModel::document(const DocumentId& id) const {
  std::shared_lock read(mutex_);
  const task::DocumentState* d = state_.tasks.document(id);
  return d ? *d : task::DocumentState{};
}

std::vector<task::TaskState> ReadModel::tasks_of_document(const DocumentId& id) const {
  std::shared_lock read(mutex_);
  std::vector<task::TaskState> out;
  for (const TaskId& t : state_.tasks.tasks_of(id)) {
    if (const task::TaskState* s = state_.tasks.task(t)) out.push_back(*s);
  }
  return out;
}

std::vector<TaskId> ReadModel::open_tasks_with_deadline() const {
  std::shared_lock read(mutex_);
  std::vector<TaskId> out;
  out.reserve(state_.overdue.by_deadline().size());
  for (const auto& [instant, id] : state_.overdue.by_deadline()) out.push_back(id);
  return out;
}

std::vector<TaskId> ReadModel::open_tasks_with_cycle_only() const {
  std::shared_lock read(mutex_);
  std::vector<TaskId> out;
  for (const auto& [id, s] : state_.tasks.tasks()) {
    if (s.is_open() && !s.deadline && s.reporting_cycle != task::ReportingCycle::kNone) {
      out.push_back(id);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<InboxItem> ReadModel::inbox(const UnitId& unit, AsOf as_of, InboxFilter filter) const {
  std::shared_lock read(mutex_);
  std::vector<InboxItem> out;
  for (const auto& [id, role] : state_.inbox.of(unit)) {
    const task::TaskState* s = state_.tasks.task(id);
    if (!s) continue;
    if (filter == InboxFilter::kOpen && !s->is_open()) continue;
    out.push_back(InboxItem{id, role, s->status, task::light(*s, as_of.now, as_of.yellow_share),
                            s->deadline, s->has_acknowledged(unit), s->provenance.document,
                            s->provenance.label, s->provenance.line, s->provenance.heading});
  }
  std::sort(out.begin(), out.end(), [](const InboxItem& a, const InboxItem& b) {
    return std::tie(a.document, a.line, a.task) < std::tie(b.document, b.line, b.task);
  });
  return out;
}

DocumentProgressRow ReadModel::document_row_locked(const DocumentId& id, AsOf as_of) const {
  DocumentProgressRow row;
  row.document = id;
  if (const task::DocumentState* d = state_.tasks.document(id)) {
    row.number = d->number;
    row.title = d->title;
    row.version = d->document_version;
  }
  row.by_status = state_.progress.of(id);
  for (const TaskId& t : state_.tasks.tasks_of(id)) {
    const task::TaskState* s = state_.tasks.task(t);
    if (!s) continue;
    ++row.tasks;
    ++row.by_light[static_cast<std::size_t>(task::light(*s, as_of.now, as_of.yellow_share))];
  }
  return row;
}

std::vector<DocumentProgressRow> ReadModel::document_progress(AsOf as_of) const {
  std::shared_lock read(mutex_);
  std::vector<DocumentProgressRow> out;
  for (const auto& [id, doc] : state_.tasks.documents()) {
    out.push_back(document_row_locked(id, as_of));
  }
  for (const auto& [id, counts] : state_.progress.documents()) {
    // Tasks ahead of registration.
    if (!state_.tasks.document(id)) out.push_back(document_row_locked(id, as_of));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.document < b.document; });
  return out;
}

std::optional<DocumentProgressRow> ReadModel::document_row(const DocumentId& id, AsOf as_of) const {
  std::shared_lock read(mutex_);
  if (!state_.tasks.document(id) && !state_.progress.documents().contains(id)) {
    return std::nullopt;
  }
  return document_row_locked(id, as_of);
}

std::vector<OverdueItem> ReadModel::overdue(Timestamp now) const {
  return overdue_page(now, std::nullopt, std::numeric_limits<std::size_t>::max(), nullptr).items;
}

ReadModel::OverduePage ReadModel::overdue_page(
    Timestamp now, const std::optional<std::pair<Timestamp, TaskId>>& after, std::size_t limit,
    const std::function<bool(const task::TaskState&)>& keep) const {
  std::shared_lock read(mutex_);
  OverduePage page;
  const auto& index = state_.overdue.by_deadline();
  for (auto it = after ? index.upper_bound(*after) : index.begin(); it != index.end(); ++it) {
    const auto& [instant, id] = *it;
    if (!(now > instant)) break;  // sorted: every later deadline is still ahead
    const task::TaskState* s = state_.tasks.task(id);
    if (!s || (keep && !keep(*s))) continue;
    if (page.items.size() == limit) {
      page.more = true;
      break;
    }
    const auto days = task::days_overdue(instant, now);
    page.items.push_back(OverdueItem{id, s->provenance.document, s->provenance.label,
                                     s->deadline.value_or(""), instant, days, s->status, s->leads,
                                     s->overdue_recorded, s->provenance.heading});
  }
  return page;
}

std::vector<ScorecardRow> ReadModel::scorecards(AsOf as_of) const {
  std::shared_lock read(mutex_);
  std::vector<ScorecardRow> out;
  out.reserve(state_.scorecards.units().size());
  for (const auto& [unit, card] : state_.scorecards.units()) {
    ScorecardRow row{unit, card, 0, 0};
    for (const auto& [id, role] : state_.inbox.of(unit)) {
      const task::TaskState* s = state_.tasks.task(id);
      if (!s || !s->is_open()) continue;
      ++row.open_now;
      if (task::light(*s, as_of.now, as_of.yellow_share) == task::Light::kRed) ++row.red_now;
    }
    out.push_back(std::move(row));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.unit < b.unit; });
  return out;
}

}  // namespace duban::service::projections
