// snapshot_bench: server start-up time with a large log, from a snapshot taken near the head
// versus a full replay, both through service::load_read_model() (what `duban serve` calls).
//
// Setup (not timed): a fresh SQLite store in a temp dir is filled with --events events: task
// lifecycles decided by the real domain (task::decide/apply) — created and assigned, acknowledged,
// progress, sometimes urged, extended, returned, cancelled, mostly completed and approved — over
// 60 units and one document per 250 tasks, each lifecycle appended as one command from --writers
// threads (group commit). Then a snapshot is written at head - --tail events.
//
// Rows (best of --repeat, page cache warm for both):
//   full replay      load_read_model() with no snapshot: read, decode and apply every event
//   from snapshot    load_read_model() with the snapshot: read + check + decode the snapshot file,
//                    then replay the --tail events after it
// and their ratio. Both results are compared with operator== (they must be equal).
//
// Usage: snapshot_bench [--events N=1000000] [--tail N=10000] [--writers N=8] [--repeat N=3]
//                       [--dir DIR=/tmp] [--keep] (keep the store and snapshot for inspection)
#include <stdlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "model/task/apply.h"
#include "model/task/deadline.h"
#include "model/task/decide.h"
#include "platform/system_clock.h"
#include "service/projections/read_model.h"
#include "service/snapshot_files.h"
#include "service/snapshot_loader.h"
#include "storage/event_codec.h"
#include "storage/sqlite_event_store.h"

namespace {

using namespace duban;
using namespace duban::storage;
using namespace duban::service;
using Steady = std::chrono::steady_clock;

struct Options {
  std::int64_t events = 1'000'000;
  std::int64_t tail = 10'000;
  int writers = 8;
  int repeat = 3;
  std::string dir = "/tmp";
  bool keep = false;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--events")
      o.events = std::stoll(next());
    else if (a == "--tail")
      o.tail = std::stoll(next());
    else if (a == "--writers")
      o.writers = std::stoi(next());
    else if (a == "--repeat")
      o.repeat = std::stoi(next());
    else if (a == "--dir")
      o.dir = next();
    else if (a == "--keep")
      o.keep = true;
    else
      throw std::invalid_argument("unknown option " + a);
  }
  if (o.events < 1 || o.tail < 0 || o.tail >= o.events || o.writers < 1 || o.repeat < 1) {
    throw std::invalid_argument(
        "need --events >= 1, 0 <= --tail < --events, positive --writers/--repeat");
  }
  return o;
}

