// fanout_bench: WebSocket fan-out of `duban serve` next to a Node.js `ws` broadcast server
// (tools/bench/node/broadcast.js) doing the same job, in the same run, on loopback.
//
// For each subscriber count (default 1,000 and 10,000) and each server: start the server fresh,
// connect that many WebSocket clients (duban: each subscribed to every event), then
//   1. throughput: publish a burst of task events from 8 producer threads as fast as the server
//      takes them (duban: UrgeTask commands over HTTP, each decided and appended durably to the
//      SQLite log; node: POST /publish) and count deliveries until every client has every event:
//      delivered/s = messages received by all clients together per second, first publish to
//      last delivery;
//   2. latency: publish at a fixed pace both servers sustain (20,000 deliveries/s in all, i.e.
//      20 events/s to 1,000 clients, 2/s to 10,000) and measure per delivery
//        append→deliver   from the server stamping the event (duban: recorded_at, stamped in
//                         the append's transaction, before its fsync; node: when /publish arrives;
//                         both millisecond stamps, so values carry up to 1 ms of stamp rounding) to
//                         a client receiving it
//        publish→deliver  from the producer sending the command/publish to a client receiving it
//                         (duban's includes deciding and the durable append).
// duban's log (SQLite, synchronous = FULL) lives in a temporary directory under TMPDIR; its
// recorded_at is stamped inside the append's transaction, before the commit's fsync, so with the
// log on a disk append→deliver includes that fsync, which node's broadcast (it keeps nothing)
// does not pay. TMPDIR=/dev/shm (a tmpfs: fsync returns at once) measures the push path alone.
// Memory per connection: the server's resident memory (VmRSS) once every client is connected
// (and, for duban, subscribed and caught up) minus before the first connected, over the clients.
// Each (subscribers, server) is measured --runs times (default 5), duban and node alternating, so
// both see the same state of the machine; the table gives every run, then min/median/max per
// figure and the ratios duban/node of the medians. Bounded: every wait stops after --run-timeout s.
//
// usage: fanout_bench [--subscribers 1000,10000] [--runs N] [--events N] [--run-timeout S]
//                     [--skip-node] [--serve-threads N (duban's I/O threads, default 2)]
//                     [--duban PATH] [--node-dir DIR]
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/ws_reader.h"

namespace duban::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Steady = std::chrono::steady_clock;

constexpr int kProducers = 8;

std::int64_t wall_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The resident memory of process `pid` in KiB (VmRSS in /proc/PID/status); -1 when unreadable.
std::int64_t rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch())
      .count();
}

// "2026-11-26T22:29:20.624Z" -> ms since the epoch; -1 when malformed.
std::int64_t parse_iso_ms(std::string_view s) {
  if (s.size() < 24) return -1;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    std::from_chars(s.data() + at, s.data() + at + n, v);
    return v;
  };
  using namespace std::chrono;
  const sys_days day{year(num(0, 4)) / month(static_cast<unsigned>(num(5, 2))) /
                     std::chrono::day(static_cast<unsigned>(num(8, 2)))};
  return duration_cast<milliseconds>(day.time_since_epoch()).count() +
         ((num(11, 2) * 60 + num(14, 2)) * 60 + num(17, 2)) * 1000LL + num(20, 3);
}

// The string value after `key` ("\"recorded_at\":\"") in a message; empty when absent.
std::string_view field(std::string_view message, std::string_view key) {
  const auto at = message.find(key);
  if (at == std::string_view::npos) return {};
  const auto start = at + key.size();
  const auto end = message.find('"', start);
  return end == std::string_view::npos ? std::string_view() : message.substr(start, end - start);
}

