// replay_bench: how fast the projections rebuild from the event log, next to the cost of merely
// reading and decoding that log.
//
// Setup (not timed into the rows): a fresh SQLite store in a temp dir is filled with --events
// realistic events by tools/bench/lifecycle_writer.h (task lifecycles decided by the real domain
// over 60 units, one command per append from --writers threads, streams interleaved; group
// commit batches the concurrent appends: the setup is a bulk load, not a latency test).
//
// Rows, each reading the whole log from position 1 in pages of --page events:
//   read            EventStore::read_all only (SQLite and copying rows out)
//   read_all+decode the same plus decode_event() of every payload
//   read+decode     EventStore::scan_all (the row's bytes lent, not copied) and decode_event():
//                   the raw loop of a replay, which the rebuild is compared with
//   rebuild         ReadModel::catch_up() into an empty model: read, decode, task::apply, and
//                   every projection (inbox, progress, overdue, scorecards); the next page is
//                   read and decoded on a second thread while one is applied
//   apply           the folding alone: the whole log decoded beforehand (held in memory), then
//                   ReadModelState::apply of every event on one thread (what the rebuild's
//                   applying thread does)
// The ratio column compares each row with read+decode; the target is rebuild >= 1,000,000
// events/s and >= 0.5x read+decode. Wall seconds suffer when the machine is shared (the rebuild
// needs both cores), so each row also gives its CPU seconds (process CPU for the rebuild's two
// threads, the thread's own for the others) and events per CPU second.
//
// Usage: replay_bench [--events N=1000000] [--page N=4096] [--writers N=64] [--dir DIR=/tmp]
//                     [--repeat N=3] (the best of N runs per row is reported)
//                     [--db PATH] (use and keep this store; fill it only when empty, so repeated
//                     runs and profilers skip the setup)
//                     [--rows read,read_all+decode,read+decode,rebuild,apply] (run only these rows,
//                     e.g. under perf record)
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "platform/system_clock.h"
#include "service/projections/read_model.h"
#include "storage/event_codec.h"
#include "storage/sqlite_event_store.h"
#include "tools/bench/lifecycle_writer.h"

namespace {

using namespace duban;
using namespace duban::storage;
using namespace duban::service;
using Steady = std::chrono::steady_clock;

struct Options {
  std::int64_t events = 1'000'000;
  std::size_t page = 4096;
  int writers = 64;
  int repeat = 3;
  std::string dir = "/tmp";
  std::string db;  // when set: use and keep this store, filling it only if it is empty
  std::string rows =
      "read,read_all+decode,read+decode,rebuild,apply";  // which rows to run (a profiler wants one)
  bool wants(std::string_view row) const {
    return ("," + rows + ",").find("," + std::string(row) + ",") != std::string::npos;
  }
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
    else if (a == "--page")
      o.page = std::stoul(next());
    else if (a == "--writers")
      o.writers = std::stoi(next());
    else if (a == "--repeat")
      o.repeat = std::stoi(next());
    else if (a == "--dir")
      o.dir = next();
    else if (a == "--db")
      o.db = next();
    else if (a == "--rows")
      o.rows = next();
    else
      throw std::invalid_argument("unknown option " + a);
  }
  if (o.events < 1 || o.page < 1 || o.writers < 1 || o.repeat < 1) {
    throw std::invalid_argument("--events, --page, --writers and --repeat must be positive");
  }
  return o;
}

double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

