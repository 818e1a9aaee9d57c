#include "model/gazette/table.h"

#include <algorithm>

#include "model/gazette/markers.h"
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

namespace {

enum class Column { kNone, kNumber, kParticipants, kLead, kDeadline, kTask, kOther };

// What a header cell (blanks removed) names. The order of the tests matters: 配合单位 is a
// participants column although it holds 单位, 完成时限 a time column although it holds 完成.
Column column_of(std::u32string_view h) {
  if (h.empty() || h.size() > 12) return Column::kNone;
  if (h == U"序号" || h == U"编号" || h == U"序") return Column::kNumber;
  if (contains_any(h, {U"领导", U"责任人", U"负责人"})) return Column::kOther;
  if (contains_any(h, {U"配合", U"参与", U"参加", U"协办", U"协助", U"协作"}))
    return Column::kParticipants;
  if (contains_any(h, {U"牵头", U"责任单位", U"责任部门", U"主责", U"负责单位", U"负责部门",
                       U"主办", U"承办", U"责任主体"}))
    return Column::kLead;
  if (contains_any(h, {U"时限", U"时间", U"进度", U"节点", U"期限"})) return Column::kDeadline;
  if (contains_any(h, {U"任务", U"内容", U"措施", U"事项", U"工作"})) return Column::kTask;
  // 责任领导, 分管县领导, 牵头领导, 责任人: people, not units.
  if (h == U"备注" || h == U"说明" || contains_any(h, {U"领导", U"责任人", U"负责人"}))
    return Column::kOther;
  return Column::kNone;
}

}  // namespace

std::optional<TableColumns> table_header(const std::vector<std::u32string>& cells) {
  TableColumns t;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const std::u32string h = squeeze(cells[i]);
    const int col = static_cast<int>(i);
    switch (column_of(h)) {
      case Column::kNumber:
        if (t.number < 0) t.number = col;
        break;
      case Column::kParticipants:
        if (t.participants < 0) t.participants = col;
        break;
      case Column::kLead:
        if (t.lead < 0) {
          t.lead = col;
          t.lead_header = h;
        } else if (t.participants < 0 && contains(t.lead_header, U"牵头")) {
          // 牵头责任单位 | 责任单位: beside a lead column, 责任单位 carry the task with it.
          t.participants = col;
        }
        break;
      case Column::kDeadline:
        if (t.deadline < 0) t.deadline = col;
        break;
      case Column::kTask:
        if (t.task < 0) t.task = col;
        break;
      default:
        break;
    }
  }
  if (t.task < 0 || t.lead < 0) return std::nullopt;
  return t;
}