struct Run {
  bool duban = true;
  std::string token;
  std::uint16_t port = 0;
  std::int64_t events = 0;
  std::int64_t expected = 0;  // subscribers × events
  std::atomic<std::int64_t> delivered{0};
  std::atomic<int> ready{0};  // subscribed (duban: caught_up) or connected
  std::atomic<int> failed{0};
  std::vector<std::atomic<std::int64_t>> sent_ns;  // by event seq: when the producer sent it
  std::atomic<bool> sampling{false};               // record latencies (the paced phase only)
  std::atomic<std::int64_t> first_send_ns{0};
  std::atomic<std::int64_t> last_delivery_ns{0};
  explicit Run(std::int64_t n) : sent_ns(static_cast<std::size_t>(n)) {}
};

// One WebSocket client: connects, (duban: subscribes), then reads until closed, timing events.
class Subscriber : public WsReader {
 public:
  Subscriber(asio::io_context& ioc, Run& run, std::function<void()> on_ready)
      : WsReader(ioc, {.token = run.token, .subscribe = run.duban, .connect_timeout = 60s}),
        run_(run),
        on_ready_(std::move(on_ready)) {}

  std::vector<std::uint32_t> append_us;   // append→deliver samples
  std::vector<std::uint32_t> publish_us;  // publish→deliver samples

 private:
  void on_open() override {
    if (!run_.duban) ready();
  }

  void on_message(std::string_view m) override {
    if (m.find("\"type\":\"event\"") != std::string_view::npos) {
      const std::int64_t now_ns = steady_ns();
      if (run_.sampling.load(std::memory_order_relaxed)) sample(m, now_ns);
      run_.delivered.fetch_add(1, std::memory_order_relaxed);
      std::int64_t last = run_.last_delivery_ns.load(std::memory_order_relaxed);
      while (now_ns > last && !run_.last_delivery_ns.compare_exchange_weak(
                                  last, now_ns, std::memory_order_relaxed)) {
      }
    } else if (m.find("\"type\":\"caught_up\"") != std::string_view::npos) {
      ready();
    }
  }

  void sample(std::string_view m, std::int64_t now_ns) {
    {
      const std::int64_t stamp = parse_iso_ms(field(m, "\"recorded_at\":\""));
      if (stamp > 0) {
        append_us.push_back(
            static_cast<std::uint32_t>(std::max<std::int64_t>(0, wall_us() - stamp * 1000)));
      }
      // The bench sends "b<seq>"; duban records it scoped to its sender ("client:…:b<seq>").
      auto id = field(m, "\"command_id\":\"");
      if (const auto colon = id.rfind(':'); colon != std::string_view::npos) {
        id.remove_prefix(colon + 1);
      }
      if (!id.empty() && id.front() == 'b') id.remove_prefix(1);
      std::int64_t seq = -1;
      std::from_chars(id.data(), id.data() + id.size(), seq);
      if (seq >= 0 && static_cast<std::size_t>(seq) < run_.sent_ns.size()) {
        const auto sent =
            run_.sent_ns[static_cast<std::size_t>(seq)].load(std::memory_order_relaxed);
        if (sent > 0) publish_us.push_back(static_cast<std::uint32_t>((now_ns - sent) / 1000));
      }
    }
  }

  void ready() {
    if (!is_ready_) {
      is_ready_ = true;
      run_.ready.fetch_add(1);
      if (on_ready_) on_ready_();
    }
  }

  void on_fail() override {
    run_.failed.fetch_add(1);
    if (on_ready_) on_ready_();
  }

  Run& run_;
  std::function<void()> on_ready_;
  bool is_ready_ = false;
};

struct Result {
  bool ok = false;
  double delivered_per_s = 0;
  double append_p50_ms = 0, append_p99_ms = 0;
  double publish_p50_ms = 0, publish_p99_ms = 0;
  std::int64_t delivered = 0, expected = 0;
  double seconds = 0;
  double kib_per_connection = 0;  // server RSS growth from connecting the clients, per client
  std::string note;
};

