// make_channel(): the Channel object for one configured channel, by its type
// (notify/channel_config.h).
#pragma once

#include <memory>

#include "notify/channel.h"
#include "notify/channel_config.h"

namespace duban::notify {

std::unique_ptr<Channel> make_channel(const ChannelConfig& config);

}  // namespace duban::notify
