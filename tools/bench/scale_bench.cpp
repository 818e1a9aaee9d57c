// scale_bench: duban at national scale — a log of --events events over --tasks tasks and --units
// units (default 10 M / 1 M / 5 k), on SQLite and on PostgreSQL, and what a server pays for it.
//
// Setup (not timed into the rows): a SQLite store (a temp file, or --db PATH kept and reused
// when already filled) is filled by tools/bench/lifecycle_writer.h: realistic task lifecycles
// decided by the real domain, one command per append from 64 writer threads, streams
// interleaved, the store's group commit putting many commands of many streams into each
// transaction. The number of progress reports per task is chosen so the lifecycles average
// --events / --tasks events (~10). The PostgreSQL log is that same log copied verbatim into a
// throwaway server (tools/dev/pg-test-server.sh, fsync off) by storage::copy_log, the bulk
// import `duban migrate` uses. Progress goes to stderr.
//
// Rows, one table per store, each measured in a child process of its own (so its RSS is its
// own), page cache warm:
//   log on disk per event      SQLite: database + WAL file bytes; PostgreSQL:
//                              pg_database_size(); divided by the events in the log
//   read model RSS per task    VmRSS after a full replay minus before, / tasks (target 1 KiB)
//   read model heap per task   the same with mallinfo2() bytes in use (no allocator slack)
//   cold start, full replay    open the store + service::load_read_model() with no snapshot
//   cold start, from snapshot  open the store + load_read_model() from a snapshot written at the
//                              head, then catching up the appends below (target 10 s), in a
//                              fresh process (this program run again with its hidden mode
//                              --snapshot-start-child), as a server starts
//   inbox(unit)                ReadModel::inbox(unit, as of, open), random unit and date
//   overdue(now)               ReadModel::overdue_page(now, first page of 100), random date:
//                              what GET /api/v1/overdue asks (the supervisor's list)
//   document(doc)              what GET /api/documents/{id} asks the read model:
//                              document_row(id), document(id), tasks_of_document(id)
//                              (p50 / p99 over --queries calls each, or as many as fit in
//                              30 s; target p99 5 ms)
//   append 1 command           --appends single-command appends (new tasks' lifecycles, exact
//                              expected versions) from one thread to the full log: events/s,
//                              appends/s and latency
//
// Usage: scale_bench [--store sqlite|pg|both=both] [--events N=10000000] [--tasks N=1000000]
//                    [--units N=5000] [--dir DIR=/tmp] [--db PATH] [--queries N=1000]
//                    [--appends N=2000]
// A smoke run: --events 20000 --tasks 2000 --units 50 --queries 50 --appends 50.
#include <malloc.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/system_clock.h"
#include "service/projections/read_model.h"
#include "service/snapshot_files.h"
#include "service/snapshot_loader.h"
#include "storage/event_codec.h"
#include "storage/log_copy.h"
#include "storage/postgres_event_store.h"
#include "storage/sqlite_event_store.h"
#include "tools/bench/lifecycle_writer.h"
#include "tools/bench/pg_bench_support.h"

namespace {

// GET /api/v1/overdue's default page (server/api/target.h, Page::kDefaultLimit).
constexpr std::size_t kPageLimit = 100;

using namespace duban;
using namespace duban::storage;
using namespace duban::service;
using Steady = std::chrono::steady_clock;

struct Options {
  bool sqlite = true;
  bool pg = true;
  std::int64_t events = 10'000'000;
  std::int64_t tasks = 1'000'000;
  int units = 5000;
  std::string dir = "/tmp";
  std::string db;  // when set: use and keep this SQLite store, filling it only if it is empty
  int queries = 1000;
  int appends = 2000;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + " needs a value");
      return argv[++i];
    };
    if (a == "--store") {
      const std::string s = next();
      if (s != "sqlite" && s != "pg" && s != "both")
        throw std::invalid_argument("--store is sqlite, pg or both");
      o.sqlite = s != "pg";
      o.pg = s != "sqlite";
    } else if (a == "--events") {
      o.events = std::stoll(next());
    } else if (a == "--tasks") {
      o.tasks = std::stoll(next());
    } else if (a == "--units") {
      o.units = std::stoi(next());
    } else if (a == "--dir") {
      o.dir = next();
    } else if (a == "--db") {
      o.db = next();
    } else if (a == "--queries") {
      o.queries = std::stoi(next());
    } else if (a == "--appends") {
      o.appends = std::stoi(next());
    } else {
      throw std::invalid_argument("unknown option " + a);
    }
  }
  if (o.events < 1 || o.tasks < 1 || o.units < 1 || o.queries < 1 || o.appends < 1)
    throw std::invalid_argument("--events, --tasks, --units, --queries, --appends: positive");
  return o;
}

