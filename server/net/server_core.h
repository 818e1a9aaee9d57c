// ServerCore: what every session shares (the "shared state" of Beast's chat-multi example):
// options, the API context route() runs against, the push dispatcher, the worker pool that runs
// blocking calls, the session registry, metrics and the request log. Owned by Server::Impl,
// which outlives every session.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>

#include "server/api/router.h"
#include "server/metrics.h"
#include "server/net/heap_trim.h"
#include "server/net/session_registry.h"
#include "server/push/dispatcher.h"
#include "server/request_log.h"
#include "server/server_options.h"

namespace duban::server::net {

struct ServerCore {
  const ServerOptions& options;
  ApiContext& api;
  push::Dispatcher& dispatcher;
  Metrics& metrics;
  boost::asio::thread_pool& workers;  // blocking work: route(), store replay pages
  SessionRegistry& sessions;
  RequestLog& log;
  const std::atomic<bool>& draining;
  HeapTrim& heap_trim;  // closing connections hand their freed memory back
};

}  // namespace duban::server::net
