// SessionRegistry: every open connection, so shutdown can drain them (finish the request in
// flight, close WebSockets with 1001) and, past the drain timeout, cut them; and so the server
// can re-check the credential of every WebSocket connection and close those whose token was
// revoked or session ended (1008 policy violation).
//
// Thread-safety: all members may be called concurrently. Callbacks post to the session's strand.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/api/sign_in.h"

namespace duban::server::net {

class Drainable {
 public:
  virtual ~Drainable() = default;
  // Finish what is in flight, then close (WebSockets: close frame 1001 going away).
  virtual void drain() = 0;
  // Close the socket now.
  virtual void force_close() = 0;
  // What the connection authenticated with, when the server must re-check it (WebSockets);
  // nullptr otherwise. Fixed for the connection's lifetime.
  virtual const Credential* credential() const { return nullptr; }
  // The credential no longer holds: close with 1008 (policy violation) and `reason`.
  virtual void revoke(std::string /*reason*/) {}
};

class SessionRegistry {
 public:
  void add(const std::shared_ptr<Drainable>& session) {
    std::lock_guard lock(mutex_);
    sessions_[session.get()] = session;
  }
  void remove(const Drainable* session) {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
  }
  void drain_all() {
    for (auto& s : live()) s->drain();
  }
  void force_close_all() {
    for (auto& s : live()) s->force_close();
  }

  // Every open connection, kept alive while the caller holds the list.
  std::vector<std::shared_ptr<Drainable>> live() const {
    std::vector<std::shared_ptr<Drainable>> out;
    std::lock_guard lock(mutex_);
    for (const auto& [p, weak] : sessions_) {
      if (auto s = weak.lock()) out.push_back(std::move(s));
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const Drainable*, std::weak_ptr<Drainable>> sessions_;
};

}  // namespace duban::server::net