double seconds_since(Steady::time_point t0) {
  return std::chrono::duration<double>(Steady::now() - t0).count();
}

// VmRSS of this process, bytes.
std::int64_t rss_bytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

// Bytes malloc has handed out and not had back (every arena, mmapped chunks included).
std::int64_t heap_bytes() {
  const struct mallinfo2 m = mallinfo2();
  return static_cast<std::int64_t>(m.uordblks + m.hblkhd);
}

double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

std::string thousands(std::int64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > (n < 0 ? 1 : 0); i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

// The progress-report count that makes lifecycles average `per_task` events, from a sample.
bench::LifecycleShape shape_for(double per_task, int units) {
  bench::LifecycleShape best{units, 1};
  double best_gap = 1e30;
  for (int reports = 1; reports <= 30; ++reports) {
    bench::LifecycleShape shape{units, reports};
    bench::LifecycleWriter gen(7, shape);
    std::int64_t events = 0;
    constexpr int kSample = 2000;
    for (int n = 0; n < kSample; ++n) {
      for (const auto& g : gen.lifecycle(n)) events += static_cast<std::int64_t>(g.size());
    }
    const double gap = std::abs(static_cast<double>(events) / kSample - per_task);
    if (gap < best_gap) best_gap = gap, best = shape;
  }
  return best;
}

struct Row {
  std::string name, value, target, verdict, detail;
};

void print_table(const std::string& title, const std::vector<Row>& rows) {
  std::printf("\n%s\n%-28s %-22s %-12s %-8s %s\n", title.c_str(), "row", "value", "target",
              "verdict", "detail");
  for (const Row& r : rows) {
    std::printf("%-28s %-22s %-12s %-8s %s\n", r.name.c_str(), r.value.c_str(), r.target.c_str(),
                r.verdict.c_str(), r.detail.c_str());
  }
  std::fflush(stdout);
}

std::string fmt(const char* f, double a, double b = 0) {
  char buf[128];
  std::snprintf(buf, sizeof buf, f, a, b);
  return buf;
}

// One store under test: how to open it and how many bytes its log takes on disk.
struct StoreUnderTest {
  std::string name;
  std::string spec;  // what open_spec() opens: "sqlite:PATH" or a postgresql:// URL
  std::function<std::string(std::int64_t& bytes)> disk;  // returns a detail text
};

using projections::ReadModel;

std::unique_ptr<EventStore> open_spec(const std::string& spec, const Clock& clock);

// What one cold start from a snapshot took (snapshot_start_in_fresh_process).
struct SnapshotStart {
  double seconds = 0;
  std::int64_t position = 0;           // where the read model stands after it
  std::int64_t snapshot_position = 0;  // where the snapshot it used stands
};

// Waits for child process `pid`; throws unless it exited with status 0.
void await_child(pid_t pid, const std::string& what) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error(what + " failed");
}

constexpr const char* kSnapshotStartMode = "--snapshot-start-child";

