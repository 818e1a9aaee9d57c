// A kept head: "POS:HEXHASH", the position of the last event and its chain hash, as
// `duban audit verify --export-head` prints it and `--head` reads it back. Kept outside the
// store (printed, mailed, filed in another system), it lets a later verification prove that the
// log still extends it (docs/audit.md).
#pragma once

#include <string>
#include <string_view>

#include "model/ids.h"
#include "model/result.h"
#include "storage/event_store.h"

namespace duban::audit {

struct HeadRef {
  GlobalPosition position;  // 0 for an empty log
  std::string hash;         // storage::kHashSize raw bytes
  bool operator==(const HeadRef&) const = default;
};

// "271:3f0a…" (the hash as 64 lowercase hex digits).
std::string format_head(const HeadRef& head);

// The inverse. Accepts upper- or lowercase hex. Error code "bad_head" with the expected form.
Result<HeadRef> parse_head(std::string_view text);

}  // namespace duban::audit
