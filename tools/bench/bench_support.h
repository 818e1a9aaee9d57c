// Helpers shared by the server benches (fanout_bench, command_bench): starting `duban serve`
// and the Node peer as child processes on loopback, percentiles, the open-file limit.
#pragma once

#include <sys/resource.h>

#include <csignal>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/child_process.h"

namespace duban::bench {

using namespace std::chrono_literals;

// Thousands of sockets need thousands of descriptors: take what the hard limit allows (children
// inherit it).
inline std::uint64_t raise_open_files() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

// A server child process and the port it printed ("listening on http://127.0.0.1:PORT").
struct ServerProcess {
  std::unique_ptr<testing::ChildProcess> process;
  std::uint16_t port = 0;
  std::string supervisor_token;  // duban only (--demo)

  ServerProcess(const std::string& program, const std::vector<std::string>& args) {
    process = std::make_unique<testing::ChildProcess>(program, args);
    auto line = process->wait_for_line("listening on", 120s);
    if (!line) throw std::runtime_error(program + " did not start: " + process->err());
    std::smatch m;
    if (!std::regex_search(*line, m, std::regex("127\\.0\\.0\\.1:([0-9]+)"))) {
      throw std::runtime_error("no port in: " + *line);
    }
    port = static_cast<std::uint16_t>(std::stoi(m[1]));
    std::smatch t;
    const std::string out = process->out();
    if (std::regex_search(out, t, std::regex("supervisor token: (dbn_[A-Za-z0-9_-]+)"))) {
      supervisor_token = t[1];
    }
  }

  ~ServerProcess() {
    process->signal(SIGTERM);
    process->wait_for_exit(20s);
  }
};

// The q-quantile (0..1) of `v` (sorted in place); 0 when empty.
template <class T>
double quantile(std::vector<T>& v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]);
}

}  // namespace duban::bench
