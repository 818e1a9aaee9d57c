// A real webhook receiver on 127.0.0.1 for the notifier's tests: accepts HTTP POSTs on an
// ephemeral port, checks each one's X-Duban-Signature against the shared secret, remembers it,
// and answers 500 to its first `fail_first` requests (a receiver that is down, then recovers),
// and to every request while a fail_for() window lasts, 200 afterwards; each answer after
// `delay` (a slow receiver). A 200 carries the robots' JSON {"errcode": N, "errmsg": …} with
// N = 0 unless answer_errcode() said otherwise (webhooks ignore the body).
//
// Thread-safety: the receiver serves on its own thread; every public member may be called from
// the test's thread.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace duban::testing {

struct ReceivedHook {
  std::string key;            // the body's idempotency_key
  bool signature_ok = false;  // the header matched HMAC-SHA256(secret, body)
  boost::json::object body;
  int status = 0;      // what the receiver answered
  std::string target;  // the request's path and query string
};

class WebhookReceiver {
 public:
  explicit WebhookReceiver(std::string secret, int fail_first = 0,
                           std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;  // http://127.0.0.1:<port>/hook

  // Answers 500 to every request from now until `window` has passed (a receiver that is down).
  void fail_for(std::chrono::milliseconds window);
  // The errcode of later 200 answers (a robot refusing a message).
  void answer_errcode(int errcode);

  // Every request so far, in arrival order (also those answered 500).
  std::vector<ReceivedHook> received() const;
  // Waits until at least `count` requests arrived; false on timeout.
  bool wait_for_requests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  void serve();

  struct Impl;
  std::unique_ptr<Impl> impl_;
  const std::string secret_;
  const int fail_first_;
  const std::chrono::milliseconds delay_;
  std::uint16_t port_ = 0;
  mutable std::mutex mutex_;
  mutable std::condition_variable arrived_;
  std::vector<ReceivedHook> received_;
  std::chrono::steady_clock::time_point failing_until_{};
  int errcode_ = 0;
  std::thread thread_;
};

}  // namespace duban::testing
