// The directory of canonical units (departments, agencies, generic recipient groups) with the
// aliases under which gazettes mention them, so that 省食品药品监管局 and 省食品药品监督管理局
// resolve to one id while distinct bodies never share one.
//
// The directory is a tab-separated text (data/units.tsv is the default, compiled into the binary;
// `--units FILE` reads another at run time, and the log records the one an ingest used:
// service/unit_directory_log.h):
//   id <TAB> kind <TAB> canonical name <TAB> alias|alias|... [<TAB> parent id]
// Lines starting with '#' are comments. The optional fifth column names the unit the body sits
// below: a group unit's members (西宁市人民政府 below 市、州人民政府) and a unit's subordinate
// bodies, to which it may hand tasks down (转办, docs/lifecycle.md "Child tasks"). Kinds are free
// words (department, party, central, judicial, group in data/units-qinghai.tsv; ministry,
// commission, … in data/units-state-council.tsv); `group` means generic recipients.
//
// Thread-safety: immutable after construction; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/result.h"

namespace duban::gazette {

struct Unit {
  std::string id;    // stable ASCII id, e.g. "fgw"
  std::string kind;  // department | party | central | judicial | group | unknown
  std::string name;  // canonical name, e.g. 省发展改革委
  std::vector<std::string> aliases;
  std::string parent;  // the id of the unit it sits below (a group, a superior body); may be empty
};

class UnitDirectory {
 public:
  // Errors name the line and what is wrong with it (missing columns, duplicate id or alias).
  static Result<UnitDirectory> parse(std::string_view tsv);

  // The directory shipped with duban (data/units.tsv at build time), and its text.
  static const UnitDirectory& builtin();
  static std::string_view builtin_tsv();

  // The unit a mention refers to, or nullptr. Blanks and bracket widths are ignored.
  const Unit* find(std::string_view mention) const;
  const Unit* by_id(std::string_view id) const;

  // The canonical id for a mention. A mention no unit claims still gets a stable id
  // ("unknown:" followed by the mention), so an assignment is never dropped.
  std::string resolve(std::string_view mention) const;

  const std::vector<Unit>& units() const { return units_; }
  // The ids of the units whose parent is `id` (a group's members, a body's subordinates), in
  // directory order.
  std::vector<std::string> below(std::string_view id) const;

 private:
  std::vector<Unit> units_;
  std::unordered_map<std::string, std::size_t> by_key_;  // normalised name or alias -> index
  std::unordered_map<std::string, std::size_t> by_id_;
};

inline constexpr std::string_view kUnknownUnitPrefix = "unknown:";

// Key under which names are compared: no blanks, ASCII brackets.
std::string unit_key(std::string_view mention);

// True when `name` has the shape of a body's name even if no directory knows it: it ends in
// what names an organ (…部 委 厅 局 办 署 院 会 行 社 总社 政府 中心 集团 室 所 处 关 联 协 组
// 公司 军区) or is a group of recipients (各…, 有关…, 相关… ending in 部门/单位/机构/政府/…),
// and holds nothing a name never holds (的, 为, 。, digits of a date, role words).
bool is_unit_shaped(std::u32string_view name);

}  // namespace duban::gazette
