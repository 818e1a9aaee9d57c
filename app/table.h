// Aligned text tables for terminals. Widths count CJK characters as two columns, as terminals
// draw them, so Chinese unit names line up.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace duban::app {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Cells wider than `max_width` columns are cut with "…".
  void print(std::ostream& out, std::size_t max_width = 48) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

std::size_t display_width(const std::string& utf8);

}  // namespace duban::app
