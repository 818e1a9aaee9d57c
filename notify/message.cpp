#include "notify/message.h"

#include <algorithm>
#include <type_traits>

namespace duban::notify {
namespace {

void add(std::vector<UnitId>& out, const UnitId& unit) {
  if (!unit.empty() && std::find(out.begin(), out.end(), unit) == out.end()) out.push_back(unit);
}

std::vector<UnitId> everyone(const task::TaskState& state) {
  std::vector<UnitId> out;
  for (const auto& u : state.leads) add(out, u);
  for (const auto& u : state.participants) add(out, u);
  return out;
}

}  // namespace

std::string task_subject(const task::TaskState& state) {
  const auto& p = state.provenance;
  std::string s = "「" + (p.heading.empty() ? state.id.str() : p.heading) + "」";
  if (!p.document.empty()) {
    s += "（" + p.document.str();
    if (!p.label.empty()) s += " " + p.label;
    s += "）";
  }
  return s;
}

std::string idempotency_key(GlobalPosition position, const UnitId& recipient,
                            const std::string& channel) {
  return idempotency_key(position, std::string_view(recipient.str()), channel);
}

std::string idempotency_key(GlobalPosition position, std::string_view recipient,
                            const std::string& channel) {
  return std::to_string(position.value()) + ":" + std::string(recipient) + ":" + channel;
}

std::vector<UnitId> recipients(const task::Event& event, const task::TaskState& before) {
  return std::visit(
      [&](const auto& e) -> std::vector<UnitId> {
        using E = std::decay_t<decltype(e)>;
        std::vector<UnitId> out;
        if constexpr (std::is_same_v<E, task::UnitAssigned> ||
                      std::is_same_v<E, task::TaskReturned> ||
                      std::is_same_v<E, task::CompletionApproved>) {
          add(out, e.unit);
        } else if constexpr (std::is_same_v<E, task::TaskUrged>) {
          if (e.unit) {
            add(out, *e.unit);
          } else {
            out = everyone(before);
          }
        } else if constexpr (std::is_same_v<E, task::DeadlineApproaching> ||
                             std::is_same_v<E, task::TaskOverdue> ||
                             std::is_same_v<E, task::ProgressReportDue>) {
          out = everyone(before);
        } else if constexpr (std::is_same_v<E, task::ExtensionApproved> ||
                             std::is_same_v<E, task::ExtensionRejected>) {
          if (before.extension) {
            add(out, before.extension->unit);
          } else {
            for (const auto& u : before.leads) add(out, u);
          }
        }
        return out;
      },
      event);
}

std::string message_text(const task::Event& event, const task::TaskState& before,
                         const UnitId& recipient) {
  const std::string what = "督办事项" + task_subject(before);
  return std::visit(
      [&](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, task::UnitAssigned>) {
          return "【交办】" + what + "已交办" + recipient.str() + "（" +
                 (e.role == task::Role::kLead ? "牵头" : "参与") + "），请及时签收办理。";
        } else if constexpr (std::is_same_v<E, task::TaskUrged>) {
          return "【催办】" + what + "被催办" + (e.note.empty() ? "" : "：" + e.note) +
                 (e.note.empty() ? "，请抓紧办理。" : "");
        } else if constexpr (std::is_same_v<E, task::TaskReturned>) {
          return "【退办】" + what + "的办结报告被退回" +
                 (e.reason.empty() ? "。" : "：" + e.reason);
        } else if constexpr (std::is_same_v<E, task::DeadlineApproaching>) {
          return "【临期提醒】" + what + "将于" + e.deadline + "到期，请抓紧办理。";
        } else if constexpr (std::is_same_v<E, task::TaskOverdue>) {
          return "【逾期】" + what + "已超过办理期限" + e.deadline + "，请尽快办结或申请延期。";
        } else if constexpr (std::is_same_v<E, task::ExtensionApproved>) {
          return "【延期】" + what + "的延期申请已批准，新的办理期限为" + e.new_deadline + "。";
        } else if constexpr (std::is_same_v<E, task::ExtensionRejected>) {
          return "【延期】" + what + "的延期申请未获批准" +
                 (e.reason.empty() ? "。" : "：" + e.reason);
        } else if constexpr (std::is_same_v<E, task::CompletionApproved>) {
          return "【办结】" + what + "的办结报告已审核通过。";
        } else if constexpr (std::is_same_v<E, task::ProgressReportDue>) {
          return "【报送提醒】" + what + "的" + e.period + "进展请于" + e.due + "前报送。";
        } else {
          return "";
        }
      },
      event);
}

std::vector<Notification> notifications_for(GlobalPosition position, Timestamp recorded_at,
                                            const task::Event& event, const task::TaskState& before,
                                            const NotifyConfig& config) {
  std::vector<Notification> out;
  if (!before.exists()) return out;
  const std::string link = config.task_link(before.id);
  const std::string type(task::event_type_name(event));
  for (const auto& unit : recipients(event, before)) {
    const std::string text = message_text(event, before, unit) + "\n查看：" + link;
    const bool lead =
        std::find(before.leads.begin(), before.leads.end(), unit) != before.leads.end();
    for (const auto& to : addressees(type, unit, lead, config)) {
      out.push_back(
          Notification{.key = idempotency_key(position, std::string_view(to.id()), to.channel),
                       .position = position,
                       .event_type = type,
                       .task = before.id,
                       .recipient = unit,
                       .account = to.account,
                       .address = to.address,
                       .channel = to.channel,
                       .text = text,
                       .link = link,
                       .recorded_at = recorded_at});
    }
  }
  return out;
}

}  // namespace duban::notify
