#include "server/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/api/error_status.h"
#include "server/api/sign_in.h"
#include "server/net/listener.h"
#include "server/net/server_core.h"
#include "server/push/dispatcher.h"
#include "server/request_log.h"

namespace duban::server {
namespace asio = boost::asio;

namespace {

service::EvidenceLimits evidence_limits(const ServerOptions& options) {
  service::EvidenceLimits limits;
  limits.max_size = static_cast<std::int64_t>(options.max_attachment_body);
  return limits;
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, ServerDependencies d)
      : options(std::move(o)),
        deps(d),
        api{deps.service, deps.store,    deps.tokens,          deps.clock,
            deps.units,   metrics,       options.yellow_share, ingest_mutex,
            draining,     deps.sessions, deps.units_text,      deps.token_service},
        dispatcher(deps.store, metrics,
                   push::DispatcherOptions{options.ring_capacity, options.page_size,
                                           std::chrono::milliseconds(100), options.ring_max_bytes}),
        log(std::cerr, options.request_log),
        core{options, api, dispatcher, metrics, workers, sessions, log, draining, heap_trim} {
    api.notify_state = deps.notify_state;
    api.blobs = deps.blobs;
    api.evidence = evidence_limits(options);
  }

  void schedule_sweep();
  void schedule_checkpoints();
  void schedule_credential_checks();
  // Closes every WebSocket connection whose credential no longer holds (on a worker).
  void recheck_credentials();
  // On a worker, every credential_recheck: recheck_credentials() when a token was revoked, an
  // account changed or a session ended since the last round, or credential_backstop passed.
  void credential_round();
  // The dispatcher read the log up to `head`: tell the token service and the sessions.
  void observe_head(GlobalPosition head);
  void refresh_read_model(GlobalPosition head);
  // After a failed refresh: tries again on a worker (one retry at a time).
  void retry_read_model();

  // Declaration order is destruction order reversed: everything a session touches (core and
  // what it refers to) is declared before the io_context and the worker pool, so handlers that
  // die with them can still reach it.
  const ServerOptions options;
  ServerDependencies deps;
  Metrics metrics;
  std::mutex ingest_mutex;
  std::atomic<bool> draining{false};
  std::atomic<bool> retry_pending{false};
  // credential_round()'s state: the counters at the last full re-check, and when it ran. Only
  // the round touches them, one round at a time.
  std::uint64_t credential_changes = 0;
  std::chrono::steady_clock::time_point credential_checked = std::chrono::steady_clock::now();
  ApiContext api;
  push::Dispatcher dispatcher;
  net::SessionRegistry sessions;
  RequestLog log;
  asio::thread_pool workers{static_cast<std::size_t>(std::max(1, options.workers))};
  net::HeapTrim heap_trim{workers, metrics};
  net::ServerCore core;
  asio::io_context ioc{options.io_threads};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  asio::steady_timer sweep_timer{ioc};
  asio::steady_timer checkpoint_timer{ioc};
  asio::steady_timer credential_timer{ioc};
  std::optional<asio::signal_set> signals;
  std::shared_ptr<net::Listener> listener;
  std::vector<std::thread> threads;

  std::mutex state_mutex;  // guards the flags below
  std::condition_variable state_changed;
  bool started = false;
  bool stopping = false;
  bool stopped = false;
  bool signalled = false;
};

void Server::Impl::schedule_sweep() {
  if (options.sweep_interval.count() <= 0) return;
  sweep_timer.expires_after(options.sweep_interval);
  sweep_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || draining.load()) return;
    asio::post(workers, [this] {
      auto swept = deps.service.sweep(options.yellow_share);
      metrics.sweeps.fetch_add(1, std::memory_order_relaxed);
      if (!swept) {
        log.log(
            {{"kind", "sweep"}, {"error", swept.error().code}, {"message", swept.error().message}});
      } else if (swept->approaching + swept->overdue > 0) {
        log.log({{"kind", "sweep"},
                 {"tasks_checked", swept->tasks_checked},
                 {"approaching", swept->approaching},
                 {"overdue", swept->overdue}});
      }
      asio::post(ioc, [this] { schedule_sweep(); });
    });
  });
}