double cpu_seconds(clockid_t clock) {
  timespec t{};
  clock_gettime(clock, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

volatile std::size_t g_sink = 0;

struct Row {
  Row(const char* n, clockid_t clock) : name(n), cpu_clock(clock) {}

  // Times one run of `work`, which returns the events it handled.
  template <class F>
  void measure(F&& work) {
    const auto t0 = Steady::now();
    const double c0 = cpu_seconds(cpu_clock);
    events = work();
    best_cpu_s = std::min(best_cpu_s, cpu_seconds(cpu_clock) - c0);
    best_s = std::min(best_s, seconds_since(t0));
  }

  const char* name;
  clockid_t cpu_clock;  // the rebuild's is the process's: it reads on a second thread
  double best_s = std::numeric_limits<double>::max();
  double best_cpu_s = std::numeric_limits<double>::max();
  std::int64_t events = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options o;
  try {
    o = parse(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "replay_bench: %s\nusage: replay_bench [--events N] [--page N] "
                 "[--writers N] [--dir DIR] [--repeat N]\n",
                 e.what());
    return 2;
  }
  std::string tmpl = o.dir + "/duban-replay-XXXXXX";
  if (!mkdtemp(tmpl.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::filesystem::path dir = tmpl;
  platform::SystemClock clock;
  int status = 0;
  try {
    const std::string path = o.db.empty() ? (dir / "events.db").string() : o.db;
    auto opened = SqliteEventStore::open({.path = path}, clock);
    if (!opened) throw std::runtime_error(opened.error().message);
    EventStore& store = **opened;

    auto t0 = Steady::now();
    auto head = store.head();
    if (!head) throw std::runtime_error(head.error().message);
    if (head->position.value() == 0) {
      bench::FillPlan plan;
      plan.events = o.events;
      plan.writers = o.writers;
      const std::int64_t total = bench::fill_lifecycles(store, plan);
      const double fill_s = seconds_since(t0);
      std::printf(
          "setup: %lld events appended in %.1f s (%.0f events/s, %d writers), database %.0f MB\n",
          static_cast<long long>(total), fill_s, static_cast<double>(total) / fill_s, o.writers,
          static_cast<double>(std::filesystem::file_size(path)) / 1e6);
    } else {
      std::printf("setup: reusing %s with %lld events\n", path.c_str(),
                  static_cast<long long>(head->position.value()));
    }

    Row read("read", CLOCK_THREAD_CPUTIME_ID), copied("read_all+decode", CLOCK_THREAD_CPUTIME_ID),
        decode("read+decode", CLOCK_THREAD_CPUTIME_ID),
        rebuild("rebuild", CLOCK_PROCESS_CPUTIME_ID), apply("apply", CLOCK_THREAD_CPUTIME_ID);
    // Reads the whole log page by page, handing each page to `each`; returns the events read.
    auto read_log = [&](auto&& each) {
      std::int64_t n = 0;
      GlobalPosition at(1);
      for (;;) {
        auto page = store.read_all(at, o.page);
        if (!page) throw std::runtime_error(page.error().message);
        if (page->empty()) break;
        each(*page);
        n += static_cast<std::int64_t>(page->size());
        at = page->back().position.next();
      }
      return n;
    };
    auto decode_checked = [](const RecordedEvent& r) {
      auto e = decode_event(r);
      if (!e) throw std::runtime_error(e.error().message);
      return std::move(*e);
    };
    std::vector<RecordedEvent> all_recorded;
    std::vector<task::Event> all_events;
    if (o.wants("apply"))
      read_log([&](std::vector<RecordedEvent>& page) {
        for (auto& r : page) {
          all_events.push_back(decode_checked(r));
          all_recorded.push_back(std::move(r));
        }
      });
    for (int run = 0; run < o.repeat; ++run) {
      if (o.wants("read")) read.measure([&] { return read_log([](const auto&) {}); });
      // The index keeps the decoding observable.
      if (o.wants("read_all+decode"))
        copied.measure([&] {
          return read_log([&](const std::vector<RecordedEvent>& page) {
            for (const auto& r : page) g_sink = g_sink + decode_checked(r).index();
          });
        });
      if (o.wants("read+decode"))
        decode.measure([&] {
          std::int64_t n = 0;
          GlobalPosition at(1);
          for (;;) {
            auto scanned = store.scan_all(at, o.page, [&](const EventView& v) {
              auto e = decode_event(v.type, v.schema_version, v.payload, v.position);
              if (!e) throw std::runtime_error(e.error().message);
              g_sink = g_sink + e->index();
              at = v.position.next();
              return true;
            });
            if (!scanned) throw std::runtime_error(scanned.error().message);
            if (*scanned == 0) break;
            n += static_cast<std::int64_t>(*scanned);
          }
          return n;
        });
      if (o.wants("rebuild")) {
        projections::ReadModel model;
        rebuild.measure([&] {
          auto reached = model.catch_up(
              store, GlobalPosition(std::numeric_limits<std::int64_t>::max()), o.page);
          if (!reached) throw std::runtime_error(reached.error().message);
          return reached->value();
        });
        if (run == 0) {
          const auto state = model.state();
          std::printf(
              "rebuilt: %zu tasks, %zu units with inboxes, %zu open tasks with a deadline\n",
              state.tasks.tasks().size(), state.inbox.units().size(),
              state.overdue.by_deadline().size());
        }
      }
      if (o.wants("apply")) {
        projections::ReadModelState state;
        apply.measure([&] {
          for (std::size_t i = 0; i < all_events.size(); ++i) {
            auto applied = state.apply(all_recorded[i], all_events[i]);
            if (!applied) throw std::runtime_error(applied.error().message);
          }
          return static_cast<std::int64_t>(all_events.size());
        });
      }
    }
    std::printf("\n%-12s %10s %8s %12s %10s %8s %14s\n", "row", "events", "wall s", "events/s",
                "vs decode", "cpu s", "events/cpu s");
    const double base = static_cast<double>(decode.events) / decode.best_s;
    for (const Row* r : {&read, &copied, &decode, &rebuild, &apply}) {
      if (!o.wants(r->name)) continue;
      const double rate = static_cast<double>(r->events) / r->best_s;
      std::printf("%-12s %10lld %8.3f %12.0f %9.0f%% %8.3f %14.0f\n", r->name,
                  static_cast<long long>(r->events), r->best_s, rate, 100.0 * rate / base,
                  r->best_cpu_s, static_cast<double>(r->events) / r->best_cpu_s);
    }
    const double rebuild_rate = static_cast<double>(rebuild.events) / rebuild.best_s;
    std::printf(
        "\nrebuild target 1000000 events/s and 0.5x read+decode: %s; peak RSS %ld MB; page %zu; "
        "best of %d\n",
        rebuild_rate >= 1'000'000 && rebuild_rate >= 0.5 * base ? "met" : "NOT met", peak_rss_mb(),
        o.page, o.repeat);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replay_bench: %s\n", e.what());
    status = 1;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return status;
}