// The child's side: open the store, load_read_model() from `snapshots`, print the figures.
int snapshot_start_child(const std::string& spec, const std::filesystem::path& snapshots) {
  platform::SystemClock clock;
  const auto t0 = Steady::now();
  auto store = open_spec(spec, clock);
  ReadModel model;
  auto from = load_read_model(*store, snapshots, model);
  const double seconds = seconds_since(t0);
  if (!from) throw std::runtime_error("snapshot start: " + from.error().message);
  if (!from->snapshot) {
    throw std::runtime_error("the snapshot was not used: " +
                             (from->refused.empty() ? std::string("?") : from->refused.front()));
  }
  std::printf("%.6f %lld %lld\n", seconds, static_cast<long long>(from->position.value()),
              static_cast<long long>(from->snapshot_position.value()));
  return 0;
}

// Runs snapshot_start_child() in a new process (this program, exec'd again) and reads its line.
SnapshotStart snapshot_start_in_fresh_process(const std::string& spec,
                                              const std::filesystem::path& snapshots) {
  int out[2];
  if (pipe(out) != 0) throw std::runtime_error("pipe failed");
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    const std::string dir = snapshots.string();
    execl("/proc/self/exe", "scale_bench", kSnapshotStartMode, spec.c_str(), dir.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char buf[256];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  close(out[0]);
  await_child(pid, "the snapshot start process");
  SnapshotStart r;
  long long position = 0, snapshot_position = 0;
  if (std::sscanf(line.c_str(), "%lf %lld %lld", &r.seconds, &position, &snapshot_position) != 3)
    throw std::runtime_error("the snapshot start process printed \"" + line + "\"");
  r.position = position;
  r.snapshot_position = snapshot_position;
  return r;
}

// Most time one query kind may take in all (then it stops short of --queries).
constexpr double kQueryBudgetSeconds = 30;

// The measurements of one store (see the top); prints its table. Runs in a child process.
void measure(const StoreUnderTest& s, const Options& o, const std::filesystem::path& work) {
  platform::SystemClock clock;
  std::vector<Row> rows;
  std::int64_t log_events = 0;
  {
    auto store = open_spec(s.spec, clock);
    auto head = store->head();
    if (!head) throw std::runtime_error(head.error().message);
    log_events = head->position.value();
    std::int64_t bytes = 0;
    const std::string detail = s.disk(bytes);
    rows.push_back({"log on disk per event",
                    fmt("%.0f B", static_cast<double>(bytes) / static_cast<double>(log_events)),
                    "-", "", detail});
  }

  // Cold start without a snapshot; the model stays for the queries and the snapshot.
  const auto none = work / ("no-snapshots-" + s.name);
  const std::int64_t rss0 = rss_bytes(), heap0 = heap_bytes();
  auto t0 = Steady::now();
  auto store = open_spec(s.spec, clock);
  auto model = std::make_unique<ReadModel>();
  auto loaded = load_read_model(*store, none, *model);
  const double full_s = seconds_since(t0);
  if (!loaded) throw std::runtime_error("full replay: " + loaded.error().message);
  const std::int64_t rss1 = rss_bytes(), heap1 = heap_bytes();
  const auto as_of = projections::AsOf{bench::utc(2017, 1, 15)};
  const auto units = model->scorecards(as_of);
  const auto documents = model->document_progress(as_of);
  std::int64_t tasks = 0;
  for (const auto& d : documents) tasks += d.tasks;
  if (tasks == 0 || units.empty()) throw std::runtime_error("the read model has no tasks");
  const double per_task_rss = static_cast<double>(rss1 - rss0) / static_cast<double>(tasks);
  const double per_task_heap = static_cast<double>(heap1 - heap0) / static_cast<double>(tasks);
  rows.push_back(
      {"read model RSS per task", fmt("%.0f B", per_task_rss), "<= 1024 B",
       per_task_rss <= 1024 ? "met" : "NOT met",
       fmt("%.0f MB for ", static_cast<double>(rss1 - rss0) / 1e6) + thousands(tasks) + " tasks"});
  rows.push_back({"read model heap per task", fmt("%.0f B", per_task_heap), "-", "",
                  "mallinfo2 bytes in use"});

  // Queries, random arguments, against the caught-up model.
  std::mt19937 rng(42);
  const auto first = bench::utc(2016, 1, 1);
  auto random_now = [&] { return first + std::chrono::hours(rng() % (2 * 365 * 24)); };
  std::size_t sink = 0;
  // Each query kind runs --queries times, or until it has spent kQueryBudget.
  auto timed = [&](const std::function<std::size_t()>& query) {
    std::vector<double> ms;
    double spent = 0;
    while (static_cast<int>(ms.size()) < o.queries && spent < kQueryBudgetSeconds) {
      const auto t = Steady::now();
      sink += query();
      ms.push_back(seconds_since(t) * 1e3);
      spent += ms.back() / 1e3;
    }
    return ms;
  };
  const auto inbox_ms = timed([&] {
    const auto& unit = units[rng() % units.size()].unit;
    return model->inbox(unit, projections::AsOf{random_now()}).size();
  });
  const auto overdue_ms = timed([&] {
    return model->overdue_page(random_now(), std::nullopt, kPageLimit, nullptr).items.size();
  });
  const auto document_ms = timed([&] {
    const DocumentId doc = documents[rng() % documents.size()].document;
    std::size_t n = model->document_row(doc, projections::AsOf{random_now()}) ? 1 : 0;
    n += model->document(doc).parts.size();
    return n + model->tasks_of_document(doc).size();
  });
  auto query_row = [&](const char* name, const std::vector<double>& ms) {
    const double p99 = quantile(ms, 0.99);
    rows.push_back({name, fmt("%.3f / %.3f ms", quantile(ms, 0.5), p99), "p99 <= 5 ms",
                    p99 <= 5 ? "met" : "NOT met",
                    "p50 / p99 of " + std::to_string(ms.size()) + ", max " +
                        fmt("%.3f ms", quantile(ms, 1.0))});
  };

  // A snapshot at the head, as `duban serve` writes one.
  const auto snapshots = work / ("snapshots-" + s.name);
  double snapshot_write_s = 0;
  std::uintmax_t snapshot_bytes = 0;
  {
    const GlobalPosition at = model->checkpoint();
    auto event = store->read_all(at, 1);
    if (!event || event->empty()) throw std::runtime_error("no event at the snapshot position");
    t0 = Steady::now();
    const SnapshotInfo info{at, event->front().hash, clock.now(), event->front().recorded_at,
                            event->front().recorded_at};
    auto written = write_snapshot_file(snapshots, info, model->state());
    if (!written) throw std::runtime_error(written.error().message);
    snapshot_write_s = seconds_since(t0);
    snapshot_bytes = std::filesystem::file_size(*written);
  }
  model.reset();

  // Single-command appends to the full log: new tasks' lifecycles, numbered past anything a
  // filled or reused log holds, exact expected versions, one thread.
  std::vector<double> append_ms;
  std::int64_t appended = 0;
  {
    bench::LifecycleWriter gen(99, {o.units, 3});
    const std::int64_t base = 1'000'000'000 + log_events;
    t0 = Steady::now();
    for (std::int64_t n = base; static_cast<int>(append_ms.size()) < o.appends; ++n) {
      const std::string stream = bench::stream_of_task(n);
      std::int64_t version = 0;
      int command = 0;
      for (const auto& group : gen.lifecycle(n)) {
        if (static_cast<int>(append_ms.size()) == o.appends) break;
        std::vector<NewEvent> batch;
        for (const auto& e : group) batch.push_back(encode_event(e, task::Actor::supervisor()));
        std::string id = "a";
        id += std::to_string(n);
        id += '.';
        id += std::to_string(command++);
        const auto t = Steady::now();
        auto r = store->append(stream, ExpectedVersion::exactly(StreamVersion(version)), batch,
                               CommandId(std::move(id)));
        append_ms.push_back(seconds_since(t) * 1e3);
        if (!r) throw std::runtime_error("append: " + r.error().message);
        version = r->version.value();
        appended += static_cast<std::int64_t>(batch.size());
      }
    }
  }
  const double append_s = seconds_since(t0);
  store.reset();

  // Cold start from the snapshot, catching up the appends after it, in a fresh process: this
  // one's heap already holds the pages a full replay faulted in, which a server starting up
  // does not have (they were most of the cost).
  const SnapshotStart from = snapshot_start_in_fresh_process(s.spec, snapshots);
  const double snap_s = from.seconds;

  rows.push_back({"cold start, full replay", fmt("%.2f s", full_s), "-", "",
                  thousands(log_events) + " events, " +
                      fmt("%.0f events/s", static_cast<double>(log_events) / full_s)});
  rows.push_back(
      {"cold start, from snapshot", fmt("%.2f s", snap_s), "<= 10 s",
       snap_s <= 10 ? "met" : "NOT met",
       fmt("snapshot %.0f MB (written in %.1f s), ", snapshot_bytes / 1e6, snapshot_write_s) +
           thousands(from.position - from.snapshot_position) + " events after it"});
  query_row("inbox(unit)", inbox_ms);
  query_row("overdue(now)", overdue_ms);
  query_row("document(doc)", document_ms);
  rows.push_back(
      {"append 1 command", fmt("%.0f events/s", static_cast<double>(appended) / append_s), "-", "",
       fmt("%.0f appends/s, ", static_cast<double>(append_ms.size()) / append_s) +
           fmt("p50 %.2f ms, p99 %.2f ms", quantile(append_ms, 0.5), quantile(append_ms, 0.99))});
  print_table(s.name + ": " + thousands(log_events) + " events, " + thousands(tasks) + " tasks, " +
                  thousands(static_cast<std::int64_t>(units.size())) + " units" +
                  (sink == 0 ? " (no query found anything)" : ""),
              rows);
}

// Runs measure() in a child process; throws when it fails.
void measure_in_child(const StoreUnderTest& s, const Options& o,
                      const std::filesystem::path& work) {
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int status = 0;
    try {
      measure(s, o, work);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "scale_bench (%s): %s\n", s.name.c_str(), e.what());
      status = 1;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(status);
  }
  await_child(pid, s.name + " measurement");
}