void Server::Impl::schedule_checkpoints() {
  checkpoint_timer.expires_after(options.checkpoint_interval);
  checkpoint_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || draining.load()) return;
    dispatcher.tick_checkpoints();
    retry_read_model();
    heap_trim.idle(sessions.size());
    schedule_checkpoints();
  });
}

void Server::Impl::schedule_credential_checks() {
  if (options.credential_recheck.count() <= 0) return;
  credential_timer.expires_after(options.credential_recheck);
  credential_timer.async_wait([this](boost::system::error_code ec) {
    if (ec || draining.load()) return;
    asio::post(workers, [this] {
      credential_round();
      asio::post(ioc, [this] { schedule_credential_checks(); });
    });
  });
}

void Server::Impl::observe_head(GlobalPosition head) {
  if (deps.token_service) deps.token_service->observe(head);
  if (deps.sessions) deps.sessions->observe(head);
}

void Server::Impl::credential_round() {
  // Catch up with what the dispatcher saw (other processes' revocations); cheap when nothing
  // moved. A store error leaves the counters as they are: the next round tries again.
  if (deps.token_service) (void)deps.token_service->refresh_if_moved();
  if (deps.sessions) (void)deps.sessions->refresh_if_moved();
  const std::uint64_t changes = (deps.token_service ? deps.token_service->revocations() : 0) +
                                (deps.sessions ? deps.sessions->endings() : 0);
  const auto now = std::chrono::steady_clock::now();
  if (changes == credential_changes && now - credential_checked < options.credential_backstop) {
    return;
  }
  credential_changes = changes;
  credential_checked = now;
  recheck_credentials();
}

// Each distinct credential is checked once per round however many connections share it; a
// store error (the log unreadable for a moment) closes nothing.
void Server::Impl::recheck_credentials() {
  const auto live = sessions.live();
  std::map<Credential, std::optional<std::string>> verdicts;  // reason to close, if any
  for (const auto& s : live) {
    const Credential* c = s->credential();
    if (!c) continue;
    auto [it, fresh] = verdicts.try_emplace(*c);
    if (fresh) {
      auto still = recheck(*c, api);
      if (!still && still.error().code == api_errc::kUnauthorized) {
        it->second = still.error().message;
      }
    }
    if (it->second) {
      log.log({{"kind", "ws_revoked"}, {"reason", *it->second}});
      s->revoke(*it->second);
    }
  }
}

// Appends by other processes (a `duban ingest` next to the server, other nodes on one
// PostgreSQL log) reach the read model here, before the dispatcher publishes them to
// subscribers; the server's own commands have caught it up already. Up to `head` only: the
// dispatcher publishes page by page, and the next page brings the model along again.
// The outcome goes to metrics (lag, failed flag, reason): /healthz answers 503 while the last
// catch-up failed, and schedule_checkpoints() retries it so a passing failure heals.
void Server::Impl::refresh_read_model(GlobalPosition head) {
  auto& model = deps.service.read_model();
  std::optional<Error> failure;
  if (model.checkpoint() < head) {
    if (auto caught = model.catch_up(deps.store, head); !caught) failure = caught.error();
  }
  const std::int64_t lag = std::max<std::int64_t>(0, head.value() - model.checkpoint().value());
  if (!failure) {
    if (metrics.read_model_health().failed) {
      log.log({{"kind", "read_model"}, {"status", "recovered"}, {"position", head.value()}});
    }
    metrics.read_model_caught_up(lag);
    return;
  }
  if (metrics.read_model_failed(lag, failure->code, failure->message)) {
    std::cerr << "duban serve: refreshing the read model failed: " << failure->code << ": "
              << failure->message << "\n";
  }
}

