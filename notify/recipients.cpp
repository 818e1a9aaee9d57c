#include "notify/recipients.h"

#include <array>

#include "notify/config.h"

namespace duban::notify {
namespace {

constexpr std::array<std::string_view, 10> kTold = {"UnitAssigned",      "TaskUrged",
                                                    "TaskReturned",      "DeadlineApproaching",
                                                    "TaskOverdue",       "ExtensionApproved",
                                                    "ExtensionRejected", "CompletionApproved",
                                                    "ProgressReportDue", "Digest"};

std::optional<std::string> set_preference(Preferences& p, std::string_view field,
                                          std::string_view value) {
  if (field == "email") {
    if (value.find('@') == std::string_view::npos) return "email must be an e-mail address";
    p.email = std::string(value);
  } else if (field == "events" || field == "mute") {
    auto& set = field == "events" ? p.events : p.muted;
    for (auto& name : split_list(value)) {
      bool known = false;
      for (auto t : kTold) known = known || t == name;
      if (!known) {
        return "unknown event type \"" + name +
               "\" (UnitAssigned, TaskUrged, TaskReturned, DeadlineApproaching, TaskOverdue, "
               "ExtensionApproved, ExtensionRejected, CompletionApproved, ProgressReportDue, "
               "Digest)";
      }
      set.insert(name);
    }
  } else if (field == "roles") {
    p.as_lead = p.as_participant = false;
    for (auto& role : split_list(value)) {
      if (role == "lead") {
        p.as_lead = true;
      } else if (role == "participant") {
        p.as_participant = true;
      } else {
        return "roles are lead and participant, not \"" + role + "\"";
      }
    }
  } else {
    return "unknown recipient field \"" + std::string(field) + "\"";
  }
  return std::nullopt;
}

}  // namespace

bool Preferences::wants(std::string_view event_type, bool lead) const {
  const std::string type(event_type);
  if (lead ? !as_lead : !as_participant) return false;
  if (muted.contains(type)) return false;
  return events.empty() || events.contains(type);
}

const Preferences& RecipientDirectory::for_unit(const UnitId& unit) const {
  static const Preferences defaults;
  if (const auto it = units.find(unit); it != units.end()) return it->second;
  if (const auto it = units.find(UnitId("*")); it != units.end()) return it->second;
  return defaults;
}

std::optional<std::string> set_recipient_field(RecipientDirectory& directory, std::string_view rest,
                                               std::string_view value) {
  const auto first = rest.find('.');
  const auto last = rest.rfind('.');
  if (first == std::string_view::npos || last <= first + 1) {
    return "expected recipient.unit.<unit>.<field> or recipient.account.<account>.<field>";
  }
  const std::string_view kind = rest.substr(0, first);
  const std::string id(rest.substr(first + 1, last - first - 1));
  const std::string_view field = rest.substr(last + 1);
  if (kind == "unit") {
    return set_preference(directory.units[UnitId(id)], field, value);
  }
  if (kind == "account") {
    auto& account = directory.accounts[id];
    if (field == "unit") {
      account.unit = UnitId(std::string(value));
      return std::nullopt;
    }
    if (field == "channels") {
      account.channels = split_list(value);
      return std::nullopt;
    }
    return set_preference(account.preferences, field, value);
  }
  return "recipient lines are recipient.unit.… or recipient.account.…, not recipient." +
         std::string(kind) + ".…";
}

std::optional<std::string> check_recipients(const NotifyConfig& config) {
  for (const auto& [id, account] : config.recipients.accounts) {
    if (account.unit.empty()) return "recipient.account." + id + " needs unit";
    if (account.channels.empty()) return "recipient.account." + id + " needs channels";
    for (const auto& channel : account.channels) {
      const auto it = config.channels.find(channel);
      if (it == config.channels.end()) {
        return "recipient.account." + id + " names the unknown channel \"" + channel + "\"";
      }
      if (it->second.type == ChannelType::smtp && account.preferences.email.empty()) {
        return "recipient.account." + id + " has the e-mail channel " + channel + " but no email";
      }
    }
  }
  for (const auto& [unit, names] : config.units) {
    for (const auto& channel : names) {
      const auto it = config.channels.find(channel);
      if (it != config.channels.end() && it->second.type == ChannelType::smtp &&
          config.recipients.for_unit(unit).email.empty()) {
        return "unit." + unit.str() + " has the e-mail channel " + channel +
               " but recipient.unit." + unit.str() + ".email is missing";
      }
    }
  }
  return std::nullopt;
}

std::vector<Addressee> addressees(std::string_view event_type, const UnitId& unit, bool lead,
                                  const NotifyConfig& config) {
  std::vector<Addressee> out;
  const auto address = [&](const std::string& channel, const Preferences& p) {
    const auto it = config.channels.find(channel);
    return it != config.channels.end() && it->second.type == ChannelType::smtp ? p.email
                                                                               : std::string();
  };
  const auto& unit_preferences = config.recipients.for_unit(unit);
  if (unit_preferences.wants(event_type, lead)) {
    for (const auto& channel : config.channels_for(unit)) {
      out.push_back({unit, "", channel, address(channel, unit_preferences)});
    }
  }
  for (const auto& [id, account] : config.recipients.accounts) {
    if (account.unit != unit || !account.preferences.wants(event_type, lead)) continue;
    for (const auto& channel : account.channels) {
      out.push_back({unit, id, channel, address(channel, account.preferences)});
    }
  }
  return out;
}

}  // namespace duban::notify
