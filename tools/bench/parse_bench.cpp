// parse_bench: gazette parser throughput on one core, in CPU time.
//
//   parse_bench [GAZETTE] [--seconds S]
//
// Parses the bundled gazette (x1) and a 100x concatenation of it (x100), each repeatedly for
// about S seconds (at least three times), and prints MB/s per second of this thread's CPU time,
// which a machine shared with other work does not skew as it does wall time ("parse CPU MB/s",
// the runs after the first: the column to hold against the 50 MB/s target). Next to it, in the
// same run: the first run alone (every page the parse touches is new), wall-clock MB/s, and the
// baseline of validating and decoding the same bytes from UTF-8, the least any parser of this
// text must do. Ratios, not absolute figures, are what to compare across machines. The last line
// divides the x100 figure by the x1 figure: 1.00 means the parse is linear in the size of its
// input.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "model/gazette/parser.h"
#include "model/gazette/text.h"

namespace {

using Clock = std::chrono::steady_clock;

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct Rate {
  std::size_t runs = 0;
  double cpu_mb_s = 0;        // the runs after the first, per CPU second
  double first_cpu_mb_s = 0;  // the first run alone
  double wall_mb_s = 0;       // all runs, per wall second
};

// Runs `work` for at least `seconds` of wall time and at least three times. The first run is
// reported apart: it pays for every page of memory the parse touches being new (page faults,
// system time), which later runs find already mapped; with it left out, x1 (hundreds of runs)
// and x100 (a few) are measured alike.
template <class F>
Rate measure(const std::string& input, double seconds, F&& work) {
  Rate r;
  const double mb = static_cast<double>(input.size()) / 1e6;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  double cpu_warm_start = cpu_start;
  double elapsed = 0;
  do {
    work();
    if (++r.runs == 1) {
      cpu_warm_start = thread_cpu_seconds();
      r.first_cpu_mb_s = mb / (cpu_warm_start - cpu_start);
    }
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds || r.runs < 3);
  r.cpu_mb_s = mb * static_cast<double>(r.runs - 1) / (thread_cpu_seconds() - cpu_warm_start);
  r.wall_mb_s = mb * static_cast<double>(r.runs) / elapsed;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
  double seconds = 2.0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc)
      seconds = std::atof(argv[++i]);
    else if (arg == "--help" || arg == "-h") {
      std::puts("usage: parse_bench [GAZETTE] [--seconds S]");
      return 0;
    } else
      path = arg;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "parse_bench: cannot read %s\n", path.c_str());
    return 1;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string one = buffer.str();
  std::string hundred;
  hundred.reserve((one.size() + 1) * 100);
  for (int i = 0; i < 100; ++i) hundred += one + "\n";

  const auto& units = duban::gazette::UnitDirectory::builtin();
  std::printf("%-6s %7s %8s %5s %15s %10s %10s %16s %7s\n", "input", "MB", "clauses", "runs",
              "parse CPU MB/s", "first run", "wall MB/s", "decode CPU MB/s", "ratio");
  double per_input[2] = {0, 0};
  int n = 0;
  for (const std::string* input : {&one, static_cast<const std::string*>(&hundred)}) {
    std::size_t clauses = 0;
    const Rate parse = measure(*input, seconds, [&] {
      auto r = duban::gazette::parse_gazette(*input, duban::gazette::Format::kMarkdown, units);
      clauses = r ? r->clauses.size() : 0;
    });
    std::size_t sink = 0;
    const Rate decode = measure(*input, seconds, [&] {
      if (!duban::gazette::text::find_invalid_utf8(*input))
        sink += duban::gazette::text::decode(*input).size();
    });
    std::printf("%-6s %7.2f %8zu %5zu %15.1f %10.1f %10.1f %16.1f %6.2fx\n",
                input == &one ? "x1" : "x100", static_cast<double>(input->size()) / 1e6, clauses,
                parse.runs, parse.cpu_mb_s, parse.first_cpu_mb_s, parse.wall_mb_s, decode.cpu_mb_s,
                parse.cpu_mb_s / decode.cpu_mb_s);
    per_input[n++] = parse.cpu_mb_s;
    if (sink == 0) return 1;
  }
  std::printf("linearity: x100 / x1 parse CPU MB/s = %.2f (1.00: linear in the input's size)\n",
              per_input[1] / per_input[0]);
  std::puts("target: parse CPU MB/s >= 50 on one core, for x1 and x100");
  return 0;
}
