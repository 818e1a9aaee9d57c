// node_fanout_bench: WebSocket push across duban nodes that share one PostgreSQL log, next to
// push on the node that took the command, in the same run, on loopback.
//
// Three `duban serve` nodes run in this process (the Server library, as `duban serve` wires it),
// each over its own PostgresEventStore object (own connections, own listener), read model and
// TaskService, on one fresh database:
//   A  takes every command (HTTP POST, one producer);
//   B  a second node: learns of A's appends from PostgreSQL's NOTIFY (the default);
//   C  a node with LISTEN off (`listen = false`, as behind PgBouncer in transaction mode): it
//      learns of A's appends only by its dispatcher's reads every 100 ms — the bound a lost
//      notification falls back to.
// Each node has --subscribers WebSocket clients subscribed to every event. The producer posts
// --events UrgeTask commands to A at --rate per second (paced, so nothing queues), and every
// client timestamps each event it receives. Latency per delivery is publish→deliver: from the
// producer sending the POST to a client receiving the event (it includes deciding and the
// durable append, the same for every row). The table gives p50/p99/max per node and the
// cross-node rows' ratio to the same-node row.
//
// Without --db it starts a throwaway PostgreSQL with tools/dev/pg-test-server.sh (fsync off) and
// stops it at the end; with --db URL it creates and drops a bench_* database there (CREATEDB
// needed). Everything listens on 127.0.0.1; every wait is bounded by --run-timeout.
//
// usage: node_fanout_bench [--db URL] [--subscribers 100] [--events 300] [--rate 20]
//                          [--run-timeout 60]
#include <stdlib.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <pqxx/connection>
#include <pqxx/nontransaction>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>

#include "model/gazette/units.h"
#include "platform/system_clock.h"
#include "server/server.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/postgres_event_store.h"
#include "storage/sqlite_token_store.h"
#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tools/bench/bench_support.h"
#include "tools/bench/pg_bench_support.h"
#include "tools/bench/ws_reader.h"

namespace duban::bench {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Steady = std::chrono::steady_clock;

constexpr int kTasks = 8;    // commands rotate over this many tasks
constexpr int kWarmup = 10;  // first events not sampled (connections and plans warm up)

std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch())
      .count();
}

// One node: store, read model, service and server, as app/serve_command.cpp wires them.
struct Node {
  Node(const std::string& url, const std::string& name, bool listen, const Clock& clock,
       storage::TokenStore& tokens) {
    auto opened = storage::PostgresEventStore::open(
        {.url = url, .listen = listen, .application_name = "duban-bench-" + name}, clock);
    if (!opened) throw std::runtime_error(name + ": " + opened.error().message);
    store = std::move(*opened);
    if (auto caught = model.catch_up(*store); !caught) {
      throw std::runtime_error(name + ": " + caught.error().message);
    }
    service = std::make_unique<service::TaskService>(*store, model, clock);
    server::ServerOptions options;
    options.port = 0;
    options.request_log = false;
    options.sweep_interval = std::chrono::milliseconds(0);
    options.workers = 4;
    server = std::make_unique<server::Server>(
        options, server::ServerDependencies{*store, *service, tokens, clock,
                                            gazette::UnitDirectory::builtin()});
    auto bound = server->start();
    if (!bound) throw std::runtime_error(name + ": " + bound.error().message);
    port = *bound;
  }
  ~Node() {
    if (server) server->stop();
  }

  std::unique_ptr<storage::PostgresEventStore> store;
  service::projections::ReadModel model;
  std::unique_ptr<service::TaskService> service;
  std::unique_ptr<server::Server> server;
  std::uint16_t port = 0;
};

// What the producer and every client share.
struct Run {
  explicit Run(std::size_t events) : sent_ns(events) {}
  std::vector<std::atomic<std::int64_t>> sent_ns;  // by event seq: when its POST was sent
  std::atomic<int> ready{0};                       // subscriptions caught up
  std::atomic<int> failed{0};
  std::atomic<std::int64_t> delivered{0};
  std::string token;
};

// One WebSocket client subscribed to every event; keeps publish→deliver samples in µs.
class Subscriber : public WsReader {
 public:
  Subscriber(asio::io_context& ioc, Run& run) : WsReader(ioc, {.token = run.token}), run_(run) {}

  std::vector<std::uint32_t> samples_us;
  std::int64_t events = 0;

 private:
  void on_message(std::string_view m) override {
    const std::int64_t now = steady_ns();
    if (m.find("\"type\":\"event\"") != std::string_view::npos) {
      sample(m, now);
    } else if (m.find("\"type\":\"caught_up\"") != std::string_view::npos && !ready_) {
      ready_ = true;
      run_.ready.fetch_add(1);
    }
  }

