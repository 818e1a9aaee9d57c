// Task-division tables (任务分工表) as they reach the parser: one row per line, either Markdown
// pipe cells (`| 1 | 任务 | 牵头单位 |`, a `|---|` separator row may follow the header) or cells
// separated by tabs. The header row is found by what its columns mean, not by their exact names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/gazette/document_reader.h"

namespace duban::gazette {

struct TableColumns {
  int number = -1;             // 序号
  int task = -1;               // 工作任务 / 重点任务 / 主要内容 / 任务 …
  int lead = -1;               // 牵头单位 / 牵头部门 / 责任单位 / 主责单位 …
  int participants = -1;       // 配合单位 / 参与单位 / 协办单位 …
  int deadline = -1;           // 完成时限 / 时间进度 / 完成时间 …
  std::u32string lead_header;  // as written, e.g. 责任单位 (it decides the clauses' mode)
};

// The cells of a pipe row (`| a | b |`; the outer bars optional) or of a line holding at least
// one tab, trimmed; nullopt when the line is neither. A separator row (`|---|:--:|`) gives an
// empty vector.
std::optional<std::vector<std::u32string>> split_table_row(std::u32string_view line);

// The meaning of each column when `cells` is a task-division header (it needs a task column and
// a column of responsible units); nullopt otherwise.
std::optional<TableColumns> table_header(const std::vector<std::u32string>& cells);

// Tables flattened to one cell per line (text copied from a web page or a PDF, OCR output):
// a run of three or more lines each naming a column (序号, 主要工作任务, 责任单位, …; blank lines
// between allowed) that makes a task-division header starting with 序号, then rows each
// starting with a line holding only its number. Each such run becomes pipe rows (the row takes
// the number line's line number), so the parser reads it as any other table; everything else
// is returned as it was.
std::vector<SourceLine> rebuild_flattened_tables(std::vector<SourceLine> lines);

}  // namespace duban::gazette
