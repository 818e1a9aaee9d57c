#include "service/views/person_names.h"

#include <variant>

#include "model/account/events.h"
#include "model/task/actor.h"
#include "storage/event_codec.h"

namespace duban::service::views {

std::string PersonNames::name_of(std::string_view actor_text) {
  const std::string login = task::person_of(actor_text);
  if (login.empty()) return {};
  if (auto it = names_.find(login); it != names_.end()) return it->second;
  std::string name;
  auto events = store_.read_stream(account::account_stream_id(account::AccountId(login)));
  if (events && !events->empty()) {
    if (auto first = storage::decode_event(events->front())) {
      if (const auto* created = std::get_if<account::AccountCreated>(&*first)) {
        name = created->display_name;
      }
    }
  }
  names_.emplace(login, name);
  return name;
}

}  // namespace duban::service::views
