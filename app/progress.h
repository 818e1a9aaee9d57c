// Progress of a long run on stderr: a redrawn bar when stderr is a terminal (or --progress
// forces it), plain count lines otherwise, so logs and CI output stay readable.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace duban::app {

class Progress {
 public:
  enum class Style {
    kBar,    // "\r[#####     ] 120/281 commands", redrawn in place
    kLines,  // "duban ingest: 100/281 commands" every kLineEvery steps and at the end
    kQuiet,  // nothing
  };
  static constexpr std::size_t kLineEvery = 100;

  // kBar when `force_bar` or `out` is a terminal (stderr), else kLines.
  static Style choose(bool force_bar);

  Progress(std::ostream& out, Style style, std::string prefix, std::string unit);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void add_total(std::size_t n) { total_ += n; }
  void step();
  // Ends the bar's line (or prints the last count). Called by the destructor if needed.
  void finish();
  ~Progress();

 private:
  void draw();

  std::ostream& out_;
  Style style_;
  std::string prefix_;
  std::string unit_;
  std::size_t total_ = 0;
  std::size_t done_ = 0;
  std::size_t drawn_permille_ = static_cast<std::size_t>(-1);
  bool finished_ = false;
};

}  // namespace duban::app
