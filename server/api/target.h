// Request targets: "/api/v1/tasks/%E9%9D%92...?limit=20&after=x" split into percent-decoded path
// segments and query parameters, and the `?limit=&after=` page every growing list takes.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace duban::server {

struct Target {
  std::vector<std::string> segments;         // "/a/b%2Fc" -> {"a", "b/c"}; decoded after splitting
  std::map<std::string, std::string> query;  // decoded; '+' means a space in the query only
};

// Errors (bad_request): a path that does not start with '/', a bad %-escape, a NUL byte.
Result<Target> parse_target(std::string_view target);

// %-decodes `text`; '+' becomes a space when `plus_is_space`. nullopt on a bad escape or NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// %-encodes everything but unreserved characters (RFC 3986), for building URLs.
std::string percent_encode(std::string_view text);

// One page of a list ordered by a string key: items whose key is greater than `after`, at most
// `limit` of them.
struct Page {
  static constexpr std::size_t kDefaultLimit = 100;
  static constexpr std::size_t kMaxLimit = 1000;
  std::size_t limit = kDefaultLimit;
  std::string after;  // empty: from the start
};

// Reads limit (1..Page::kMaxLimit) and after from the query. Error bad_request otherwise.
Result<Page> page_of(const Target& target);

}  // namespace duban::server
