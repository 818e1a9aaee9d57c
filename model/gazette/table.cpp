#include "model/gazette/table.h"

#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

bool contains(std::u32string_view s, std::u32string_view w) {
  return s.find(w) != std::u32string_view::npos;
}

bool contains_any(std::u32string_view s, std::initializer_list<std::u32string_view> words) {
  for (auto w : words)
    if (contains(s, w)) return true;
  return false;
}

std::u32string squeeze(std::u32string_view s) {
  std::u32string out;
  for (char32_t c : text::strip_emphasis(s))
    if (!text::is_space(c)) out.push_back(c);
  return out;
}

}  // namespace

std::optional<std::vector<std::u32string>> split_table_row(std::u32string_view line) {
  const std::u32string trimmed = text::trim(line);
  const bool pipe = !trimmed.empty() && trimmed.front() == U'|';
  if (!pipe && line.find(U'\t') == std::u32string_view::npos) return std::nullopt;
  const char32_t sep = pipe ? U'|' : U'\t';
  std::u32string_view body = pipe ? std::u32string_view(trimmed) : line;
  if (pipe) {
    body.remove_prefix(1);
    if (!body.empty() && body.back() == U'|') body.remove_suffix(1);
  }
  std::vector<std::u32string> cells;
  std::u32string current;
  for (char32_t c : body) {
    if (c == sep) {
      cells.push_back(text::trim(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  cells.push_back(text::trim(current));
  bool separator = pipe;
  for (const auto& cell : cells) {
    for (char32_t c : cell)
      if (c != U'-' && c != U':' && !text::is_space(c)) separator = false;
  }
  if (separator) return std::vector<std::u32string>{};
  if (!pipe) {
    int filled = 0;
    for (const auto& cell : cells) filled += cell.empty() ? 0 : 1;
    if (filled < 2) return std::nullopt;
  }
  return cells;
}

std::optional<TableColumns> table_header(const std::vector<std::u32string>& cells) {
  TableColumns t;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::u32string h = squeeze(cells[i]);
    if (h.empty() || h.size() > 12) continue;
    const int col = static_cast<int>(i);
    if (t.number < 0 && (h == U"序号" || h == U"编号" || h == U"序")) {
      t.number = col;
    } else if (t.participants < 0 &&
               contains_any(h, {U"配合", U"参与", U"参加", U"协办", U"协助", U"协作"})) {
      t.participants = col;
    } else if (t.lead < 0 &&
               contains_any(h, {U"牵头", U"责任单位", U"责任部门", U"主责", U"负责单位",
                                U"负责部门", U"主办", U"承办", U"责任主体"})) {
      t.lead = col;
      t.lead_header = h;
    } else if (t.deadline < 0 && contains_any(h, {U"时限", U"时间", U"进度", U"节点", U"期限"})) {
      t.deadline = col;
    } else if (t.task < 0 && contains_any(h, {U"任务", U"内容", U"措施", U"事项", U"工作"})) {
      t.task = col;
    }
  }
  if (t.task < 0 || t.lead < 0) return std::nullopt;
  return t;
}

}  // namespace duban::gazette
