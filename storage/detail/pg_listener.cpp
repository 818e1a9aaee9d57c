#include "storage/detail/pg_listener.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/notification>

#include <algorithm>
#include <charconv>
#include <memory>
#include <stdexcept>
#include <system_error>

#include "storage/detail/pg_conn.h"

namespace duban::storage::detail {
namespace {

using SteadyClock = std::chrono::steady_clock;

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection& c, const std::function<void(GlobalPosition)>& on_position)
      : pqxx::notification_receiver(c, kPgEventsChannel), on_position_(on_position) {}

  void operator()(const std::string& payload, int /*backend_pid*/) override {
    std::int64_t p = 0;
    const auto [end, ec] = std::from_chars(payload.data(), payload.data() + payload.size(), p);
    // Anyone may NOTIFY this channel; ignore payloads that are not ours (the poll still runs).
    if (ec == std::errc() && end == payload.data() + payload.size() && p > 0) {
      on_position_(GlobalPosition(p));
    }
  }

 private:
  const std::function<void(GlobalPosition)>& on_position_;
};

GlobalPosition read_head(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn);
  return GlobalPosition(
      tx.exec1("SELECT position FROM log_head WHERE id = 1")[0].as<std::int64_t>());
}

}  // namespace

PgListener::PgListener(PgListenerOptions options, std::function<void(GlobalPosition)> on_position)
    : options_(std::move(options)), on_position_(std::move(on_position)) {
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2 for the PostgreSQL listener");
  }
  thread_ = std::thread([this] { run(); });
}

PgListener::~PgListener() {
  stopping_ = true;
  const char byte = 1;
  [[maybe_unused]] const auto n = write(wake_[1], &byte, 1);
  thread_.join();
  close(wake_[0]);
  close(wake_[1]);
}

bool PgListener::wait(int fd, std::chrono::milliseconds timeout) {
  pollfd fds[2] = {{wake_[0], POLLIN, 0}, {fd, POLLIN, 0}};
  const int n = fd >= 0 ? 2 : 1;
  const int ms = static_cast<int>(std::clamp<std::int64_t>(timeout.count(), 0, 60'000));
  if (poll(fds, static_cast<nfds_t>(n), ms) < 0 && errno != EINTR) {
    throw std::system_error(errno, std::generic_category(), "poll in the PostgreSQL listener");
  }
  return !stopping_ && (fds[0].revents & POLLIN) == 0;
}

void PgListener::run() {
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<Receiver> receiver;  // destroyed before conn
  auto next_poll = SteadyClock::now();
  // Reconnect at once after a drop, then back off (doubling) up to poll_interval while the
  // server stays away.
  constexpr std::chrono::milliseconds kFirstRetry{20};
  std::chrono::milliseconds retry = kFirstRetry;
  while (!stopping_) {
    try {
      if (!conn) {
        conn = pg_connect(options_.url, {.application_name = options_.application_name,
                                         .role = PgRole::listener,
                                         .read_only = options_.read_only});
        if (options_.listen) receiver = std::make_unique<Receiver>(*conn, on_position_);
        next_poll = SteadyClock::now();  // catch up on whatever happened while disconnected
        retry = kFirstRetry;
      }
      if (SteadyClock::now() >= next_poll) {
        on_position_(read_head(*conn));
        next_poll = SteadyClock::now() + options_.poll_interval;
      }
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(next_poll - SteadyClock::now());
      if (!wait(options_.listen ? conn->sock() : -1, left + std::chrono::milliseconds(1))) break;
      // LISTEN runs NOTIFY callbacks from here; a broken socket throws broken_connection.
      if (options_.listen) conn->get_notifs();
      if (!conn->is_open()) throw pqxx::broken_connection("listener connection closed");
    } catch (const std::exception&) {
      // Server down, connection killed, or a head read failed: drop the connection and
      // reconnect. wait_for_position callers meanwhile just wait longer.
      receiver.reset();
      conn.reset();
      retry = std::min(retry, options_.poll_interval);
      if (!wait(-1, retry)) break;
      retry *= 2;
    }
  }
}

}  // namespace duban::storage::detail
