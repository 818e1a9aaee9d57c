// Who is told, beyond the units an event concerns (notify/message.h): each unit's and each
// person's (account's) preferences from the `recipient.*` lines of the notification
// configuration (docs/operations.md, "Notifications"):
//
//   recipient.unit.<unit>.email = ban@fgw.example.gov.cn      # the unit's mailbox (smtp channels)
//   recipient.unit.<unit>.mute = DeadlineApproaching           # event types the unit is not told
//   recipient.unit.<unit>.events = TaskUrged, TaskOverdue      # only these (default: all)
//   recipient.unit.<unit>.roles = lead                         # only tasks it leads (lead,
//   participant) recipient.unit.*.…                                         # every unit without
//   its own line recipient.account.<account>.unit = <unit>                  # the person's unit
//   (required) recipient.account.<account>.channels = mail                # the person's channels
//   (required) recipient.account.<account>.email = zhang@fgw.example.gov.cn
//   recipient.account.<account>.events / .mute / .roles        # as for units
//
// The unit itself is told through `unit.<unit>` (or `unit.*`) channels unless its preferences
// filter the event out; each person of a unit told is told through their own channels, filtered by
// their own preferences (independently of the unit's). Event types are the log's names
// (UnitAssigned, TaskUrged, TaskReturned, DeadlineApproaching, TaskOverdue, ExtensionApproved,
// ExtensionRejected, CompletionApproved, ProgressReportDue, and Digest for the daily digest).
//
// Thread-safety: values; the functions are reentrant.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/ids.h"
#include "notify/channel_config.h"

namespace duban::notify {

struct NotifyConfig;

struct Preferences {
  std::string email;             // the address smtp channels send to ("" = none)
  std::set<std::string> events;  // event types told (empty: every relevant one)
  std::set<std::string> muted;   // event types never told
  bool as_lead = true;           // told of tasks where the unit leads
  bool as_participant = true;    // told of tasks where the unit participates

  // Whether an event of `event_type` on a task where the unit is lead (or not) is told.
  bool wants(std::string_view event_type, bool lead) const;
};

struct AccountPreferences {
  UnitId unit;                        // whose events the person is told of
  std::vector<std::string> channels;  // channel names
  Preferences preferences;
};

struct RecipientDirectory {
  std::map<UnitId, Preferences> units;                 // recipient.unit.<id>.* ("*" included)
  std::map<std::string, AccountPreferences> accounts;  // recipient.account.<id>.*

  // The unit's preferences, else recipient.unit.*'s, else the defaults.
  const Preferences& for_unit(const UnitId& unit) const;
};

// One (recipient, channel) an event goes to.
struct Addressee {
  UnitId unit;          // the unit the event concerns
  std::string account;  // "" for the unit itself, else the person told
  std::string channel;  // channel name
  std::string address;  // e-mail address for smtp channels ("" when none is configured)

  // "<unit>" or "<unit>/<account>": the recipient part of the idempotency key.
  std::string id() const { return account.empty() ? unit.str() : unit.str() + "/" + account; }
};

// Applies `recipient.<rest> = value` (rest without the "recipient." prefix); an error message
// (without the line) when the key or value is wrong.
std::optional<std::string> set_recipient_field(RecipientDirectory& directory, std::string_view rest,
                                               std::string_view value);

// After the whole file: every account has a unit and known channels, event names are known.
std::optional<std::string> check_recipients(const NotifyConfig& config);

// Everyone told of an event of `event_type` concerning `unit` (lead: its role in the task): the
// unit through its channels, then each of its persons through theirs; in that order.
std::vector<Addressee> addressees(std::string_view event_type, const UnitId& unit, bool lead,
                                  const NotifyConfig& config);

}  // namespace duban::notify
