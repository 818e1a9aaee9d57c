#include "model/task/draft_clause.h"

namespace duban::task {

namespace {
constexpr Correction kAll[] = {Correction::kUnits,    Correction::kMode,  Correction::kLabel,
                               Correction::kDeadline, Correction::kSplit, Correction::kMerge,
                               Correction::kDrop,     Correction::kAdd,   Correction::kUnitName};
}  // namespace

std::string_view to_string(Correction kind) {
  switch (kind) {
    case Correction::kUnits:
      return "units";
    case Correction::kMode:
      return "mode";
    case Correction::kLabel:
      return "label";
    case Correction::kDeadline:
      return "deadline";
    case Correction::kSplit:
      return "split";
    case Correction::kMerge:
      return "merge";
    case Correction::kDrop:
      return "drop";
    case Correction::kAdd:
      return "add";
    case Correction::kUnitName:
      return "unit_name";
  }
  return "unknown";
}

std::optional<Correction> parse_correction(std::string_view name) {
  for (Correction c : kAll) {
    if (to_string(c) == name) return c;
  }
  return std::nullopt;
}

}  // namespace duban::task
