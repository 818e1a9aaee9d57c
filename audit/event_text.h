// Events in words, for timelines (`duban audit history`): what one event changed, with unit
// names a person recognises. Wording is for people, not parsers; JSON output carries the event
// type next to it.
#pragma once

#include <functional>
#include <string>

#include "model/ids.h"
#include "model/task/events.h"

namespace duban::audit {

// How a unit id is shown ("grain" -> "省粮食局"); the identity when no directory is at hand.
using UnitNamer = std::function<std::string(const UnitId&)>;

// One line: "created (lead mode): leads 省粮食局, participants 省财政厅; deadline 2016-12-31",
// "acknowledged by 省粮食局", "deadline 2016-12-31 -> 2017-06-30 (extension approved)", ...
std::string describe_event(const task::Event& event, const UnitNamer& name);

// One draft clause: "c3 (二) lead: 省粮食局(lead), 省财政厅(participant); deadline 2016-12-31".
std::string clause_text(const task::DraftClause& clause, const UnitNamer& name);

}  // namespace duban::audit
