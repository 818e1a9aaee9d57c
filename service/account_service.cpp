#include "service/account_service.h"

#include <variant>

#include "storage/event_codec.h"
#include "storage/store_errc.h"

namespace duban::service {
namespace {

std::optional<account::AccountEvent> as_account_event(task::Event event) {
  return std::visit(
      [](auto&& e) -> std::optional<account::AccountEvent> {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_constructible_v<account::AccountEvent, E>) {
          return account::AccountEvent(std::move(e));
        } else {
          return std::nullopt;
        }
      },
      std::move(event));
}

}  // namespace

AccountService::AccountService(storage::EventStore& store, const Clock& clock)
    : store_(store),
      clock_(clock),
      family_(store, std::string(account::kAccountStreamPrefix),
              [this](std::vector<FamilyEvent>& found) { return fold(found); }) {}

std::optional<Error> AccountService::fold(std::vector<FamilyEvent>& found) {
  std::vector<std::pair<account::AccountId, account::AccountEvent>> events;
  for (FamilyEvent& f : found) {
    auto event = as_account_event(std::move(f.event));
    if (!event) {
      return storage::store_error(storage::StoreErrc::corrupt,
                                  "event " + std::to_string(f.record->position.value()) + " (" +
                                      f.record->type + ") is not an account event but sits on " +
                                      f.record->stream);
    }
    events.emplace_back(account::AccountId(f.id), std::move(*event));
  }
  std::unique_lock write(mutex_);
  for (auto& [id, event] : events) accounts_[id] = account::apply(std::move(accounts_[id]), event);
  changes_.fetch_add(events.size());
  return std::nullopt;
}

std::optional<account::AccountState> AccountService::account(const account::AccountId& id) const {
  std::shared_lock read(mutex_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return std::nullopt;
  return it->second;
}

std::vector<account::AccountState> AccountService::accounts() const {
  std::shared_lock read(mutex_);
  std::vector<account::AccountState> out;
  out.reserve(accounts_.size());
  for (const auto& [id, state] : accounts_) out.push_back(state);
  return out;
}

Result<AccountOutcome> AccountService::execute(const account::AccountCommand& command,
                                               const task::Actor& actor,
                                               const CommandId& command_id) {
  std::lock_guard one(execute_mutex_);
  auto caught = refresh();
  if (!caught) return caught.error();
  const account::AccountId& id = account_of(command);
  const std::string stream = account::account_stream_id(id);
  const account::AccountState state = account(id).value_or(account::AccountState{});
  auto decided = account::decide(state, command, actor, clock_.now());
  if (!decided) {
    // A retry of a command that went through answers as the first time did.
    auto recorded = store_.read_stream(stream);
    if (!recorded) return recorded.error();
    for (const storage::RecordedEvent& r : *recorded) {
      if (r.command_id == command_id) return AccountOutcome{r.position, true, {}};
    }
    return decided.error();
  }
  if (decided->empty()) return AccountOutcome{*caught, false, {}};
  std::vector<storage::NewEvent> encoded;
  for (const account::AccountEvent& e : *decided) {
    encoded.push_back(
        storage::encode_event(std::visit([](const auto& x) { return task::Event(x); }, e), actor));
  }
  auto appended =
      store_.append(stream, storage::ExpectedVersion::exactly(state.version), encoded, command_id);
  if (!appended) return appended.error();
  if (auto again = refresh(); !again) return again.error();
  AccountOutcome out{appended->last, appended->duplicate, {}};
  if (!appended->duplicate) out.events = std::move(*decided);
  return out;
}

}  // namespace duban::service