// Sends event `seq` through producer slot `p` (its task and that task's version).
bool publish_one(Run& run, testing::HttpClient& c, const std::string& task, std::int64_t& version,
                 std::int64_t seq) {
  const std::string id = "b" + std::to_string(seq);
  const std::int64_t now = steady_ns();
  run.sent_ns[static_cast<std::size_t>(seq)].store(now, std::memory_order_relaxed);
  std::int64_t zero = 0;
  run.first_send_ns.compare_exchange_strong(zero, now);
  if (run.duban) {
    auto r = c.post("/api/v1/tasks/" + task + "/urge",
                    R"({"command_id":")" + id + R"(","expected_version":)" +
                        std::to_string(version) + R"(,"note":"fan-out benchmark"})",
                    run.token);
    if (r.status != 200) return false;
    ++version;
    return true;
  }
  // The same fields as duban's event message for this urge, so the messages are alike.
  auto r = c.post(
      "/publish",
      R"({"stream":"task/)" + task + R"(","version":)" + std::to_string(++version) +
          R"(,"event_type":"TaskUrged","schema_version":1,"actor":"supervisor","command_id":")" +
          id + R"(","task":")" + task +
          R"(","data":{"unit":null,"note":"fan-out benchmark"},"document":"bench-doc"})");
  return r.status == 200;
}

void wait_for(const Run& run, std::int64_t deliveries, std::chrono::seconds timeout) {
  const auto deadline = Steady::now() + timeout;
  while (run.delivered.load() < deliveries && Steady::now() < deadline) {
    std::this_thread::sleep_for(5ms);
  }
}

