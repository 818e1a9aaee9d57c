// command_bench: lifecycle commands over HTTP against `duban serve` on loopback with 100
// concurrent clients (each its own keep-alive connection and its own task, so no client waits
// for another's version), every command decided and durably appended to the SQLite log. Prints
// commands/s and the p50/p90/p99 latency of one request as a client sees it.
//
// --queries: the cost of a query's catch-up read instead. Seeds --tasks tasks, then for --rounds
// rounds serves the SAME SQLite file twice, alternately shared (every query reads the log's
// head) and with --exclusive-db (the head comes from memory, docs/storage.md "Who writes the
// log"), each for --seconds seconds of --clients clients cycling through GET
// /api/v1/units/fgw/inbox and GET /api/v1/overdue. Prints queries/s and latency per round and
// mode, and the exclusive/shared ratio of the summed rates.
//
// usage: command_bench [--clients 100] [--commands-per-client 50] [--duban PATH]
//        command_bench --queries [--clients 8] [--tasks 20] [--seconds 3] [--rounds 2]
#include <atomic>
#include <cstdio>
#include <iostream>
#include <thread>

#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tools/bench/bench_support.h"

namespace {

using namespace duban::bench;

struct QueryRun {
  std::size_t queries = 0;
  double seconds = 0;
  std::vector<std::uint32_t> latencies_us;
  int errors = 0;
};

// `clients` keep-alive clients query for `seconds` against the server at `port`.
QueryRun run_queries(std::uint16_t port, const std::string& token, int clients, double seconds) {
  const std::vector<std::string> targets{"/api/v1/units/fgw/inbox", "/api/v1/overdue"};
  std::vector<std::vector<std::uint32_t>> latencies(static_cast<std::size_t>(clients));
  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      duban::testing::HttpClient c("127.0.0.1", port, 30s);
      c.get("/healthz");  // open the connection before the clock starts
      while (!go.load()) std::this_thread::yield();
      auto& mine = latencies[static_cast<std::size_t>(i)];
      for (std::size_t k = static_cast<std::size_t>(i); !stop.load(); ++k) {
        const auto start = std::chrono::steady_clock::now();
        auto r = c.get(targets[k % targets.size()], token);
        mine.push_back(
            static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - start)
                                           .count()));
        if (r.status != 200) errors.fetch_add(1);
      }
    });
  }
  const auto start = std::chrono::steady_clock::now();
  go.store(true);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop.store(true);
  for (auto& t : threads) t.join();
  QueryRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto& l : latencies) run.latencies_us.insert(run.latencies_us.end(), l.begin(), l.end());
  run.queries = run.latencies_us.size();
  run.errors = errors.load();
  return run;
}

