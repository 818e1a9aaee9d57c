// Helper for crash_test.cpp: appends to the event store at argv[1] from argv[2] threads in a
// loop and prints one line per ACKNOWLEDGED append to stdout, right after append() returned:
//
//   ack <first position> <last position> <command id>
//
// It runs until killed (the test sends SIGKILL), or stops by itself after 30 s so a forgotten
// one cannot run forever. Each line is written with one write(2), so lines never interleave.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "platform/system_clock.h"
#include "storage/sqlite_event_store.h"

namespace {

void write_line(const std::string& line) {
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) std::_Exit(3);  // the test went away
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace duban;
  using namespace duban::storage;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DB_PATH THREADS\n", argv[0]);
    return 2;
  }
  platform::SystemClock clock;
  auto store = SqliteEventStore::open({.path = argv[1]}, clock);
  if (!store) {
    std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
    return 1;
  }
  const int threads = std::atoi(argv[2]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  const std::string run = std::to_string(::getpid());
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string stream = "crash/" + std::to_string(t);
      for (long i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
        const std::string id = run + "/" + std::to_string(t) + "/" + std::to_string(i);
        // Two events per command, so a torn command would show as a half-present pair.
        std::vector<NewEvent> events{NewEvent{"Tick", 1, "first of " + id, "crash-writer"},
                                     NewEvent{"Tock", 1, "second of " + id, "crash-writer"}};
        auto r = (*store)->append(stream, ExpectedVersion::any(), events, CommandId(id));
        if (!r) {
          std::fprintf(stderr, "append: %s\n", r.error().message.c_str());
          std::_Exit(1);
        }
        write_line("ack " + std::to_string(r->first.value()) + " " +
                   std::to_string(r->last.value()) + " " + id + "\n");
      }
    });
  }
  for (auto& w : workers) w.join();
  return 0;
}
