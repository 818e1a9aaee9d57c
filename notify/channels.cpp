#include "notify/channels.h"

#include "notify/robot_channel.h"
#include "notify/smtp_channel.h"
#include "notify/webhook_channel.h"

namespace duban::notify {

std::unique_ptr<Channel> make_channel(const ChannelConfig& config) {
  switch (config.type) {
    case ChannelType::smtp:
      return std::make_unique<SmtpChannel>(config);
    case ChannelType::wecom:
    case ChannelType::dingtalk:
      return std::make_unique<RobotChannel>(config);
    case ChannelType::webhook:
      break;
  }
  return std::make_unique<WebhookChannel>(config);
}

}  // namespace duban::notify
