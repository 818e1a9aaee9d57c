// JSON renderings of parser output, shared by `duban extract` and (later) the HTTP API.
#pragma once

#include <boost/json/object.hpp>

#include "model/gazette/clause.h"

namespace duban::app {

boost::json::object to_json(const gazette::Clause& clause);
boost::json::object to_json(const gazette::Document& document, std::size_t clause_count);

}  // namespace duban::app