Timestamp utc(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

const std::string kClause =
    "建立产品质量信用信息异地和部门间共享机制。以食品尤其是清真食品、药品、日用消费品、农产品和"
    "农业投入品为重点，加强各类生产经营主体生产和加工环节的信用管理。（省质监局牵头，省商务厅参加"
    "）";

// One task's whole lifecycle, decided command by command by the domain.
class Lifecycle {
 public:
  explicit Lifecycle(std::uint32_t seed) : rng_(seed) {}

  std::vector<task::Event> of(std::int64_t n) {
    events_.clear();
    state_ = task::TaskState{};
    now_ = utc(2016, 1, 1) + std::chrono::hours(n % 5000);
    const std::string doc = "doc-" + std::to_string(n / 250);
    const std::string label = std::to_string(n % 250 + 1) + ".";
    const TaskId id(doc + "|任务分工|" + label);
    auto unit = [&] { return UnitId("unit-" + std::to_string(rng_() % 60)); };
    task::CreateTask create;
    create.task = id;
    create.provenance = task::Provenance{DocumentId(doc),
                                         1,
                                         "任务分工",
                                         label,
                                         "建立产品质量信用信息共享机制",
                                         kClause,
                                         static_cast<int>(n % 250) * 3 + 10,
                                         static_cast<int>(n % 250) * 3 + 12};
    create.mode = rng_() % 5 == 0 ? task::Mode::kSeparately : task::Mode::kLead;
    while (create.leads.size() < 1 + rng_() % 2) {
      UnitId u = unit();
      if (std::find(create.leads.begin(), create.leads.end(), u) == create.leads.end())
        create.leads.push_back(u);
    }
    UnitId p = unit();
    if (std::find(create.leads.begin(), create.leads.end(), p) == create.leads.end())
      create.participants.push_back(p);
    if (rng_() % 10 < 7) create.deadline = rng_() % 2 ? "2016-06-30" : "2016-12-31";
    run(create, task::Actor::supervisor());
    for (const auto& u : state_.leads) run(task::AcknowledgeTask{id}, task::Actor::of_unit(u));
    for (unsigned i = 0; i < 1 + rng_() % 3; ++i) {
      run(task::ReportProgress{id, "按计划推进", static_cast<int>(25 * (i + 1))},
          task::Actor::of_unit(state_.leads[0]));
    }
    if (rng_() % 4 == 0)
      run(task::UrgeTask{id, std::nullopt, "请加快进度"}, task::Actor::supervisor());
    if (state_.deadline && rng_() % 6 == 0) {
      run(task::RequestExtension{id, "2017-06-30", "需协调多部门"},
          task::Actor::of_unit(state_.leads[0]));
      run(task::ApproveExtension{id, std::nullopt}, task::Actor::supervisor());
    }
    const unsigned fate = rng_() % 20;
    if (fate < 2) {
      run(task::CancelTask{id, "条款撤销", std::nullopt}, task::Actor::supervisor());
    } else if (fate >= 5) {
      const bool separately = state_.mode == task::Mode::kSeparately;
      const std::vector<UnitId> reporters =
          separately ? state_.leads : std::vector<UnitId>{state_.leads[0]};
      for (const auto& u : reporters) {
        run(task::ReportCompletion{id, "已完成"}, task::Actor::of_unit(u));
        if (rng_() % 5 == 0) {
          run(task::ReturnTask{id, separately ? std::optional<UnitId>(u) : std::nullopt,
                               "材料不全"},
              task::Actor::supervisor());
          run(task::ReportCompletion{id, "已补充材料"}, task::Actor::of_unit(u));
        }
        run(task::ApproveCompletion{id, separately ? std::optional<UnitId>(u) : std::nullopt},
            task::Actor::supervisor());
      }
    }
    return std::move(events_);
  }

 private:
  void run(const task::Command& c, const task::Actor& actor) {
    now_ += std::chrono::hours(1 + rng_() % 200);
    auto decided = task::decide(state_, c, actor, now_);
    if (!decided)
      throw std::logic_error(std::string(task::command_name(c)) + ": " + decided.error().message);
    for (auto& e : *decided) {
      state_ = task::apply(std::move(state_), e);
      events_.push_back(std::move(e));
    }
  }

  std::mt19937 rng_;
  task::TaskState state_;
  std::vector<task::Event> events_;
  Timestamp now_;
};

double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

// Appends lifecycles until at least `target` events are in; returns how many.
std::int64_t fill(EventStore& store, const Options& o) {
  std::atomic<std::int64_t> next_task{0}, appended{0};
  std::mutex error_mutex;
  std::string error;
  std::vector<std::thread> writers;
  for (int w = 0; w < o.writers; ++w) {
    writers.emplace_back([&, w] {
      Lifecycle gen(20150820u + static_cast<std::uint32_t>(w));
      std::vector<NewEvent> batch;
      while (appended.load() < o.events) {
        const std::int64_t n = next_task++;
        batch.clear();
        for (const auto& e : gen.of(n)) batch.push_back(encode_event(e, task::Actor::supervisor()));
        std::string id = "bench-";
        id += std::to_string(n);
        const auto stream = "task/doc-" + std::to_string(n / 250) + "|任务分工|" +
                            std::to_string(n % 250 + 1) + ".";
        auto r =
            store.append(stream, ExpectedVersion::no_stream(), batch, CommandId(std::move(id)));
        if (!r) {
          std::lock_guard lock(error_mutex);
          error = r.error().message;
          return;
        }
        appended += static_cast<std::int64_t>(batch.size());
      }
    });
  }
  for (auto& t : writers) t.join();
  if (!error.empty()) throw std::runtime_error("append failed: " + error);
  return appended.load();
}

struct Timed {
  double seconds = 0;
  LoadReport report;
  projections::ReadModelState state;
};

Timed start_up(EventStore& store, const std::filesystem::path& snapshots) {
  projections::ReadModel model;
  const auto t0 = Steady::now();
  auto loaded = load_read_model(store, snapshots, model);
  const double s = seconds_since(t0);
  if (!loaded) throw std::runtime_error("load_read_model: " + loaded.error().message);
  if (!loaded->refused.empty())
    throw std::runtime_error("snapshot refused: " + loaded->refused.front());
  return Timed{s, std::move(*loaded), model.state()};
}

int run(const Options& o) {
  std::string tmpl = o.dir + "/duban-snapshot-bench-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed in " + o.dir);
  const std::filesystem::path dir(tmpl);
  const auto db = (dir / "events.db").string();
  const auto snapshots = dir / "snapshots";
  platform::SystemClock clock;
  {
    auto opened = SqliteEventStore::open({.path = db}, clock);
    if (!opened) throw std::runtime_error(opened.error().message);
    const auto t0 = Steady::now();
    const std::int64_t n = fill(**opened, o);
    std::printf("setup: %lld events appended in %.1f s\n", static_cast<long long>(n),
                seconds_since(t0));
  }
  auto opened = SqliteEventStore::open({.path = db, .mode = SqliteOptions::Mode::read_only}, clock);
  if (!opened) throw std::runtime_error(opened.error().message);
  EventStore& store = **opened;
  auto head = store.head();
  if (!head) throw std::runtime_error(head.error().message);

  // The snapshot, `tail` events before the head.
  const GlobalPosition at(head->position.value() - o.tail);
  {
    projections::ReadModel model;
    auto caught = catch_up_to(model, store, at);
    if (!caught || *caught != at)
      throw std::runtime_error("could not replay to the snapshot position");
    auto event = store.read_all(at, 1);
    if (!event || event->empty()) throw std::runtime_error("no event at the snapshot position");
    const SnapshotInfo info{at, event->front().hash, clock.now(), event->front().recorded_at,
                            event->front().recorded_at};
    const auto t0 = Steady::now();
    auto written = write_snapshot_file(snapshots, info, model.state());
    if (!written) throw std::runtime_error(written.error().message);
    std::printf("snapshot at position %lld (%zu tasks): %.1f MB written in %.2f s\n",
                static_cast<long long>(at.value()), model.state().tasks.tasks().size(),
                std::filesystem::file_size(*written) / 1e6, seconds_since(t0));
  }

  // The snapshot file alone: read, checksum, validate and decode into projections.
  double decode_best = 1e30;
  for (int i = 0; i < o.repeat; ++i) {
    const auto t0 = Steady::now();
    auto decoded = read_snapshot_file(list_snapshot_files(snapshots).back().path);
    if (!decoded) throw std::runtime_error(decoded.error().message);
    decode_best = std::min(decode_best, seconds_since(t0));
  }

  Timed full, from_snapshot;
  full.seconds = from_snapshot.seconds = 1e30;
  for (int i = 0; i < o.repeat; ++i) {
    Timed f = start_up(store, dir / "no-snapshots");
    if (f.seconds < full.seconds) full = std::move(f);
    Timed s = start_up(store, snapshots);
    if (s.seconds < from_snapshot.seconds) from_snapshot = std::move(s);
  }
  if (!from_snapshot.report.snapshot) throw std::runtime_error("the snapshot was not used");
  if (!(from_snapshot.state == full.state))
    throw std::runtime_error("snapshot + tail differs from a full replay");

  const double events = static_cast<double>(head->position.value());
  std::printf("\n%-16s %12s %12s %14s\n", "start-up", "seconds", "replayed", "vs full replay");
  std::printf("%-16s %12.3f %12lld %13.1fx\n", "full replay", full.seconds,
              static_cast<long long>(head->position.value()), 1.0);
  std::printf("%-16s %12.3f %12lld %13.1fx\n", "from snapshot", from_snapshot.seconds,
              static_cast<long long>(o.tail), full.seconds / from_snapshot.seconds);
  std::printf(
      "\nfull replay %.0f events/s; from snapshot %.1f%% of the full replay's time, of "
      "which %.3f s reading and decoding the snapshot file; the two states are equal\n",
      events / full.seconds, 100.0 * from_snapshot.seconds / full.seconds, decode_best);
  if (o.keep) {
    std::printf("kept %s\n", dir.c_str());
  } else {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "snapshot_bench: %s\n", e.what());
    return 1;
  }
}
