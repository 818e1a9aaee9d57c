// parse_bench: gazette parser throughput on one core.
//
//   parse_bench [GAZETTE] [--seconds S]
//
// Parses the bundled gazette and a 100x concatenation of it, repeatedly for about S seconds
// each, and prints MB/s next to a baseline measured in the same run: validating and decoding
// the same bytes from UTF-8, the least any parser of this text must do. Ratios, not absolute
// figures, are what to compare across machines. The parse is also given per second of this
// thread's CPU time ("parse CPU MB/s"), which a machine shared with other work does not skew as
// it does the wall-clock figure: that column is the one to hold against the 50 MB/s target.
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

// MB/s of wall time; `cpu_mb_s` gets MB/s of this thread's CPU time.
template <class F>
double mb_per_second(const std::string& input, double seconds, F&& work, std::size_t& runs,
                     double* cpu_mb_s = nullptr) {
  runs = 0;
  const auto start = Clock::now();
  const double cpu_start = thread_cpu_seconds();
  double elapsed = 0;
  do {
    work();
    ++runs;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  const double mb = static_cast<double>(input.size()) * static_cast<double>(runs) / 1e6;
  if (cpu_mb_s) *cpu_mb_s = mb / (thread_cpu_seconds() - cpu_start);
  return mb / elapsed;
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
  std::string hundred_buffer;
  hundred_buffer.reserve(one.size() * 100);
  for (int i = 0; i < 100; ++i) hundred_buffer += one + "\n";
  const std::string& hundred = hundred_buffer;

  const auto& units = duban::gazette::UnitDirectory::builtin();
  std::printf("%-12s %8s %8s %6s %11s %15s %12s %7s\n", "input", "MB", "clauses", "runs",
              "parse MB/s", "parse CPU MB/s", "decode MB/s", "ratio");
  for (const auto* input : {&one, &hundred}) {
    std::size_t clauses = 0, parse_runs = 0, decode_runs = 0;
    double parse_cpu = 0;
    const double parse = mb_per_second(
        *input, seconds,
        [&] {
          auto r = duban::gazette::parse_gazette(*input, duban::gazette::Format::kMarkdown, units);
          clauses = r ? r->clauses.size() : 0;
        },
        parse_runs, &parse_cpu);
    std::size_t sink = 0;
    const double decode = mb_per_second(
        *input, seconds,
        [&] {
          if (!duban::gazette::text::find_invalid_utf8(*input))
            sink += duban::gazette::text::decode(*input).size();
        },
        decode_runs);
    std::printf("%-12s %8.2f %8zu %6zu %11.1f %15.1f %12.1f %6.2fx\n",
                input == &one ? "gazette" : "gazette x100",
                static_cast<double>(input->size()) / 1e6, clauses, parse_runs, parse, parse_cpu,
                decode, parse / decode);
    if (sink == 0) return 1;
  }
  std::puts("target: parse >= 50 MB/s on one core (parse CPU MB/s)");
  return 0;
}
