// Reads the responsibility parenthetical that closes a task clause, e.g.
//   省发展改革委牵头负责，各有关部门参加
//   省商务厅、省工商局按照职责分工分别负责
//   责任单位：市、州人民政府，省财政厅等
//   牵头单位：X，配合单位：Y、Z          负责部门：X、Y；适用范围：…
//   X会同有关部门负责                    X、Y负责，排在第一位的部门为牵头部门，下同
// into a mode and the units with their roles. Units listed with no role word take the role of
// the next segment that has one (“省考核办、省政府督查室，各有关部门参加”: both take part).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/gazette/clause.h"

namespace duban::gazette {

struct UnitMention {
  Role role = Role::kLead;
  std::string mention;
};

struct Responsibility {
  Mode mode = Mode::kLead;
  std::vector<UnitMention> units;
};

// Rules that a parenthetical sets for the clauses after it in the same part.
struct ResponsibilityContext {
  // Set by “排在第一位的部门为牵头部门，下同”: in “X、Y负责” X leads and Y takes part.
  bool first_listed_leads = false;
};

// nullopt when `content` (the text between the brackets) is not a responsibility statement,
// e.g. an explanatory aside such as “即人大监督、行政监督…”. May update `context`.
std::optional<Responsibility> parse_responsibility(std::u32string_view content,
                                                   ResponsibilityContext& context);

// True when the text names a role (负责, 参加, 牵头, 责任单位, …): a cheap pre-check.
bool mentions_responsibility(std::u32string_view content);

}  // namespace duban::gazette
