#include "server/net/heap_trim.h"

#include <boost/asio/post.hpp>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace duban::server::net {

void HeapTrim::connection_closed(std::size_t peak_bytes) {
  closed_since_trim_.store(true, std::memory_order_relaxed);
  if (peak_bytes >= kLargeConnection) request();
}

void HeapTrim::idle(std::size_t open_connections) {
  if (open_connections == 0 && closed_since_trim_.load(std::memory_order_relaxed)) request();
}

void HeapTrim::request() {
  if (pending_.exchange(true)) return;
  boost::asio::post(workers_, [this] {
    closed_since_trim_.store(false, std::memory_order_relaxed);
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
    metrics_.heap_trims.fetch_add(1, std::memory_order_relaxed);
    pending_.store(false);
  });
}

}  // namespace duban::server::net
