// Runs the real `duban` binary (or any program) in a child process and captures its output,
// so command-line tests exercise what a user runs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/temp_dir.h"

namespace duban::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Arguments are passed as given (quoted for the shell); `stdin_text` is fed to standard input.
CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::string& stdin_text = "");

// Whether `text` (a command's output, a page, a report) contains `part`.
inline bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

}  // namespace duban::testing