int queries_mode(const std::string& duban_binary, int clients, int tasks, double seconds,
                 int rounds) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("bench.db");
  auto serve = [&](bool exclusive) {
    std::vector<std::string> args{"serve",
                                  "--db",
                                  db,
                                  "--listen",
                                  "127.0.0.1:0",
                                  "--demo-tokens",
                                  "--quiet",
                                  "--sweep-interval",
                                  "0"};
    if (exclusive) args.push_back("--exclusive-db");
    return std::make_unique<ServerProcess>(duban_binary, args);
  };
  {
    auto server = serve(false);
    duban::testing::HttpClient c("127.0.0.1", server->port);
    for (int i = 0; i < tasks; ++i) {
      const std::string t = "q-task-" + std::to_string(i);
      auto r = c.post("/api/v1/tasks",
                      R"({"command_id":"create-)" + t + R"(","expected_version":0,"task":")" + t +
                          R"(","provenance":{"document":"bench-doc"},"leads":["fgw"]})",
                      server->token);
      if (r.status != 200) {
        std::cerr << "command_bench: creating " << t << ": " << r.body << "\n";
        return 1;
      }
    }
  }
  std::printf(
      "queries over HTTP on loopback, %u cores: %d clients cycling GET units/fgw/inbox (%d tasks) "
      "and GET overdue, %.1f s per round; SQLite served shared (head() read per query) and "
      "--exclusive-db (head from memory), alternately\n",
      std::thread::hardware_concurrency(), clients, tasks, seconds);
  std::printf("%6s %10s %10s %10s %10s %10s %8s\n", "round", "mode", "queries/s", "p50 ms",
              "p99 ms", "max ms", "errors");
  double rate[2] = {0, 0};
  int errors = 0;
  for (int round = 1; round <= rounds; ++round) {
    for (bool exclusive : {false, true}) {
      auto server = serve(exclusive);
      QueryRun run = run_queries(server->port, server->token, clients, seconds);
      const double qps = static_cast<double>(run.queries) / run.seconds;
      rate[exclusive ? 1 : 0] += qps;
      errors += run.errors;
      const char* mode = exclusive ? "exclusive" : "shared";
      std::printf("%6d %10s %10.0f %10.3f %10.3f %10.3f %8d\n", round, mode, qps,
                  quantile(run.latencies_us, 0.5) / 1000, quantile(run.latencies_us, 0.99) / 1000,
                  quantile(run.latencies_us, 1.0) / 1000, run.errors);
    }
  }
  std::printf("exclusive / shared queries/s (sum over rounds): %.2f\n",
              rate[0] > 0 ? rate[1] / rate[0] : 0.0);
  return errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace duban::bench;
  int clients = -1;  // default: 100 commands' clients, 8 queries' clients
  int per_client = 50;
  bool queries = false;
  int tasks = 20;
  double query_seconds = 3;
  int rounds = 2;
  std::string duban_binary = DUBAN_BINARY_PATH;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--clients")
      clients = std::stoi(value());
    else if (a == "--commands-per-client")
      per_client = std::stoi(value());
    else if (a == "--duban")
      duban_binary = value();
    else if (a == "--queries")
      queries = true;
    else if (a == "--tasks")
      tasks = std::stoi(value());
    else if (a == "--seconds")
      query_seconds = std::stod(value());
    else if (a == "--rounds")
      rounds = std::stoi(value());
    else {
      std::cerr << "usage: command_bench [--clients 100] [--commands-per-client 50] [--duban "
                   "PATH]\n       command_bench --queries [--clients 8] [--tasks 20] [--seconds 3] "
                   "[--rounds 2]\n";
      return 2;
    }
  }
  raise_open_files();
  if (queries)
    return queries_mode(duban_binary, clients < 0 ? 8 : clients, tasks, query_seconds, rounds);
  if (clients < 0) clients = 100;
  duban::testing::TempDir dir;
  ServerProcess server(duban_binary,
                       {"serve", "--db", dir.file("bench.db"), "--listen", "127.0.0.1:0",
                        "--demo-tokens", "--quiet", "--sweep-interval", "0"});
  const std::string token = server.token;
  {
    duban::testing::HttpClient c("127.0.0.1", server.port);
    for (int i = 0; i < clients; ++i) {
      const std::string t = "cmd-task-" + std::to_string(i);
      auto r = c.post("/api/v1/tasks",
                      R"({"command_id":"create-)" + t + R"(","expected_version":0,"task":")" + t +
                          R"(","provenance":{"document":"bench-doc"},"leads":["fgw"]})",
                      token);
      if (r.status != 200) {
        std::cerr << "command_bench: creating " << t << ": " << r.body << "\n";
        return 1;
      }
    }
  }
  std::vector<std::vector<std::uint32_t>> latencies(static_cast<std::size_t>(clients));
  std::atomic<int> errors{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      duban::testing::HttpClient c("127.0.0.1", server.port, 30s);
      c.get("/healthz");  // open the connection before the clock starts
      while (!go.load()) std::this_thread::yield();
      const std::string task = "cmd-task-" + std::to_string(i);
      std::int64_t version = 2;
      auto& mine = latencies[static_cast<std::size_t>(i)];
      for (int k = 0; k < per_client; ++k) {
        const auto start = std::chrono::steady_clock::now();
        auto r = c.post("/api/v1/tasks/" + task + "/urge",
                        R"({"command_id":"c)" + std::to_string(i) + "-" + std::to_string(k) +
                            R"(","expected_version":)" + std::to_string(version) + "}",
                        token);
        mine.push_back(
            static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - start)
                                           .count()));
        if (r.status == 200)
          ++version;
        else
          errors.fetch_add(1);
      }
    });
  }
  const auto start = std::chrono::steady_clock::now();
  go.store(true);
  for (auto& t : threads) t.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<std::uint32_t> all;
  for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  const auto n = all.size();
  std::printf(
      "commands over HTTP on loopback, %u cores: %d clients x %d UrgeTask commands, each "
      "decided and durably appended (SQLite, synchronous=FULL)\n",
      std::thread::hardware_concurrency(), clients, per_client);
  std::printf("%10s %12s %10s %10s %10s %10s %8s\n", "commands", "commands/s", "p50 ms", "p90 ms",
              "p99 ms", "max ms", "errors");
  const double p50 = quantile(all, 0.5) / 1000, p90 = quantile(all, 0.9) / 1000,
               p99 = quantile(all, 0.99) / 1000, max = quantile(all, 1.0) / 1000;
  std::printf("%10zu %12.0f %10.2f %10.2f %10.2f %10.2f %8d\n", n, static_cast<double>(n) / seconds,
              p50, p90, p99, max, errors.load());
  return errors.load() == 0 ? 0 : 1;
}
