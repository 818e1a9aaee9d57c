#include "app/table.h"

#include <algorithm>

#include "model/gazette/text.h"

namespace duban::app {
namespace {

bool is_wide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD) || c == U'“' || c == U'”' ||
         c == U'—';
}

std::string fit(const std::string& cell, std::size_t max_width) {
  if (display_width(cell) <= max_width) return cell;
  std::u32string out;
  std::size_t width = 0;
  for (char32_t c : gazette::text::decode(cell)) {
    const std::size_t w = is_wide(c) ? 2 : 1;
    if (width + w + 1 > max_width) break;
    out.push_back(c);
    width += w;
  }
  return gazette::text::encode(out) + "…";
}

}  // namespace

std::size_t display_width(const std::string& utf8) {
  std::size_t width = 0;
  for (char32_t c : gazette::text::decode(utf8)) width += is_wide(c) ? 2 : 1;
  return width;
}

void Table::print(std::ostream& out, std::size_t max_width) const {
  std::vector<std::vector<std::string>> cells;
  cells.push_back(header_);
  for (const auto& row : rows_) {
    std::vector<std::string> fitted;
    for (const auto& cell : row) fitted.push_back(fit(cell, max_width));
    cells.push_back(std::move(fitted));
  }
  std::vector<std::size_t> widths(header_.size(), 0);
  for (const auto& row : cells)
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
      widths[i] = std::max(widths[i], display_width(row[i]));
  for (const auto& row : cells) {
    std::string line;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    out << line << "\n";
  }
}

}  // namespace duban::app