  // The event's command id is "b<seq>": publish→deliver from the producer's stamp of seq.
  void sample(std::string_view m, std::int64_t now) {
    constexpr std::string_view kKey = "\"command_id\":\"b";
    const auto at = m.find(kKey);
    if (at == std::string_view::npos) return;  // a task creation
    std::int64_t seq = -1;
    std::from_chars(m.data() + at + kKey.size(), m.data() + m.size(), seq);
    if (seq < 0 || static_cast<std::size_t>(seq) >= run_.sent_ns.size()) return;
    ++events;
    run_.delivered.fetch_add(1, std::memory_order_relaxed);
    const std::int64_t sent = run_.sent_ns[static_cast<std::size_t>(seq)].load();
    if (seq >= kWarmup && sent > 0) {
      samples_us.push_back(
          static_cast<std::uint32_t>(std::max<std::int64_t>(0, now - sent) / 1000));
    }
  }

  void on_fail() override { run_.failed.fetch_add(1); }

  Run& run_;
  bool ready_ = false;
};

struct Options {
  std::string db;
  int subscribers = 100;
  int events = 300;
  double rate = 20;
  int run_timeout_s = 60;
};

int run_bench(const Options& o) {
  std::unique_ptr<ThrowawayServer> throwaway;
  std::string server_url = o.db;
  if (server_url.empty()) {
    std::cerr
        << "node_fanout_bench: starting a throwaway PostgreSQL (tools/dev/pg-test-server.sh)\n";
    throwaway = std::make_unique<ThrowawayServer>();
    server_url = throwaway->url();
  }
  BenchDatabase db(server_url, "bench_nodes_" + std::to_string(getpid()));
  testing::TempDir dir;
  auto tokens = storage::SqliteTokenStore::open(dir.file("tokens.db"));
  if (!tokens) throw std::runtime_error("token store: " + tokens.error().message);
  platform::SystemClock clock;
  Run run(static_cast<std::size_t>(o.events));
  auto token = (*tokens)->create(storage::TokenGrant::supervisor(), clock.now());
  if (!token) throw std::runtime_error("token: " + token.error().message);
  run.token = *token;

  asio::io_context ioc;  // the clients' (declared before them: they die first)
  // Node A first: it creates the schema the others open.
  struct Row {
    const char* name;
    std::unique_ptr<Node> node;
    std::vector<std::shared_ptr<Subscriber>> clients;
  };
  std::vector<Row> rows;
  rows.push_back(
      {"same node (A)", std::make_unique<Node>(db.url(), "a", true, clock, **tokens), {}});
  rows.push_back(
      {"cross node (B, NOTIFY)", std::make_unique<Node>(db.url(), "b", true, clock, **tokens), {}});
  rows.push_back({"cross node (C, LISTEN off: 100 ms reads)",
                  std::make_unique<Node>(db.url(), "c", false, clock, **tokens),
                  {}});
  Node& a = *rows[0].node;

  std::vector<std::string> tasks;
  std::vector<std::int64_t> versions;
  {
    testing::HttpClient c("127.0.0.1", a.port);
    for (int t = 0; t < kTasks; ++t) {
      tasks.push_back("bench-task-" + std::to_string(t));
      auto r =
          c.post("/api/v1/tasks",
                 R"({"command_id":"create-)" + tasks.back() + R"(","expected_version":0,"task":")" +
                     tasks.back() + R"(","provenance":{"document":"bench-doc"},"leads":["fgw"]})",
                 run.token);
      if (r.status != 200) throw std::runtime_error("creating a task: " + r.body);
      versions.push_back(2);  // TaskCreated, UnitAssigned
    }
  }

  auto guard = asio::make_work_guard(ioc);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { ioc.run(); });
  for (auto& row : rows) {
    for (int i = 0; i < o.subscribers; ++i) {
      auto s = std::make_shared<Subscriber>(ioc, run);
      s->start(tcp::endpoint(asio::ip::make_address("127.0.0.1"), row.node->port));
      row.clients.push_back(std::move(s));
    }
  }
  const int total_clients = o.subscribers * static_cast<int>(rows.size());
  const auto timeout = std::chrono::seconds(o.run_timeout_s);
  const auto connect_deadline = Steady::now() + timeout;
  while (run.ready.load() + run.failed.load() < total_clients && Steady::now() < connect_deadline) {
    std::this_thread::sleep_for(5ms);
  }
  std::string note;
  if (run.ready.load() < total_clients) {
    note = std::to_string(run.ready.load()) + " of " + std::to_string(total_clients) +
           " clients subscribed";
  }

  // The producer: one POST every 1/rate s to node A.
  {
    testing::HttpClient c("127.0.0.1", a.port, 30s);
    const auto interval = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / o.rate));
    const auto start = Steady::now();
    const auto produce_deadline = start + timeout;
    for (int seq = 0; seq < o.events && Steady::now() < produce_deadline; ++seq) {
      std::this_thread::sleep_until(start + interval * seq);
      const auto t = static_cast<std::size_t>(seq % kTasks);
      run.sent_ns[static_cast<std::size_t>(seq)].store(steady_ns());
      auto r = c.post("/api/v1/tasks/" + tasks[t] + "/urge",
                      R"({"command_id":"b)" + std::to_string(seq) + R"(","expected_version":)" +
                          std::to_string(versions[t]) + R"(,"note":"node fan-out benchmark"})",
                      run.token);
      if (r.status != 200) throw std::runtime_error("a command failed: " + r.body);
      ++versions[t];
    }
  }
  const std::int64_t expected = static_cast<std::int64_t>(o.events) * run.ready.load();
  const auto deliver_deadline = Steady::now() + timeout;
  while (run.delivered.load() < expected && Steady::now() < deliver_deadline) {
    std::this_thread::sleep_for(5ms);
  }
  for (auto& row : rows) {
    for (auto& s : row.clients) s->stop();
  }
  guard.reset();
  for (auto& t : threads) t.join();
  if (run.delivered.load() < expected) {
    note += (note.empty() ? "" : "; ") + std::string("delivered ") +
            std::to_string(run.delivered.load()) + " of " + std::to_string(expected);
  }

  std::printf(
      "node fan-out on one PostgreSQL (127.0.0.1), %u cores; %d commands at %.0f/s posted "
      "to node A; %d subscribers per node, each subscribed to every event\n",
      std::thread::hardware_concurrency(), o.events, o.rate, o.subscribers);
  std::printf(
      "latency per delivery: from the command's POST to node A to the event arriving at "
      "a subscriber (first %d events not sampled)\n",
      kWarmup);
  std::printf("%-42s %11s %7s %7s %7s %12s %12s\n", "delivery", "deliveries", "p50 ms", "p99 ms",
              "max ms", "p50 / same", "p99 / same");
  double same_p50 = 0, same_p99 = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::uint32_t> all;
    std::int64_t deliveries = 0;
    for (auto& s : rows[i].clients) {
      all.insert(all.end(), s->samples_us.begin(), s->samples_us.end());
      deliveries += s->events;
    }
    const double p50 = quantile(all, 0.50) / 1000, p99 = quantile(all, 0.99) / 1000;
    const double max = quantile(all, 1.0) / 1000;
    if (i == 0) {
      same_p50 = p50;
      same_p99 = p99;
      std::printf("%-42s %11lld %7.2f %7.2f %7.2f %12s %12s\n", rows[i].name,
                  static_cast<long long>(deliveries), p50, p99, max, "1.00x", "1.00x");
    } else {
      auto ratio = [](double x, double base) { return base > 0 ? x / base : 0.0; };
      std::printf("%-42s %11lld %7.2f %7.2f %7.2f %11.2fx %11.2fx\n", rows[i].name,
                  static_cast<long long>(deliveries), p50, p99, max, ratio(p50, same_p50),
                  ratio(p99, same_p99));
    }
  }
  if (!note.empty()) std::printf("note: %s\n", note.c_str());
  return note.empty() ? 0 : 1;
}

}  // namespace
}  // namespace duban::bench

int main(int argc, char** argv) {
  using namespace duban::bench;
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    try {
      if (a == "--db")
        o.db = value();
      else if (a == "--subscribers")
        o.subscribers = std::stoi(value());
      else if (a == "--events")
        o.events = std::stoi(value());
      else if (a == "--rate")
        o.rate = std::stod(value());
      else if (a == "--run-timeout")
        o.run_timeout_s = std::stoi(value());
      else
        throw std::invalid_argument(a);
    } catch (const std::exception&) {
      std::cerr << "usage: node_fanout_bench [--db URL] [--subscribers 100] [--events 300] "
                   "[--rate 20] [--run-timeout 60]\n";
      return 2;
    }
  }
  if (o.subscribers < 1 || o.events <= kWarmup || !(o.rate > 0) || o.run_timeout_s < 1) {
    std::cerr << "node_fanout_bench: --subscribers >= 1, --events > " << kWarmup
              << ", --rate > 0, --run-timeout >= 1\n";
    return 2;
  }
  raise_open_files();
  try {
    return run_bench(o);
  } catch (const std::exception& e) {
    std::cerr << "node_fanout_bench: " << e.what() << "\n";
    return 1;
  }
}
