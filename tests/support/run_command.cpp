#include "tests/support/run_command.h"

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace duban::testing {
namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

CommandResult run_command(const std::string& program, const std::vector<std::string>& args,
                          const std::string& stdin_text) {
  TempDir io;
  const std::string in = io.write("stdin", stdin_text);
  std::string cmd = quote(program);
  for (const auto& a : args) cmd += " " + quote(a);
  cmd += " <" + quote(in) + " >" + quote(io.file("stdout")) + " 2>" + quote(io.file("stderr"));
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(io.file("stdout"));
  r.err = slurp(io.file("stderr"));
  return r;
}

}  // namespace duban::testing
