// Replays a fuzz target's seed folder once, built with the normal compiler (no libFuzzer): every
// regular file of each folder named on the command line goes through LLVMFuzzerTestOneInput, so
// the seeds (and every crash once added to them) run in the normal and the ASan build as a CTest
// test. A missing or empty folder fails: a seed path that went wrong must not pass silently.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " SEED_DIR...\n";
    return 2;
  }
  for (int i = 1; i < argc; ++i) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(argv[i], ec)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
    if (ec || files.empty()) {
      std::cerr << argv[0] << ": no seeds in " << argv[i] << "\n";
      return 1;
    }
    for (const auto& file : files) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      // Copied into a buffer of exactly its size, as libFuzzer does, so ASan sees overreads.
      std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(data.data(), data.size());
    }
    std::cout << argv[i] << ": " << files.size() << " seeds replayed\n";
  }
  return 0;
}
