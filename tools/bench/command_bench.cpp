// command_bench: lifecycle commands over HTTP against `duban serve` on loopback with 100
// concurrent clients (each its own keep-alive connection and its own task, so no client waits
// for another's version), every command decided and durably appended to the SQLite log. Prints
// commands/s and the p50/p90/p99 latency of one request as a client sees it.
//
// usage: command_bench [--clients 100] [--commands-per-client 50] [--duban PATH]
#include <atomic>
#include <cstdio>
#include <iostream>
#include <thread>

#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tools/bench/bench_support.h"

int main(int argc, char** argv) {
  using namespace duban::bench;
  int clients = 100;
  int per_client = 50;
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
    else {
      std::cerr
          << "usage: command_bench [--clients 100] [--commands-per-client 50] [--duban PATH]\n";
      return 2;
    }
  }
  raise_open_files();
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
