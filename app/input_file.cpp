#include "app/input_file.h"

#include <sys/stat.h>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/progress.h"

namespace duban::app {

Result<std::string> read_input_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return make_error("unreadable", "cannot read " + path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return make_error("unreadable", "cannot read " + path + ": it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("unreadable", "cannot read " + path + ": " + std::strerror(errno));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return make_error("unreadable", "cannot read " + path + ": read error");
  return content;
}

}  // namespace duban::app

namespace duban::app {
namespace {

// Inputs shorter than this convert in well under a second: no progress for them.
constexpr std::size_t kProgressFromPages = 50;
constexpr std::size_t kProgressFromParagraphs = 2000;

}  // namespace

Result<GazetteInput> read_gazette_input(const std::string& path,
                                        std::optional<formats::Kind> forced,
                                        const std::string& command, bool force_bar) {
  auto bytes = read_input_file(path);
  if (!bytes) return bytes.error();
  GazetteInput in;
  in.bytes = std::move(*bytes);
  in.kind = forced ? *forced : formats::detect_kind(path == "-" ? "" : path, in.bytes);
  const bool pdf = in.kind == formats::Kind::kPdf;
  std::optional<Progress> progress;
  std::size_t shown = 0;
  const formats::ProgressFn report = [&](std::size_t done, std::size_t total) {
    if (!progress) {
      if (total < (pdf ? kProgressFromPages : kProgressFromParagraphs)) return;
      progress.emplace(std::cerr, Progress::choose(force_bar), command + path + ": ",
                       pdf ? "pages" : "paragraphs");
      progress->add_total(total);
    }
    for (; shown < done; ++shown) progress->step();
  };
  auto prepared = formats::prepare(in.bytes, in.kind, report);
  if (progress) progress->finish();
  if (!prepared) {
    return Error{prepared.error().code, path + ": " + prepared.error().message};
  }
  in.input = std::move(*prepared);
  return in;
}

}  // namespace duban::app
