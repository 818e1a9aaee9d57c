// Crash durability: a separate writer process (crash_writer) appends from several threads and
// prints every acknowledged append; the test SIGKILLs it mid-stream, reopens the database and
// checks that every acknowledged command is present in full (both of its events, at the
// acknowledged positions), that no command is torn, and that the hash chain is intact. Two
// rounds: the second writer resumes on the file the first one was killed over.
//
// SIGKILL tests process death, not power loss; power-loss durability rests on
// synchronous=FULL (docs/storage.md).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <sstream>

#include "storage/hash_chain.h"
#include "storage/sqlite_event_store.h"
#include "tests/support/temp_dir.h"

extern char** environ;

namespace duban::storage {
namespace {

struct Ack {
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::string command;
};

// Starts the writer, reads at least `min_acks` acknowledgements, kills it with SIGKILL, then
// drains what it had already written to the pipe: those appends were acknowledged too.
std::vector<Ack> run_and_kill(const std::string& db, int min_acks) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  std::string exe = DUBAN_STORE_CRASH_WRITER;
  std::string threads = "4";
  std::string db_arg = db;
  char* argv[] = {exe.data(), db_arg.data(), threads.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) throw std::runtime_error("cannot start " + exe);

  std::string out;
  char buf[4096];
  int lines = 0;
  bool killed = false;
  for (;;) {
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;  // EOF: the writer is gone (killed, or failed on its own)
    out.append(buf, static_cast<std::size_t>(n));
    for (ssize_t i = 0; i < n; ++i) lines += buf[i] == '\n';
    if (!killed && lines >= min_acks) {
      kill(pid, SIGKILL);
      killed = true;
    }
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(killed) << "the writer stopped by itself after " << lines << " acks";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  std::vector<Ack> acks;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // a final line without '\n' was cut by the kill: not an ack
    std::istringstream fields(line);
    std::string word;
    Ack a;
    fields >> word >> a.first >> a.last >> a.command;
    if (word == "ack") acks.push_back(a);
  }
  return acks;
}

TEST(CrashDurability, EveryAcknowledgedAppendSurvivesSigkillAndTheChainStaysIntact) {
  duban::testing::TempDir dir;
  const std::string db = dir.file("events.db");
  FixedClock clock(from_millis(1'767'312'000'000));
  std::vector<Ack> all_acks;
  for (int round = 0; round < 2; ++round) {
    auto acks = run_and_kill(db, 150);
    ASSERT_GE(acks.size(), 150u) << "round " << round;
    all_acks.insert(all_acks.end(), acks.begin(), acks.end());

    auto store = SqliteEventStore::open({.path = db}, clock);  // a restart after the crash
    ASSERT_TRUE(store.ok()) << store.error().message;
    auto check = verify_hash_chain(**store);
    ASSERT_TRUE(check.ok()) << check.error().message;

    auto log = (*store)->read_all(GlobalPosition(1), 1'000'000);
    ASSERT_TRUE(log.ok());
    ASSERT_EQ(static_cast<std::int64_t>(log->size()), check->events);
    for (const Ack& a : all_acks) {
      ASSERT_EQ(a.last, a.first + 1) << a.command;
      ASSERT_LE(a.last, static_cast<std::int64_t>(log->size()))
          << "acknowledged but lost: " << a.command;
      const RecordedEvent& tick = (*log)[static_cast<std::size_t>(a.first - 1)];
      const RecordedEvent& tock = (*log)[static_cast<std::size_t>(a.last - 1)];
      ASSERT_EQ(tick.command_id.str(), a.command);
      ASSERT_EQ(tock.command_id.str(), a.command);
      EXPECT_EQ(tick.payload, "first of " + a.command);
      EXPECT_EQ(tock.payload, "second of " + a.command);
    }
    // No torn commands: every command in the log has both of its events, adjacent.
    std::map<std::string, int> per_command;
    for (const RecordedEvent& e : *log) ++per_command[e.command_id.str()];
    for (const auto& [command, count] : per_command) EXPECT_EQ(count, 2) << command;
  }
}

}  // namespace
}  // namespace duban::storage
