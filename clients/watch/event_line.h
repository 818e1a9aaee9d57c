// One event message of the push protocol (docs/protocol.md) as the readable line `duban watch`
// prints:
//   #1424 2016-01-04T02:00:00.000Z task 青政〔2015〕70号|…|(四) v9 TaskAcknowledged by unit:fgw:
//   unit=fgw
// The data fields follow the type, long ones (provenance, clause text) left out; --json prints
// the message itself instead.
#pragma once

#include <boost/json/object.hpp>
#include <string>

namespace duban::clients {

std::string event_line(const boost::json::object& event_message);

}  // namespace duban::clients