void Server::Impl::retry_read_model() {
  if (!metrics.read_model_health().failed || retry_pending.exchange(true)) return;
  asio::post(workers, [this] {
    refresh_read_model(std::max(dispatcher.head(), dispatcher.store_head()));
    retry_pending.store(false);
  });
}

Server::Server(ServerOptions options, ServerDependencies deps)
    : impl_(std::make_unique<Impl>(std::move(options), deps)) {}

Server::~Server() {
  stop();
}

Metrics& Server::metrics() {
  return impl_->metrics;
}

Result<std::uint16_t> Server::start() {
  Impl& s = *impl_;
  auto head = s.dispatcher.start([&s](GlobalPosition h) {
    s.refresh_read_model(h);
    s.observe_head(h);
  });
  if (!head) return head.error();
  // Other nodes may have appended since the read model was loaded: start level with the push.
  s.refresh_read_model(*head);
  s.listener = std::make_shared<net::Listener>(s.ioc, s.core);
  auto port = s.listener->open(s.options.address, s.options.port);
  if (!port) {
    s.dispatcher.stop();
    return port.error();
  }
  s.listener->run();
  s.schedule_sweep();
  s.schedule_checkpoints();
  s.schedule_credential_checks();
  s.guard.emplace(s.ioc.get_executor());
  for (int i = 0; i < std::max(1, s.options.io_threads); ++i) {
    s.threads.emplace_back([&s] { s.ioc.run(); });
  }
  {
    std::lock_guard lock(s.state_mutex);
    s.started = true;
  }
  s.log.log({{"kind", "start"},
             {"address", s.options.address + ":" + std::to_string(*port)},
             {"position", head->value()}});
  return *port;
}

void Server::catch_signals() {
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.state_mutex);
    if (!s.started || s.stopped || s.signals) return;
    s.signals.emplace(s.ioc, SIGINT, SIGTERM);
  }
  s.signals->async_wait([&s](boost::system::error_code ec, int signal) {
    if (ec) return;
    s.log.log({{"kind", "signal"}, {"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
    std::lock_guard lock(s.state_mutex);
    s.signalled = true;
    s.state_changed.notify_all();
  });
}

void Server::wait() {
  Impl& s = *impl_;
  catch_signals();
  {
    std::unique_lock lock(s.state_mutex);
    if (!s.started || s.stopped) return;
    s.state_changed.wait(lock, [&] { return s.signalled || s.stopped || s.stopping; });
  }
  stop();
}

void Server::stop() {
  Impl& s = *impl_;
  {
    std::unique_lock lock(s.state_mutex);
    if (s.stopping) {
      s.state_changed.wait(lock, [&] { return s.stopped; });
      return;
    }
    s.stopping = true;
    s.state_changed.notify_all();
    if (!s.started) {
      s.stopped = true;
      s.state_changed.notify_all();
      return;
    }
  }
  const auto began = std::chrono::steady_clock::now();
  s.draining.store(true);
  s.listener->close();
  asio::post(s.ioc, [&s] {
    s.sweep_timer.cancel();
    s.checkpoint_timer.cancel();
    s.credential_timer.cancel();
    if (s.signals) s.signals->cancel();
  });
  s.sessions.drain_all();
  const auto deadline = began + s.options.drain_timeout;
  while (s.sessions.size() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::size_t cut = s.sessions.size();
  if (cut > 0) {
    s.sessions.force_close_all();
    const auto grace = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (s.sessions.size() > 0 && std::chrono::steady_clock::now() < grace) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  s.dispatcher.stop();
  s.workers.join();
  s.guard.reset();
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  s.log.log({{"kind", "stop"},
             {"ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - began)
                        .count()},
             {"connections_cut", cut}});
  std::lock_guard lock(s.state_mutex);
  s.stopped = true;
  s.state_changed.notify_all();
}

}  // namespace duban::server
