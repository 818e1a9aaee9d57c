// A child process that keeps running while the test talks to it (`duban serve`, `duban watch`):
// started with fork/exec, its stdout and stderr read through pipes, stopped with a signal.
//
// Thread-safety: one thread uses a ChildProcess.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace duban::testing {

class ChildProcess {
 public:
  // Starts `program` with `args`. Throws std::runtime_error when fork or exec fails.
  ChildProcess(const std::string& program, const std::vector<std::string>& args);
  // SIGKILLs the child if it still runs, and reaps it.
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Reads stdout until a line containing `needle` arrives; returns that line, or nullopt on
  // timeout or end of output.
  std::optional<std::string> wait_for_line(const std::string& needle,
                                           std::chrono::milliseconds timeout);
  // Everything read from stdout so far (wait_for_line and wait_for_exit read).
  const std::string& out() const { return out_; }
  // Everything read from stderr so far.
  const std::string& err() const { return err_; }

  void signal(int signal);
  // Waits for the child to exit, reading its output meanwhile; the exit code (128 + signal when
  // killed), or nullopt on timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

 private:
  // Reads what is available on both pipes for up to `timeout`; false when both are closed.
  bool pump(std::chrono::milliseconds timeout);

  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_;
  std::string err_;
  std::size_t scanned_ = 0;  // out_ up to here was already searched by wait_for_line
  std::optional<int> exit_code_;
};

}  // namespace duban::testing
