// attachment_bench: the memory `duban serve` needs for evidence files. Uploads and downloads one
// small file (the baseline: a server that has handled an attachment), then one of --mib MiB, and
// prints the server's peak RSS (VmHWM of /proc/PID/status) after each, with the throughput. The
// upload and the download are streamed (docs/api.md, "Attachments"), so the peak should grow by
// far less than the file's size; a server holding whole bodies grows by two or three times it.
//
// usage: attachment_bench [--mib 40] [--duban PATH]
#include <cstdio>
#include <fstream>
#include <iostream>

#include "tests/support/net_clients.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"
#include "tools/bench/bench_support.h"

namespace {

// VmHWM of a process, in KiB (0 when unreadable).
long peak_rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

std::string pdf_of_size(std::size_t n) {
  std::string out = "%PDF-1.7\n";
  unsigned x = 1;
  out.reserve(n);
  while (out.size() < n) {
    x = x * 1103515245u + 12345u;
    out.push_back(static_cast<char>(x >> 16));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace duban::bench;
  std::size_t mib = 40;
  std::string duban_binary = DUBAN_BINARY_PATH;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--mib")
      mib = std::stoul(value());
    else if (a == "--duban")
      duban_binary = value();
    else {
      std::cerr << "usage: attachment_bench [--mib 40] [--duban PATH]\n";
      return 2;
    }
  }
  duban::testing::TempDir dir;
  ServerProcess server(
      duban_binary,
      {"serve", "--db", dir.file("bench.db"), "--listen", "127.0.0.1:0", "--demo-tokens", "--quiet",
       "--sweep-interval", "0", "--max-attachment", std::to_string((mib + 1) * 1024 * 1024)});
  duban::testing::HttpClient c("127.0.0.1", server.port, 120s);
  auto created = c.post(
      "/api/v1/tasks",
      R"({"command_id":"create-1","expected_version":0,"task":"att-1","provenance":{"document":"bench-doc"},"leads":["fgw"]})",
      server.token);
  if (created.status != 200) {
    std::cerr << "attachment_bench: creating the task: " << created.body << "\n";
    return 1;
  }
  // A token of the lead unit (the one that reports), made as an operator would.
  const auto made = duban::testing::run_command(
      duban_binary, {"token", "create", "--unit", "fgw", "--db", dir.file("bench.db")});
  const auto at = made.out.find("dbn_");
  if (at == std::string::npos) {
    std::cerr << "attachment_bench: duban token create: " << made.out << made.err << "\n";
    return 1;
  }
  const std::string fgw = made.out.substr(at, made.out.find_first_of(" \n", at) - at);
  int command = 0;
  // Upload `bytes`, put it on a progress report, download it; the seconds each way.
  auto round_trip = [&](const std::string& bytes, double& up_s, double& down_s) {
    auto t0 = std::chrono::steady_clock::now();
    auto up = c.request("POST", "/api/v1/tasks/att-1/attachments?name=bench.pdf", bytes, fgw,
                        "application/pdf");
    auto t1 = std::chrono::steady_clock::now();
    if (up.status != 201) throw std::runtime_error("upload: " + up.body);
    const std::string sha(up.json().at("sha256").as_string());
    const auto version = c.get("/api/v1/tasks/att-1", fgw).json().at("version").as_int64();
    auto r = c.post("/api/v1/tasks/att-1/progress",
                    R"({"command_id":"p)" + std::to_string(++command) + R"(","expected_version":)" +
                        std::to_string(version) + R"(,"note":"n","attachments":[{"sha256":")" +
                        sha + R"(","name":"bench.pdf"}]})",
                    fgw);
    if (r.status != 200) throw std::runtime_error("report: " + r.body);
    auto t2 = std::chrono::steady_clock::now();
    auto down = c.get("/api/v1/attachments/" + sha + "?task=att-1", fgw);
    auto t3 = std::chrono::steady_clock::now();
    if (down.status != 200 || down.body != bytes) throw std::runtime_error("download differs");
    up_s = std::chrono::duration<double>(t1 - t0).count();
    down_s = std::chrono::duration<double>(t3 - t2).count();
  };
  double up_s = 0, down_s = 0;
  round_trip(pdf_of_size(64 * 1024), up_s, down_s);
  const long baseline = peak_rss_kib(server.process.pid());
  round_trip(pdf_of_size(mib * 1024 * 1024), up_s, down_s);
  const long peak = peak_rss_kib(server.process.pid());
  std::printf("file                 %zu MiB\n", mib);
  std::printf("server peak RSS      baseline %.1f MiB, after the file %.1f MiB (+%.1f MiB)\n",
              baseline / 1024.0, peak / 1024.0, (peak - baseline) / 1024.0);
  std::printf("upload               %.2f s (%.1f MiB/s)\n", up_s, mib / up_s);
  std::printf("download             %.2f s (%.1f MiB/s)\n", down_s, mib / down_s);
  return 0;
}
