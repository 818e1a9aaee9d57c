// Units as people write and read them: the one place a unit id becomes a name for output and a
// name typed on a command line becomes a unit id. Used by `duban tasks`, `duban audit` and
// `duban report` (and through them the audit and report libraries' UnitNamer callbacks).
//
// Thread-safety: reentrant; the directory is only read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/gazette/units.h"
#include "model/ids.h"

namespace duban::service::views {

// The unit's canonical name ("grain" -> "省粮食局"); the id itself when the directory does not
// know it (an "unknown:…" unit, or one removed from the directory since).
std::string unit_name(const gazette::UnitDirectory& units, const UnitId& id);

// A unit as a person wrote it: an id ("grain"), a name or an alias ("省粮食局"). Text no unit
// claims is taken as an id as written, so a query for it finds nothing rather than failing.
UnitId resolve_unit(const gazette::UnitDirectory& units, std::string_view text);

// The names of `ids` joined with "、" (the Chinese enumeration comma); "" when `ids` is empty.
std::string join_unit_names(const gazette::UnitDirectory& units, const std::vector<UnitId>& ids);

}  // namespace duban::service::views
