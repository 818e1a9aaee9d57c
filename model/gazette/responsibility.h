// Reads a responsibility note (the text of the parenthetical that closes a task clause, or the
// cells of a task-division table) into a mode and the units with their roles. Notes are read
// with a role vocabulary, not a list of phrasings: the note is cut into segments at ，；, each
// segment into unit lists and role words, and each unit list takes the role of the word after it
// (or, for 会同, before it):
//   牵头 主办 主责                       → lead               (mode lead)
//   负责 落实 承办                       → lead, responsible  (mode responsible)
//   参加 参与 配合 协助 协办, 会同 X     → participant
//   指导                                 → guide (supervises; neither lead nor participant)
//   分别负责 按(照)职责分工(分别)负责    → lead, each separately (mode separately)
// Units listed with no role word take the role of the next segment that has one
// (“省考核办、省政府督查室，各有关部门参加”: both take part); units after the last role word
// take part. Labelled forms (牵头单位：X，配合单位：Y) give the role of the list after the label.
// A unit-shaped span that cannot be given a role is reported, never dropped silently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/gazette/clause.h"
#include "model/gazette/units.h"

namespace duban::gazette {

struct UnitMention {
  Role role = Role::kLead;
  std::string mention;
  // The role was not written next to the unit: it came from a later segment's role word, or the
  // unit trailed the last role word.
  bool role_inferred = false;
};

struct Responsibility {
  Mode mode = Mode::kLead;
  std::vector<UnitMention> units;
  std::vector<std::string> why;         // reasons for doubt, e.g. "no role word; role taken …"
  std::vector<std::string> unassigned;  // unit-shaped spans no role could be given to
  // Segments of the note that say when, not who (2026年底前完成, 长期坚持), joined by ，.
  std::u32string timing;
  // The timing says the duty has no end (长期坚持, 持续推进): that phrase, as written.
  std::u32string standing;
};

// Rules that a note sets for the clauses after it in the same part.
struct ResponsibilityContext {
  // Set by “排在第一位的部门为牵头部门，下同”: in “X、Y负责” X leads and Y takes part.
  bool first_listed_leads = false;
};

// nullopt when `content` (the text between the brackets) is not a responsibility statement,
// e.g. an explanatory aside such as “即人大监督、行政监督…”, or names nobody to lead. May update
// `context`.
std::optional<Responsibility> parse_responsibility(std::u32string_view content,
                                                   ResponsibilityContext& context);

// Reads the unit cells of a task-division table row: `lead` under a header such as 牵头单位 or
// 责任单位 (`lead_header`, which gives the mode), `participants` under 配合单位 (may be empty).
// A cell may hold role words itself (省发展改革委牵头，省财政厅配合); a bare list takes its
// column's role. nullopt when nobody leads.
std::optional<Responsibility> parse_table_cells(std::u32string_view lead_header,
                                                std::u32string_view lead,
                                                std::u32string_view participants,
                                                ResponsibilityContext& context);

// An implicit duty: a sentence (no note) whose subject is a list of units bound to a duty —
// 由X负责…, X要…, 请X…, X牵头…, X会同Y… The units must be shaped like unit names. nullopt when
// the sentence makes no unit the subject of a duty.
// `known` (may be null) tells names the directory holds: where a list of units runs into the
// verb after it (会同省财政厅委托…), the longest known reading wins over the longest shaped one.
std::optional<Responsibility> parse_implicit_duty(std::u32string_view sentence,
                                                  const UnitDirectory* known = nullptr);

// True when `text` starts with a unit label and its colon (牵头单位：…, 责任单位:…): a line of
// its own that states a responsibility without brackets.
bool starts_with_unit_label(std::u32string_view text);

// True when `text` states the rule that the first unit listed leads (排在第一位的为牵头单位,
// 列在首位的单位负责牵头, 排名第一的为牵头部门).
bool states_first_listed_leads(std::u32string_view text);

// True when the text names a role (负责, 参加, 牵头, 责任单位, …): a cheap pre-check.
bool mentions_responsibility(std::u32string_view content);

// The unit-shaped spans of a note that has a role word but from which nothing could be read
// (e.g. “省财政厅的意见为准”): what a caller must warn about when parse_responsibility fails.
std::vector<std::string> unit_shaped_spans(std::u32string_view content);

}  // namespace duban::gazette
