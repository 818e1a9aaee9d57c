#include "app/progress.h"

#include <unistd.h>

#include <algorithm>

namespace duban::app {

Progress::Style Progress::choose(bool force_bar) {
  return force_bar || ::isatty(STDERR_FILENO) ? Style::kBar : Style::kLines;
}

Progress::Progress(std::ostream& out, Style style, std::string prefix, std::string unit)
    : out_(out), style_(style), prefix_(std::move(prefix)), unit_(std::move(unit)) {}

Progress::~Progress() {
  finish();
}

void Progress::step() {
  ++done_;
  if (style_ == Style::kBar) {
    draw();
  } else if (style_ == Style::kLines && done_ % kLineEvery == 0) {
    out_ << prefix_ << done_ << "/" << total_ << " " << unit_ << "\n" << std::flush;
  }
}

void Progress::draw() {
  constexpr std::size_t kWidth = 30;
  const std::size_t permille =
      total_ == 0 ? 1000 : std::min<std::size_t>(1000, done_ * 1000 / total_);
  if (permille == drawn_permille_ && done_ != total_) return;  // redraw only when it moves
  drawn_permille_ = permille;
  const std::size_t filled = permille * kWidth / 1000;
  out_ << "\r" << prefix_ << "[" << std::string(filled, '#') << std::string(kWidth - filled, ' ')
       << "] " << done_ << "/" << total_ << " " << unit_ << std::flush;
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  if (style_ == Style::kBar && total_ > 0) {
    draw();
    out_ << "\n" << std::flush;
  } else if (style_ == Style::kLines && done_ % kLineEvery != 0 && total_ >= kLineEvery) {
    out_ << prefix_ << done_ << "/" << total_ << " " << unit_ << "\n" << std::flush;
  }
}

}  // namespace duban::app