// Phase 1: `burst` events from kProducers threads as fast as the server takes them.
void publish_burst(Run& run, const std::vector<std::string>& tasks,
                   std::vector<std::int64_t>& versions, std::int64_t burst) {
  std::vector<std::thread> producers;
  std::atomic<std::int64_t> next{0};
  std::atomic<int> errors{0};
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      testing::HttpClient c("127.0.0.1", run.port, 30s);
      for (;;) {
        const std::int64_t seq = next.fetch_add(1);
        if (seq >= burst) break;
        if (!publish_one(run, c, tasks[static_cast<std::size_t>(p)],
                         versions[static_cast<std::size_t>(p)], seq)) {
          errors.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : producers) t.join();
  if (errors.load()) std::cerr << "fanout_bench: " << errors.load() << " publishes failed\n";
}

// Phase 2: `count` events, one every `interval`, from one producer (seq numbers from `first`).
void publish_paced(Run& run, const std::vector<std::string>& tasks,
                   std::vector<std::int64_t>& versions, std::int64_t first, std::int64_t count,
                   std::chrono::microseconds interval) {
  testing::HttpClient c("127.0.0.1", run.port, 30s);
  const auto start = Steady::now();
  for (std::int64_t i = 0; i < count; ++i) {
    std::this_thread::sleep_until(start + interval * i);
    const auto p = static_cast<std::size_t>(i % kProducers);
    if (!publish_one(run, c, tasks[p], versions[p], first + i)) {
      std::cerr << "fanout_bench: a paced publish failed\n";
    }
  }
}

Result measure(bool duban, int subscribers, std::int64_t events, const std::string& duban_binary,
               const std::string& node_dir, std::chrono::seconds timeout, int serve_threads) {
  testing::TempDir dir;
  std::unique_ptr<ServerProcess> server;
  if (duban) {
    server = std::make_unique<ServerProcess>(
        duban_binary,
        std::vector<std::string>{
            "serve", "--db", dir.file("bench.db"), "--listen", "127.0.0.1:0", "--demo-tokens",
            "--quiet", "--sweep-interval", "0", "--threads", std::to_string(serve_threads),
            // Every client comes from 127.0.0.1: lift the connection caps.
            "--max-connections", std::to_string(subscribers + 64), "--max-connections-per-address",
            std::to_string(subscribers + 64)});
  } else {
    server = std::make_unique<ServerProcess>(
        "/usr/bin/node", std::vector<std::string>{node_dir + "/broadcast.js", "0"});
  }
  // The paced phase: 20,000 deliveries per second in all, for about 8 seconds (at least 16 events).
  const double paced_rate = 20000.0 / subscribers;  // events per second
  const auto paced_count = std::max<std::int64_t>(16, static_cast<std::int64_t>(paced_rate * 8));
  const auto interval = std::chrono::microseconds(static_cast<std::int64_t>(1e6 / paced_rate));
  Run run(events + paced_count);
  run.duban = duban;
  run.port = server->port;
  run.token = server->token;
  run.events = events;

  std::vector<std::string> tasks;
  for (int p = 0; p < kProducers; ++p) tasks.push_back("bench-task-" + std::to_string(p));
  if (duban) {
    testing::HttpClient c("127.0.0.1", run.port);
    for (const auto& t : tasks) {
      auto r = c.post("/api/v1/tasks",
                      R"({"command_id":"create-)" + t + R"(","expected_version":0,"task":")" + t +
                          R"(","provenance":{"document":"bench-doc"},"leads":["fgw"]})",
                      run.token);
      if (r.status != 200) throw std::runtime_error("creating " + t + ": " + r.body);
    }
  }

  std::this_thread::sleep_for(200ms);  // let the server settle before the baseline
  const std::int64_t rss_before = rss_kib(server->process.pid());

  // Clients: two I/O threads, connections opened with at most 256 handshakes in flight.
  asio::io_context ioc;
  auto guard = asio::make_work_guard(ioc);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { ioc.run(); });
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), run.port);
  std::vector<std::shared_ptr<Subscriber>> clients;
  std::atomic<int> in_flight{0};
  const auto connect_deadline = Steady::now() + 120s;
  for (int i = 0; i < subscribers; ++i) {
    while (in_flight.load() >= 256 && Steady::now() < connect_deadline)
      std::this_thread::sleep_for(1ms);
    in_flight.fetch_add(1);
    auto s = std::make_shared<Subscriber>(ioc, run, [&in_flight] { in_flight.fetch_sub(1); });
    s->start(endpoint);
    clients.push_back(std::move(s));
  }
  while (run.ready.load() + run.failed.load() < subscribers && Steady::now() < connect_deadline) {
    std::this_thread::sleep_for(5ms);
  }
  std::this_thread::sleep_for(500ms);  // let the last subscriptions' replies be written
  const std::int64_t rss_after = rss_kib(server->process.pid());
  Result result;
  result.expected = run.expected;
  if (rss_before > 0 && rss_after > 0 && run.ready.load() > 0) {
    result.kib_per_connection =
        static_cast<double>(rss_after - rss_before) / static_cast<double>(run.ready.load());
  }
  if (run.failed.load() > 0 || run.ready.load() < subscribers) {
    result.note = std::to_string(run.ready.load()) + " of " + std::to_string(subscribers) +
                  " clients connected (" + std::to_string(run.failed.load()) + " failed)";
  }
  const int connected = run.ready.load();
  run.expected = events * connected;
  std::vector<std::int64_t> versions(kProducers, 2);  // created with one lead: 2 events each
  if (connected > 0) {
    publish_burst(run, tasks, versions, events);
    wait_for(run, run.expected, timeout);
  }
  result.delivered = run.delivered.load();
  result.seconds =
      static_cast<double>(run.last_delivery_ns.load() - run.first_send_ns.load()) / 1e9;
  result.ok = connected == subscribers && result.delivered == run.expected;
  if (result.seconds > 0)
    result.delivered_per_s = static_cast<double>(result.delivered) / result.seconds;
  if (result.ok) {
    run.sampling.store(true);
    publish_paced(run, tasks, versions, events, paced_count, interval);
    wait_for(run, run.expected + paced_count * connected, timeout);
    run.sampling.store(false);
    if (run.delivered.load() != run.expected + paced_count * connected) {
      result.note = "paced phase incomplete";
    }
  }
  for (auto& c : clients) c->stop();
  guard.reset();
  for (auto& t : threads) t.join();
  std::vector<std::uint32_t> append, published;
  for (auto& c : clients) {
    append.insert(append.end(), c->append_us.begin(), c->append_us.end());
    published.insert(published.end(), c->publish_us.begin(), c->publish_us.end());
  }
  result.append_p50_ms = quantile(append, 0.50) / 1000;
  result.append_p99_ms = quantile(append, 0.99) / 1000;
  result.publish_p50_ms = quantile(published, 0.50) / 1000;
  result.publish_p99_ms = quantile(published, 0.99) / 1000;
  if (!result.ok && result.note.empty()) {
    result.note =
        "delivered " + std::to_string(result.delivered) + " of " + std::to_string(run.expected);
  }
  return result;
}

