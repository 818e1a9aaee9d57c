// What a WebSocket subscription asks for, and whether an event matches it for a principal.
//
// Visibility follows the HTTP API: the supervisor sees everything; a unit sees the events of a
// task from the event that first assigned it on (so a unit added later does not receive the
// earlier history live, and a replay gives it exactly what it would have received live), and
// the registrations of documents it asks for by document filter.
#pragma once

#include <string>

#include "model/result.h"
#include "server/api/router.h"
#include "server/push/client_message.h"
#include "server/push/pushed_event.h"

namespace duban::server::push {

// Filter (what a subscription asks for) is declared in client_message.h.

// "all", "unit", "document" or "task".
const char* kind_name(Filter::Kind kind);

// True when `event` goes to a subscriber with `filter` acting as `principal`.
bool matches(const Filter& filter, const Principal& principal, const PushedEvent& event);

}  // namespace duban::server::push
