// PersonNames: the display name of the person an envelope's actor names ("unit:fgw/person:
// wang.fang" → "王芳"), read from the person's account stream (its AccountCreated; display names
// never change). What the audit and the task history show next to the actor text.
//
// Thread-safety: one object per caller (it memoises names); the store is borrowed.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "storage/event_store.h"

namespace duban::service::views {

class PersonNames {
 public:
  explicit PersonNames(storage::EventStore& store) : store_(store) {}

  // The display name of the person `actor_text` names; empty when it names no person, or the
  // account cannot be read (the actor text still says who).
  std::string name_of(std::string_view actor_text);

 private:
  storage::EventStore& store_;
  std::map<std::string, std::string, std::less<>> names_;  // by login
};

}  // namespace duban::service::views