std::unique_ptr<EventStore> open_sqlite(const std::string& path, const Clock& clock) {
  auto opened = SqliteEventStore::open({.path = path}, clock);
  if (!opened) throw std::runtime_error(path + ": " + opened.error().message);
  return std::move(*opened);
}

std::unique_ptr<PostgresEventStore> open_pg(const std::string& url, const Clock& clock) {
  auto opened = PostgresEventStore::open({.url = url}, clock);
  if (!opened) throw std::runtime_error("PostgreSQL: " + opened.error().message);
  return std::move(*opened);
}

std::unique_ptr<EventStore> open_spec(const std::string& spec, const Clock& clock) {
  if (spec.starts_with("sqlite:")) return open_sqlite(spec.substr(7), clock);
  return open_pg(spec, clock);
}

int run(const Options& o) {
  std::string tmpl = o.dir + "/duban-scale-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed in " + o.dir);
  const std::filesystem::path work(tmpl);
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{work};
  platform::SystemClock clock;
  const std::string path = o.db.empty() ? (work / "events.db").string() : o.db;

  // The log, in SQLite (also the source of the PostgreSQL copy).
  {
    auto store = open_sqlite(path, clock);
    auto head = store->head();
    if (!head) throw std::runtime_error(head.error().message);
    if (head->position.value() == 0) {
      const auto shape =
          shape_for(static_cast<double>(o.events) / static_cast<double>(o.tasks), o.units);
      const auto t0 = Steady::now();
      bench::FillPlan plan;
      plan.tasks = o.tasks;  // every task's whole lifecycle; --events only shapes them
      plan.shape = shape;
      plan.on_progress = [&](std::int64_t n) {
        const double s = seconds_since(t0);
        std::fprintf(stderr, "fill: %s events (%.0f%%) in %.0f s, %.0f events/s\n",
                     thousands(n).c_str(), 100.0 * static_cast<double>(n) / o.events, s,
                     static_cast<double>(n) / s);
      };
      const std::int64_t n = bench::fill_lifecycles(*store, plan);
      const double s = seconds_since(t0);
      std::printf(
          "setup: %s events over %s tasks and %d units (1..%d progress reports "
          "per task) appended to SQLite in %.1f s, %.0f events/s\n",
          thousands(n).c_str(), thousands(o.tasks).c_str(), o.units, shape.max_reports, s,
          static_cast<double>(n) / s);
    } else {
      std::printf("setup: reusing %s with %s events\n", path.c_str(),
                  thousands(head->position.value()).c_str());
    }
  }

  // The same log in PostgreSQL, copied before any measurement appends to the SQLite one.
  std::unique_ptr<bench::ThrowawayServer> server;
  std::unique_ptr<bench::BenchDatabase> database;
  if (o.pg) {
    server = std::make_unique<bench::ThrowawayServer>();
    database = std::make_unique<bench::BenchDatabase>(server->url(),
                                                      "bench_scale_" + std::to_string(getpid()));
    {
      auto source = open_sqlite(path, clock);
      auto target = open_pg(database->url(), clock);
      const auto t0 = Steady::now();
      auto last = Steady::now();
      LogCopyOptions copy;
      copy.on_progress = [&](const LogCopyProgress& p) {
        if (seconds_since(last) < 2 && p.copied != p.total) return;
        last = Steady::now();
        std::fprintf(stderr, "copy to PostgreSQL: %s of %s events, %.0f events/s\n",
                     thousands(p.copied).c_str(), thousands(p.total).c_str(),
                     static_cast<double>(p.copied) / seconds_since(t0));
      };
      auto copied = copy_log(*source, *target, copy);
      if (!copied) throw std::runtime_error("copy_log: " + copied.error().message);
      std::printf("setup: %s events copied to PostgreSQL in %.1f s\n",
                  thousands(copied->copied).c_str(), seconds_since(t0));
    }
  }

  if (o.sqlite) {
    measure_in_child({"SQLite", "sqlite:" + path,
                      [&](std::int64_t& bytes) {
                        std::error_code ec;
                        const auto db = std::filesystem::file_size(path);
                        auto wal = std::filesystem::file_size(path + "-wal", ec);
                        if (ec) wal = 0;
                        bytes = static_cast<std::int64_t>(db + wal);
                        return fmt("database %.0f MB + WAL %.0f MB", static_cast<double>(db) / 1e6,
                                   static_cast<double>(wal) / 1e6);
                      }},
                     o, work);
  }

  if (o.pg) {
    const std::string url = database->url();
    measure_in_child(
        {"PostgreSQL", url,
         [&](std::int64_t& bytes) {
           pqxx::connection c(url);
           pqxx::nontransaction tx(c);
           bytes = tx.exec1("SELECT pg_database_size(current_database())")[0].as<std::int64_t>();
           const auto events =
               tx.exec1("SELECT pg_total_relation_size('events')")[0].as<std::int64_t>();
           return fmt("database %.0f MB, of which events table + indexes %.0f MB",
                      static_cast<double>(bytes) / 1e6, static_cast<double>(events) / 1e6);
         }},
        o, work);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 4 && std::string(argv[1]) == kSnapshotStartMode)
      return snapshot_start_child(argv[2], argv[3]);
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "scale_bench: %s\nusage: scale_bench [--store sqlite|pg|both] [--events N] "
                 "[--tasks N] [--units N] [--dir DIR] [--db PATH] [--queries N] [--appends N]\n",
                 e.what());
    return 1;
  }
}