std::vector<int> parse_list(const std::string& s) {
  std::vector<int> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoi(item));
  return out;
}

// min, median and max of one figure over the runs.
struct Spread {
  double min = 0, median = 0, max = 0;
};

Spread spread(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {v.front(), median, v.back()};
}

// Every run of one server at one subscriber count (failed runs are left out of the figures).
struct Series {
  std::vector<Result> runs;
  int failed = 0;
  template <class F>
  Spread of(F figure) const {
    std::vector<double> v;
    for (const auto& r : runs) v.push_back(figure(r));
    return spread(std::move(v));
  }
};

void print_row(const char* server, int n, std::int64_t burst, int run, const Result& r) {
  std::printf("%-6s %11d %4d %6lld %12.0f %9.2f %9.2f %10.2f %10.2f %8.1f  %s\n", server, n, run,
              static_cast<long long>(burst), r.delivered_per_s, r.append_p50_ms, r.append_p99_ms,
              r.publish_p50_ms, r.publish_p99_ms, r.kib_per_connection, r.note.c_str());
  std::fflush(stdout);
}

}  // namespace
}  // namespace duban::bench

int main(int argc, char** argv) {
  using namespace duban::bench;
  std::vector<int> counts = {1000, 10000};
  int runs = 5;
  std::int64_t events = 0;  // burst events; 0: 500,000 deliveries per run (at least 20 events)
  int timeout_s = 60;
  bool skip_node = false;
  int serve_threads = 2;
  std::string duban_binary = DUBAN_BINARY_PATH;
  std::string node_dir = std::string(DUBAN_SOURCE_DIR) + "/tools/bench/node";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--subscribers")
      counts = parse_list(value());
    else if (a == "--runs")
      runs = std::max(1, std::stoi(value()));
    else if (a == "--events")
      events = std::stoll(value());
    else if (a == "--run-timeout")
      timeout_s = std::stoi(value());
    else if (a == "--skip-node")
      skip_node = true;
    else if (a == "--serve-threads")
      serve_threads = std::stoi(value());
    else if (a == "--duban")
      duban_binary = value();
    else if (a == "--node-dir")
      node_dir = value();
    else {
      std::cerr << "usage: fanout_bench [--subscribers 1000,10000] [--runs 5] [--events N] "
                   "[--run-timeout S] [--skip-node] [--serve-threads N] [--duban PATH] "
                   "[--node-dir DIR]\n";
      return 2;
    }
  }
  const auto files = raise_open_files();
  if (!skip_node && !std::filesystem::exists(node_dir + "/node_modules/ws")) {
    std::cerr << "fanout_bench: npm install in " << node_dir << "\n";
    const std::string cmd =
        "cd '" + node_dir + "' && npm install --no-audit --no-fund --silent >&2";
    if (std::system(cmd.c_str()) != 0) {
      std::cerr
          << "fanout_bench: npm install failed; run with --skip-node to measure duban alone\n";
      return 1;
    }
  }
  std::printf(
      "fan-out on loopback, %u cores, open-file limit %llu; %d producer threads; duban "
      "with %d I/O threads; %d runs each, duban and node alternating\n",
      std::thread::hardware_concurrency(), static_cast<unsigned long long>(files), kProducers,
      serve_threads, runs);
  std::printf("duban's log in %s (TMPDIR)\n", std::filesystem::temp_directory_path().c_str());
  std::printf(
      "burst: as fast as the server takes events; paced: 20,000 deliveries/s in all; "
      "KiB/conn: server RSS growth per connected client\n");
  std::printf("%-6s %11s %4s %6s %12s %9s %9s %10s %10s %8s  %s\n", "server", "subscribers", "run",
              "burst", "delivered/s", "app p50", "app p99", "pub p50", "pub p99", "KiB/conn",
              "note");
  struct Row {
    int n;
    Series duban, node;
  };
  std::vector<Row> rows;
  for (int n : counts) {
    const std::int64_t e = events > 0 ? events : std::max<std::int64_t>(20, 500000 / n);
    Row row{n, {}, {}};
    for (int run = 1; run <= runs; ++run) {
      for (bool duban : {true, false}) {
        if (!duban && skip_node) continue;
        Result r;
        try {
          r = measure(duban, n, e, duban_binary, node_dir, std::chrono::seconds(timeout_s),
                      serve_threads);
        } catch (const std::exception& ex) {
          r.note = ex.what();
        }
        print_row(duban ? "duban" : "node", n, e, run, r);
        auto& series = duban ? row.duban : row.node;
        if (r.ok) {
          series.runs.push_back(r);
        } else {
          ++series.failed;
        }
        std::this_thread::sleep_for(2s);  // let the sockets of the last run go
      }
    }
    rows.push_back(std::move(row));
  }

  std::printf("\nover the runs: min / median / max (latencies in ms)\n");
  std::printf("%-6s %11s %4s %24s %24s %24s %20s\n", "server", "subscribers", "ok", "delivered/s",
              "append p99", "publish p99", "KiB/conn");
  auto print_series = [](const char* server, int n, const Series& s) {
    const auto d = s.of([](const Result& r) { return r.delivered_per_s; });
    const auto a = s.of([](const Result& r) { return r.append_p99_ms; });
    const auto p = s.of([](const Result& r) { return r.publish_p99_ms; });
    const auto m = s.of([](const Result& r) { return r.kib_per_connection; });
    std::printf(
        "%-6s %11d %2zu/%d %7.0f/%7.0f/%8.0f %7.2f/%7.2f/%8.2f %7.2f/%7.2f/%8.2f "
        "%6.1f/%6.1f/%6.1f\n",
        server, n, s.runs.size(), static_cast<int>(s.runs.size()) + s.failed, d.min, d.median,
        d.max, a.min, a.median, a.max, p.min, p.median, p.max, m.min, m.median, m.max);
  };
  for (const auto& row : rows) {
    print_series("duban", row.n, row.duban);
    if (!skip_node) print_series("node", row.n, row.node);
  }
  if (!skip_node) {
    std::printf(
        "\nratios duban / node of the medians (throughput: higher is better; latency and "
        "memory: lower is better)\n");
    std::printf("%11s %13s %14s %14s %14s %14s\n", "subscribers", "delivered/s", "append p50",
                "append p99", "publish p99", "KiB/conn");
    for (const auto& row : rows) {
      auto ratio = [&](auto figure) {
        const double b = row.node.of(figure).median;
        return b > 0 ? row.duban.of(figure).median / b : 0.0;
      };
      std::printf("%11d %12.2fx %13.2fx %13.2fx %13.2fx %13.2fx\n", row.n,
                  ratio([](const Result& r) { return r.delivered_per_s; }),
                  ratio([](const Result& r) { return r.append_p50_ms; }),
                  ratio([](const Result& r) { return r.append_p99_ms; }),
                  ratio([](const Result& r) { return r.publish_p99_ms; }),
                  ratio([](const Result& r) { return r.kib_per_connection; }));
    }
  }
  return 0;
}
