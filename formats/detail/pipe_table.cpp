#include "formats/detail/pipe_table.h"

namespace duban::formats::detail {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::string clean_cell(const std::string& text) {
  std::string out;
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    // U+3000 (ideographic space, E3 80 80) counts as a blank too.
    const bool ideographic =
        c == '\xE3' && i + 2 < text.size() && text[i + 1] == '\x80' && text[i + 2] == '\x80';
    if (is_blank(c) || ideographic) {
      if (ideographic) i += 2;
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    if (c == '|') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string pipe_row(const PipeRow& cells) {
  std::string line = "|";
  for (const std::string& cell : cells) {
    const std::string text = clean_cell(cell);
    line += text.empty() ? " " : " " + text + " ";
    line += "|";
  }
  return line;
}

}  // namespace duban::formats::detail
