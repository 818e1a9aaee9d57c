#include "model/task/events.h"

#include <type_traits>

namespace duban::task {

std::string_view event_type_name(const Event& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kType; }, event);
}

int event_schema_version(const Event& event) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::kSchemaVersion; }, event);
}

const std::vector<std::string_view>& event_type_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> out;
    for (const EventTypeInfo& t : EventTypes::kTypes) out.push_back(t.name);
    return out;
  }();
  return names;
}

bool is_document_event(const Event& event) {
  return std::holds_alternative<DocumentRegistered>(event);
}

bool is_draft_event(const Event& event) {
  return std::holds_alternative<DraftRecorded>(event) ||
         std::holds_alternative<DraftCorrected>(event) ||
         std::holds_alternative<DraftPublished>(event) ||
         std::holds_alternative<UnitNameMapped>(event) ||
         std::holds_alternative<UnitDirectoryRecorded>(event) ||
         std::holds_alternative<DraftEvidenceRequirementSet>(event);
}

bool is_account_event(const Event& event) {
  return std::holds_alternative<account::AccountCreated>(event) ||
         std::holds_alternative<account::AccountDisabled>(event) ||
         std::holds_alternative<account::AccountRolesChanged>(event) ||
         std::holds_alternative<account::PasswordReset>(event) ||
         std::holds_alternative<account::SignInLockedOut>(event) ||
         std::holds_alternative<account::UnitSignOffRequired>(event) ||
         std::holds_alternative<account::TokenIssued>(event) ||
         std::holds_alternative<account::TokenRevoked>(event);
}

}  // namespace duban::task
