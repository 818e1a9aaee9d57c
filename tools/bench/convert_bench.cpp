// convert_bench: a 200-page gazette as .docx and as PDF into task clauses, on one core.
//
//   convert_bench [--runs N]
//
// Reads the bundled gazette four times over (tests/formats/fixtures.h makes the files once, the
// PDF printed by Debian's Chromium: about 190 pages, a .docx of about 2,800 paragraphs) the way
// `duban extract` does: converted to Markdown (formats/input_document.h), then parsed. Each
// format runs N times (default 5); the table shows the median CPU time of this thread and the
// wall time, and the ratio of the CPU time to the baseline measured in the same run: parsing
// the same gazette's Markdown, which every format ends as. Issue 19 asks for "seconds" for 200
// pages; ratios, not absolute figures, are what to compare across machines.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "formats/input_document.h"
#include "model/gazette/parser.h"
#include "tests/formats/fixtures.h"

namespace {

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

struct Timing {
  double cpu = 0;   // median over the runs, seconds
  double wall = 0;  // median over the runs, seconds
  std::size_t clauses = 0;
  bool ok = true;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

Timing time_extract(const std::string& bytes, duban::formats::Kind kind, int runs) {
  std::vector<double> cpu;
  std::vector<double> wall;
  Timing t;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    auto input = duban::formats::prepare(bytes, kind);
    if (!input) {
      std::fprintf(stderr, "convert_bench: %s\n", input.error().message.c_str());
      t.ok = false;
      return t;
    }
    auto parsed = duban::gazette::parse_gazette(input->text(bytes), input->format,
                                                duban::gazette::UnitDirectory::builtin());
    cpu.push_back(thread_cpu_seconds() - cpu_start);
    wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    t.clauses = parsed ? parsed->clauses.size() : 0;
  }
  t.cpu = median(cpu);
  t.wall = median(wall);
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::puts("usage: convert_bench [--runs N]");
      return arg == "--help" || arg == "-h" ? 0 : 2;
    }
  }
  namespace fixtures = duban::formats::testing;
  const std::string dir = fixtures::fixture_dir();
  struct Row {
    const char* name;
    std::string file;
    duban::formats::Kind kind;
  };
  const Row rows[] = {
      {"markdown (baseline)", dir + "/gazette-long.md", duban::formats::Kind::kMarkdown},
      {"docx", dir + "/gazette-long.docx", duban::formats::Kind::kDocx},
      {"pdf", dir + "/gazette-long.pdf", duban::formats::Kind::kPdf},
  };
  std::printf("%-20s %8s %8s %10s %10s %8s\n", "input", "MB", "clauses", "CPU s", "wall s",
              "ratio");
  double baseline = 0;
  for (const Row& row : rows) {
    const std::string bytes = fixtures::read_file(row.file);
    const Timing t = time_extract(bytes, row.kind, runs);
    if (!t.ok) return 1;
    if (baseline == 0) baseline = t.cpu;
    std::printf("%-20s %8.2f %8zu %10.3f %10.3f %7.2fx\n", row.name,
                static_cast<double>(bytes.size()) / 1e6, t.clauses, t.cpu, t.wall,
                baseline > 0 ? t.cpu / baseline : 0.0);
  }
  std::printf("median of %d runs each; target: a 200-page .docx or PDF in seconds\n", runs);
  return 0;
}