namespace {

// 1, 12, 一, 十二, optionally followed by 、 . ．: the 序号 cell of a flattened row.
bool is_row_number(std::u32string_view s) {
  std::u32string t = text::trim(s);
  if (!t.empty() && (t.back() == U'、' || t.back() == U'.' || t.back() == U'．')) t.pop_back();
  if (t.empty() || t.size() > 3) return false;
  const bool digits = std::all_of(t.begin(), t.end(), text::is_digit);
  const bool chinese = std::all_of(t.begin(), t.end(), text::is_chinese_digit);
  return digits || chinese;
}

// 2026年底前, 6月底, 长期坚持, 持续推进: a time cell, not units.
bool is_time_cell(std::u32string_view s) {
  if (s.size() > 20) return false;
  for (std::size_t i = 0; i + 1 < s.size(); ++i)
    if ((text::is_digit(s[i]) || text::is_chinese_digit(s[i])) &&
        (s[i + 1] == U'年' || s[i + 1] == U'月'))
      return true;
  return contains_any(s, {U"长期", U"持续", U"年底", U"年内", U"季度", U"常态化"});
}

bool is_header_cell(std::u32string_view line) {
  if (line.size() > 24) return false;  // a cell name, blanks between its characters at most
  return column_of(squeeze(line)) != Column::kNone;
}

std::u32string pipe_row(const std::vector<std::u32string>& cells) {
  std::u32string row = U"|";
  for (const auto& c : cells) {
    row += U' ';
    for (char32_t ch : c) row += ch == U'|' ? U'｜' : ch;
    row += U" |";
  }
  return row;
}

// The words of a line between blanks; a run of one-letter words is one (a column name written
// with blanks between its letters: “工 作 任 务”).
std::vector<std::u32string> blank_separated(std::u32string_view line) {
  std::vector<std::u32string> words;
  std::u32string current;
  bool spaced = false;  // the last word came from a run of one-letter words
  auto flush = [&] {
    if (current.empty()) return;
    if (current.size() == 1 && spaced && !words.empty()) {
      words.back() += current;
    } else {
      spaced = current.size() == 1;
      words.push_back(current);
    }
    current.clear();
  };
  for (char32_t c : line) {
    if (text::is_space(c)) {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return words;
}

// A header written on one line with blanks between the column names (text copied from a table:
// “序号 工 作 任 务 牵头负责部门”): its cells, starting with 序号 and then the task, each naming
// a column; nullopt otherwise.
std::optional<std::vector<std::u32string>> blank_separated_header(std::u32string_view line) {
  // Tab-separated and pipe rows keep their empty cells and are read as such (split_table_row).
  // It starts with its 序号 column (a cheap test first: every line is asked).
  if (!text::starts_with(line, U"序") && !text::starts_with(line, U"编号")) return std::nullopt;
  if (line.size() > 60 || line.find(U'\t') != std::u32string_view::npos ||
      line.find(U'|') != std::u32string_view::npos)
    return std::nullopt;
  std::vector<std::u32string> cells = blank_separated(line);
  if (cells.size() < 3) return std::nullopt;
  for (const auto& c : cells)
    if (!is_header_cell(c)) return std::nullopt;
  const auto columns = table_header(cells);
  if (!columns || columns->number != 0 || columns->task != 1) return std::nullopt;
  return cells;
}

// A row under such a header: its number, the columns after the task one word each from the end
// (unit lists and dates hold no blanks), the task what lies between.
std::optional<std::vector<std::u32string>> blank_separated_row(std::u32string_view line,
                                                               std::size_t columns) {
  const std::u32string t = text::trim(line);
  std::vector<std::u32string> words;
  std::u32string current;
  for (char32_t c : t) {
    if (text::is_space(c)) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  if (words.size() < 3 || !is_row_number(words[0])) return std::nullopt;
  const std::size_t tail = std::min(columns - 2, words.size() - 2);
  std::vector<std::u32string> cells{words[0]};
  std::u32string task;
  for (std::size_t k = 1; k < words.size() - tail; ++k)
    task += (task.empty() ? U"" : U" ") + words[k];
  cells.push_back(task);
  for (std::size_t k = words.size() - tail; k < words.size(); ++k) cells.push_back(words[k]);
  cells.resize(columns);
  return cells;
}

// A line of a table flattened to one cell per line, trimmed; a cell copied with the bar that
// closed it (“序号 |”, “县教育局 |”) loses the bar.
// A view into the line: asked of every line of the input, so it copies nothing.
std::u32string_view cell_text(const SourceLine& line) {
  auto trim = [](std::u32string_view t) {
    while (!t.empty() && text::is_space(t.front())) t.remove_prefix(1);
    while (!t.empty() && text::is_space(t.back())) t.remove_suffix(1);
    return t;
  };
  std::u32string_view t = trim(line.text);
  if (t.size() >= 2 && t.back() == U'|' && std::count(t.begin(), t.end(), U'|') == 1) {
    t.remove_suffix(1);
    t = trim(t);
  }
  return t;
}

// Tasks written as records, each cell under its column name on the line before it (a web page
// that shows every row as a card): “具体任务 / <task> / 责任单位 / <units> / 配合单位 / <units>”.
// The names of the first record must make a task-division header without a 序号; a record ends
// where a name comes again. Returns the header and rows as pipe rows, numbered 1, 2, … (the row
// takes its first name's line number), and the index of the line after them; nullopt when the
// lines at `i` are not such records.
std::optional<std::pair<std::vector<SourceLine>, std::size_t>> read_records(
    const std::vector<SourceLine>& lines, std::size_t i) {
  auto next_filled = [&](std::size_t k) {
    while (k < lines.size() && lines[k].heading_level == 0 && cell_text(lines[k]).empty()) ++k;
    return k;
  };
  std::vector<std::u32string> names;  // the columns, fixed by the first record
  std::vector<std::vector<std::u32string>> records;
  std::vector<int> record_lines;
  bool first_done = false;
  std::size_t k = i;
  for (;;) {
    const std::size_t name_at = next_filled(k);
    if (name_at >= lines.size() || lines[name_at].heading_level > 0) break;
    const std::u32string name(cell_text(lines[name_at]));
    if (!is_header_cell(name)) break;
    const std::size_t value_at = next_filled(name_at + 1);
    if (value_at >= lines.size() || lines[value_at].heading_level > 0) break;
    const std::u32string value(cell_text(lines[value_at]));
    if (is_header_cell(value)) break;  // names one a line: a flattened header, not records
    const std::u32string key = squeeze(name);
    const auto at = std::find(names.begin(), names.end(), key);
    if (!first_done && at == names.end()) {
      if (records.empty()) {
        records.emplace_back();
        record_lines.push_back(lines[name_at].number);
      }
      names.push_back(key);
      records.back().push_back(value);
      k = value_at + 1;
      continue;
    }
    first_done = true;
    if (at == names.end()) break;  // not a column of the first record
    const std::size_t col = static_cast<std::size_t>(at - names.begin());
    if (!records.back()[col].empty()) {  // a name seen again starts a new record
      records.emplace_back(names.size());
      record_lines.push_back(lines[name_at].number);
    }
    records.back()[col] = value;
    k = value_at + 1;
  }
  if (records.empty() || names.size() < 3) return std::nullopt;
  std::vector<std::u32string> header{U"序号"};
  header.insert(header.end(), names.begin(), names.end());
  const auto columns = table_header(header);
  if (!columns || columns->number != 0) return std::nullopt;
  std::vector<SourceLine> out;
  out.push_back({lines[i].number, pipe_row(header), 0});
  for (std::size_t r = 0; r < records.size(); ++r) {
    std::vector<std::u32string> row{text::decode(std::to_string(r + 1))};
    row.insert(row.end(), records[r].begin(), records[r].end());
    row.resize(header.size());
    out.push_back({record_lines[r], pipe_row(row), 0});
  }
  return std::make_pair(std::move(out), k);
}

}  // namespace

std::vector<SourceLine> rebuild_flattened_tables(std::vector<SourceLine> lines) {
  auto blank = [&](std::size_t i) { return cell_text(lines[i]).empty(); };
  std::vector<SourceLine> out;
  out.reserve(lines.size());
  for (std::size_t i = 0; i < lines.size();) {
    if (lines[i].heading_level == 0) {
      if (auto header = blank_separated_header(cell_text(lines[i]))) {
        // The header and rows on lines of their own, cells between blanks: pipe rows, when at
        // least one numbered row follows.
        std::size_t j = i + 1;
        std::vector<SourceLine> rows;
        for (; j < lines.size() && lines[j].heading_level == 0; ++j) {
          if (blank(j)) continue;
          const auto cells = blank_separated_row(lines[j].text, header->size());
          if (!cells) break;
          rows.push_back({lines[j].number, pipe_row(*cells), 0});
        }
        if (!rows.empty()) {
          out.push_back({lines[i].number, pipe_row(*header), 0});
          for (auto& r : rows) out.push_back(std::move(r));
          i = j;
          continue;
        }
      }
    }
    if (lines[i].heading_level == 0 && is_header_cell(cell_text(lines[i]))) {
      if (auto records = read_records(lines, i)) {
        for (auto& row : records->first) out.push_back(std::move(row));
        i = records->second;
        continue;
      }
    }
    if (lines[i].heading_level > 0 || !is_header_cell(cell_text(lines[i]))) {
      out.push_back(std::move(lines[i++]));
      continue;
    }
    // A run of header cells, one a line (blank lines between them allowed).
    std::vector<std::u32string> header;
    std::size_t j = i;
    while (j < lines.size() && header.size() < 10) {
      if (blank(j)) {
        ++j;
        continue;
      }
      const std::u32string t(cell_text(lines[j]));
      if (lines[j].heading_level > 0 || !is_header_cell(t)) break;
      header.push_back(t);
      ++j;
    }
    const auto columns = header.size() >= 3 ? table_header(header) : std::nullopt;
    if (!columns || columns->number != 0) {
      out.push_back(std::move(lines[i++]));
      continue;
    }
    // The rows: a 序号 line, then up to one line per other column (an empty cell leaves no line,
    // so a row may be short); a section title (一、…) is a row of its own.
    const int header_line = lines[i].number;
    const std::size_t header_at = out.size(), header_end = j;
    out.push_back({header_line, pipe_row(header), 0});
    for (;;) {
      while (j < lines.size() && blank(j)) ++j;
      if (j >= lines.size() || lines[j].heading_level > 0) break;
      const std::u32string first(cell_text(lines[j]));
      if (!is_row_number(first)) {
        const auto m = find_marker(first);
        if (m && (m->level == 1 || m->level == 2) && first.size() <= 30) {
          std::vector<std::u32string> section(header.size());
          section[0] = first;
          out.push_back({lines[j].number, pipe_row(section), 0});
          ++j;
          continue;
        }
        break;
      }
      std::vector<std::u32string> cells{first};
      const int row_line = lines[j].number;
      ++j;
      while (cells.size() < header.size()) {
        std::size_t k = j;
        while (k < lines.size() && blank(k)) ++k;
        if (k >= lines.size() || lines[k].heading_level > 0) break;
        const std::u32string t(cell_text(lines[k]));
        if (is_row_number(t)) break;
        if (const auto m = find_marker(t); m && (m->level == 1 || m->level == 2) && t.size() <= 30)
          break;  // the next section's title
        cells.push_back(t);
        j = k + 1;
      }
      // A short row lost an empty cell: a time written last belongs in the time column.
      if (cells.size() < header.size() && columns->deadline > 0 &&
          static_cast<std::size_t>(columns->deadline) >= cells.size() && cells.size() > 2 &&
          is_time_cell(cells.back())) {
        std::u32string time = std::move(cells.back());
        cells.pop_back();
        cells.resize(header.size());
        cells[columns->deadline] = std::move(time);
      }
      cells.resize(header.size());
      out.push_back({row_line, pipe_row(cells), 0});
    }
    if (out.size() == header_at + 1) {
      // Column names with no numbered row after them: text after all.
      out.pop_back();
      for (std::size_t k = i; k < header_end; ++k) out.push_back(std::move(lines[k]));
      j = header_end;
    }
    i = j;
  }
  return out;
}

}  // namespace duban::gazette
