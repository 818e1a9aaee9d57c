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
//   read+decode     the same plus decode_event() of every payload (the raw replay loop)
//   rebuild         ReadModel::catch_up() into an empty model: read, decode, task::apply, and
//                   every projection (inbox, progress, overdue, scorecards)
// The ratio column compares each row with read+decode. Target: rebuild >= 500,000 events/s.
//
// Usage: replay_bench [--events N=1000000] [--page N=4096] [--writers N=64] [--dir DIR=/tmp]
//                     [--repeat N=3] (the best of N runs per row is reported)
//                     [--db PATH] (use and keep this store; fill it only when empty, so repeated
//                     runs and profilers skip the setup)
#include <stdlib.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
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

long peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

volatile std::size_t g_sink = 0;

struct Row {
  const char* name;
  double best_s = std::numeric_limits<double>::max();
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

    Row read{"read"}, decode{"read+decode"}, rebuild{"rebuild"};
    for (int run = 0; run < o.repeat; ++run) {
      {
        t0 = Steady::now();
        std::int64_t n = 0;
        GlobalPosition at(1);
        for (;;) {
          auto page = store.read_all(at, o.page);
          if (!page) throw std::runtime_error(page.error().message);
          if (page->empty()) break;
          n += static_cast<std::int64_t>(page->size());
          at = page->back().position.next();
        }
        read.best_s = std::min(read.best_s, seconds_since(t0));
        read.events = n;
      }
      {
        t0 = Steady::now();
        std::int64_t n = 0;
        GlobalPosition at(1);
        for (;;) {
          auto page = store.read_all(at, o.page);
          if (!page) throw std::runtime_error(page.error().message);
          if (page->empty()) break;
          for (const auto& r : *page) {
            auto e = decode_event(r);
            if (!e) throw std::runtime_error(e.error().message);
            g_sink = g_sink + e->index();  // keeps the decoding observable
          }
          n += static_cast<std::int64_t>(page->size());
          at = page->back().position.next();
        }
        decode.best_s = std::min(decode.best_s, seconds_since(t0));
        decode.events = n;
      }
      {
        projections::ReadModel model;
        t0 = Steady::now();
        auto reached =
            model.catch_up(store, GlobalPosition(std::numeric_limits<std::int64_t>::max()), o.page);
        const double s = seconds_since(t0);
        if (!reached) throw std::runtime_error(reached.error().message);
        rebuild.best_s = std::min(rebuild.best_s, s);
        rebuild.events = reached->value();
        if (run == 0) {
          const auto state = model.state();
          std::printf(
              "rebuilt: %zu tasks, %zu units with inboxes, %zu open tasks with a deadline\n",
              state.tasks.tasks().size(), state.inbox.units().size(),
              state.overdue.by_deadline().size());
        }
      }
    }
    std::printf("\n%-12s %12s %10s %14s %10s\n", "row", "events", "best s", "events/s",
                "vs decode");
    const double base = static_cast<double>(decode.events) / decode.best_s;
    for (const Row* r : {&read, &decode, &rebuild}) {
      const double rate = static_cast<double>(r->events) / r->best_s;
      std::printf("%-12s %12lld %10.3f %14.0f %9.0f%%\n", r->name,
                  static_cast<long long>(r->events), r->best_s, rate, 100.0 * rate / base);
    }
    const double rebuild_rate = static_cast<double>(rebuild.events) / rebuild.best_s;
    std::printf("\nrebuild target 500000 events/s: %s; peak RSS %ld MB; page %zu; best of %d\n",
                rebuild_rate >= 500'000 ? "met" : "NOT met", peak_rss_mb(), o.page, o.repeat);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "replay_bench: %s\n", e.what());
    status = 1;
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return status;
}
