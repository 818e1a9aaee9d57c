#include "service/views/unit_names.h"

namespace duban::service::views {

std::string unit_name(const gazette::UnitDirectory& units, const UnitId& id) {
  const gazette::Unit* u = units.by_id(id.str());
  return u ? u->name : id.str();
}

UnitId resolve_unit(const gazette::UnitDirectory& units, std::string_view text) {
  if (units.by_id(text)) return UnitId(std::string(text));
  if (const gazette::Unit* u = units.find(text)) return UnitId(u->id);
  return UnitId(std::string(text));
}

std::string join_unit_names(const gazette::UnitDirectory& units, const std::vector<UnitId>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : "、") + unit_name(units, id);
  return out;
}

}  // namespace duban::service::views
