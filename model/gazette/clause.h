// What the gazette parser reads out of a document: the documents it holds and their task
// clauses, each with responsible units, deadlines and where in the source it was found.
// Plain values; no IO.
#pragma once

#include <string>
#include <vector>

namespace duban::gazette {

// One notice (通知, 意见, …) found in a gazette.
struct Document {
  std::string id;      // issuing number as printed (青政办〔2015〕151号); the title when none
  std::string number;  // issuing number, empty when none is printed
  std::string title;  // e.g. 关于贯彻落实国务院建立粮食安全省长责任制的实施意见
  std::string issuer;              // e.g. 青海省人民政府办公厅; empty when not found
  std::string signed_text;         // e.g. 2015年8月20日, as printed
  std::string signed_date;         // ISO 8601 (2015-08-20); empty when not found
  std::vector<std::string> parts;  // titles of the document body and attachments holding clauses
  int line = 0;                    // first source line (1-based)
  int end_line = 0;                // last source line
};

enum class Mode {
  kLead,         // X牵头负责: the named units lead together (co-leads share one completion)
  kSeparately,   // X、Y按照职责分工分别负责: each lead unit owns its own part
  kResponsible,  // 责任单位：… / X负责: every named unit is responsible
};

enum class Role {
  kLead,         // leads (牵头) or is responsible (负责); becomes a task's lead unit
  kParticipant,  // takes part (参加, 配合, 协助, 会同…的 units after 会同)
  kGuide,        // supervises (指导): recorded, but neither leads nor takes part in the task
};

// Where the clause's responsibility was written.
enum class ClauseKind {
  kNote,      // a parenthetical closing the item, or one of its paragraphs or sentences
  kTable,     // a row of a task-division table (任务分工表)
  kImplicit,  // no note: a sentence makes a unit the subject of a duty (由X负责…, X要…)
};

struct Assignment {
  Role role = Role::kLead;
  std::string mention;  // the unit as written, cleaned of markup and trailing 等/等部门
  std::string unit;     // canonical unit id from the directory (or a stable id for unknowns)
};

struct Deadline {
  std::string text;  // as written, without a leading 到/至 (2017年底)
  std::string date;  // ISO 8601, the last day of the period named
};

struct Start {
  std::string text;  // 2015年起
  std::string date;  // ISO 8601, the first day of the period named
};

struct RelativeDeadline {
  std::string text;  // 7个工作日内, 3个月内
  int days = 0;      // 0 when the span is in months
  bool business_days = false;
  int months = 0;  // 3个月内 → 3, 半年内 → 6, 两年内 → 24; 0 when the span is in days
};

struct SourceSpan {
  int line = 0;      // 1-based first line of the clause in the input
  int end_line = 0;  // last line, inclusive
};

struct Clause {
  std::string doc;      // Document::id
  std::string part;     // document or attachment title
  std::string label;    // numbering: "11.(2)", "(四)", "三、"
  std::string heading;  // text up to the first 。, markup removed
  std::string text;     // the whole clause, responsibility parenthetical included
  Mode mode = Mode::kLead;
  std::vector<Assignment> assignments;
  std::vector<Deadline> deadlines;
  std::vector<Start> starts;
  std::vector<RelativeDeadline> relative_deadlines;
  // A duty with no end, as its note says it (长期坚持, 持续推进); empty otherwise.
  std::string standing;
  SourceSpan source;
  ClauseKind kind = ClauseKind::kNote;
  std::string note;  // the responsibility as written: the parenthetical, the table's unit cells,
                     // or the sentence carrying an implicit duty
  // How sure the reading is, 0..1, and why it is less than 1 (“unit not in directory: X”, “no
  // role word; role taken from the next segment”, “implicit duty”, …), so doubtful clauses can
  // be reviewed first.
  double confidence = 1.0;
  std::vector<std::string> why;
};

const char* to_string(Mode mode);        // "lead" | "separately" | "responsible"
const char* to_string(Role role);        // "lead" | "participant" | "guide"
const char* to_string(ClauseKind kind);  // "note" | "table" | "implicit"

}  // namespace duban::gazette
