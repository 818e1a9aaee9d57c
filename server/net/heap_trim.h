// HeapTrim: hands the allocator's free memory back to the operating system (glibc's
// malloc_trim(0)) after a connection that held a lot of it closes, and when the server is idle.
// Without it a hostile client's queued replies or a large body, once freed, stay in the process
// (RSS does not fall) because glibc keeps freed heap for reuse.
//
// A trim runs on the worker pool (it walks the heap and may take milliseconds), at most one at a
// time; requests arriving while one is pending are merged into it.
//
// Thread-safety: every member may be called concurrently.
#pragma once

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>

#include "server/metrics.h"

namespace duban::server::net {

class HeapTrim {
 public:
  // A connection that held at least this many bytes (queued, or read as a body) asks for a trim
  // when it closes.
  static constexpr std::size_t kLargeConnection = 1024 * 1024;

  HeapTrim(boost::asio::thread_pool& workers, Metrics& metrics)
      : workers_(workers), metrics_(metrics) {}

  // A connection closed after holding `peak_bytes` at most: trims soon when that was large,
  // otherwise only notes that memory may be free for the next idle trim.
  void connection_closed(std::size_t peak_bytes);
  // Called periodically: trims when no connection is open and one closed since the last trim.
  void idle(std::size_t open_connections);
  // Trims soon (on a worker), unless a trim is already pending.
  void request();

 private:
  boost::asio::thread_pool& workers_;
  Metrics& metrics_;
  std::atomic<bool> pending_{false};
  std::atomic<bool> closed_since_trim_{false};
};

}  // namespace duban::server::net
