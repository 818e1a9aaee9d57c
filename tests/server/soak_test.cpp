// A bounded soak of `duban serve` (the real binary, a child process) on loopback against hostile
// clients of every form issue 13 names, next to normal clients (docs/operations.md, "Hostile
// clients", has the figures this measured):
//   baseline (kBaseline): normal clients only: three readers (a unit's inbox, a task, the
//     documents), one writer (an urge at the task's current version, as the supervisor) and one
//     WebSocket subscriber to everything;
//   hostile (kHostile): the same, plus WebSocket clients that send pings, and others forbidden
//     subscribes, without ever reading (from 127.0.0.3); clients announcing 8 MiB bodies
//     without a token (127.0.0.3); and one address (127.0.0.2) opening connections past the
//     per-address cap and holding them;
//   recovery (kRecovery): the hostile clients gone.
// It asserts that the server's RSS (VmRSS of the child) stays under kRssBound throughout and at
// least half of what the attack added is returned after it (malloc_trim), that every normal
// request succeeds in both phases, that the subscriber receives every urge, and that
// the normal clients' p99 latency under attack stays within kP99Ratio times the baseline's (or
// kP99Floor, on a loaded machine). Stops by itself in about 40 s.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>

#include "server/api/target.h"
#include "tests/server/server_fixture.h"
#include "tests/support/serve_child.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";
constexpr auto kBaseline = 8s;
constexpr auto kHostile = 20s;
constexpr auto kRecovery = 4s;
// Bounds: generous against a loaded CI machine, far below what the unbounded server reached
// (issue 13: ~280 MB from one ping client in 42 s; 636 MB from 60 bodies without a token).
constexpr std::int64_t kRssBound = 160 * 1024;  // KiB
constexpr double kP99Ratio = 10;
constexpr auto kP99Floor = 250ms;
constexpr int kPerAddressCap = 100;     // --max-connections-per-address
constexpr int kFloodConnections = 160;  // what 127.0.0.2 tries to hold

// The value of the series `name` in a /metrics text (-1 when absent).
std::int64_t metric(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

// VmRSS of process `pid` in KiB; -1 when unreadable.
std::int64_t rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  }
  return -1;
}

// A bare client socket from a chosen loopback address, with send and receive timeouts, for the
// hostile clients (which must never block the test for long).
class Socket {
 public:
  Socket(const std::string& from, std::uint16_t port, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    if (receive_buffer > 0) {
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    }
    timeval tv{0, 200 * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
      close();
    }
  }
  ~Socket() { close(); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;

  bool ok() const { return fd_ >= 0; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  // False when nothing could be sent within the send timeout, or the peer closed (closed()).
  bool send(std::string_view bytes) {
    while (ok() && !bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) closed_ = true;
        return false;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return ok();
  }
  // True once a send failed because the connection is gone (reset or shut down by the peer).
  bool closed() const { return closed_ || !ok(); }
  // What arrives within `timeout` (up to 64 KiB); empty on timeout; nullopt when closed.
  std::optional<std::string> receive(std::chrono::milliseconds timeout) {
    if (!ok()) return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return std::string();
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
  bool closed_ = false;
};

// One masked client text frame (RFC 6455 5.2), payload under 126 bytes.
std::string ws_frame(std::string_view text) {
  std::string f;
  f.push_back(static_cast<char>(0x81));
  f.push_back(static_cast<char>(0x80 | text.size()));
  const char mask[4] = {0x11, 0x22, 0x33, 0x44};
  f.append(mask, 4);
  for (std::size_t i = 0; i < text.size(); ++i) f.push_back(text[i] ^ mask[i % 4]);
  return f;
}

// Latencies of one kind of normal request, and failures.
struct Samples {
  std::mutex mutex;
  std::vector<double> ms;
  std::int64_t failures = 0;
  std::string first_failure;
  void add(double v, bool ok, const std::string& what) {
    std::lock_guard lock(mutex);
    ms.push_back(v);
    if (!ok && failures++ == 0) first_failure = what;
  }
  double p(double q) {
    std::lock_guard lock(mutex);
    if (ms.empty()) return 0;
    auto sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * sorted.size()))];
  }
};

class ServerSoakTest : public ::testing::Test {
 protected:
  void SetUp() override {
    child = std::make_unique<duban::testing::ServeChild>(
        DUBAN_BINARY, std::vector<std::string>{
                          "serve", "--db", dir.file("soak.db"), "--listen", "127.0.0.1:0",
                          "--demo-tokens", "--ingest", kGazette, "--quiet", "--sweep-interval", "0",
                          "--max-connections-per-address", std::to_string(kPerAddressCap)});
    ASSERT_FALSE(child->token.empty());
    ASSERT_FALSE(child->unit_tokens.empty());
    unit = child->unit_tokens.begin()->first;
    unit_token = child->unit_tokens.begin()->second;
    HttpClient c("127.0.0.1", child->port);
    auto inbox = c.get("/api/v1/units/" + percent_encode(unit) + "/inbox", unit_token).json();
    const auto& lead = inbox.at("lead").as_array();
    const auto& any = lead.empty() ? inbox.at("participant").as_array() : lead;
    ASSERT_FALSE(any.empty());
    task = str(any.at(0).at("task"));
  }
  void TearDown() override {
    if (child) child->stop();
  }

  // Normal clients until `stop`: three readers, one writer, one subscriber.
  void run_normal(std::atomic<bool>& stop, Samples& samples, std::atomic<std::int64_t>& urges,
                  std::atomic<std::int64_t>& received) {
    // Subscribed before the first urge, so every urge acknowledged is one the subscriber gets.
    WsClient::Options o;
    o.token = child->token;
    WsClient sub("127.0.0.1", child->port, o);
    sub.next();  // hello
    sub.send_text(R"({"type":"subscribe","filter":{"task":")" + task + R"("}})");
    const auto subscribed_by = std::chrono::steady_clock::now() + 10s;
    for (bool subscribed = false;
         !subscribed && std::chrono::steady_clock::now() < subscribed_by;) {
      auto m = sub.read(200ms);
      subscribed = m && !m->binary && m->type() == "subscribed";
    }
    std::vector<std::thread> threads;
    const std::vector<std::pair<std::string, std::string>> reads = {
        {"/api/v1/units/" + percent_encode(unit) + "/inbox", unit_token},
        {task_url(task), unit_token},
        {"/api/v1/documents", child->token}};
    for (const auto& [target, token] : reads) {
      threads.emplace_back([&, target = target, token = token] {
        HttpClient c("127.0.0.1", child->port);
        while (!stop.load()) {
          const auto t0 = std::chrono::steady_clock::now();
          int status = 0;
          try {
            status = c.get(target, token).status;
          } catch (const std::exception&) {
          }
          samples.add(ms_since(t0), status == 200, "GET " + target + ": " + std::to_string(status));
          std::this_thread::sleep_for(5ms);
        }
      });
    }
    threads.emplace_back([&] {
      HttpClient c("127.0.0.1", child->port);
      while (!stop.load()) {
        const auto t0 = std::chrono::steady_clock::now();
        int status = 0;
        try {
          const auto version = c.get(task_url(task), child->token).json().at("version").as_int64();
          const std::string body = R"({"command_id":"soak-)" + std::to_string(++commands) +
                                   R"(","expected_version":)" + std::to_string(version) +
                                   R"(,"note":"soak"})";
          status = c.post(task_url(task, "urge"), body, child->token).status;
        } catch (const std::exception&) {
        }
        if (status == 200) urges.fetch_add(1);
        samples.add(ms_since(t0), status == 200, "urge: " + std::to_string(status));
        std::this_thread::sleep_for(50ms);
      }
    });
    while (!stop.load()) {
      auto m = sub.read(100ms);
      if (m && !m->binary && m->type() == "event" &&
          str(m->json().at("event_type")) == "TaskUrged") {
        received.fetch_add(1);
      }
    }
    for (auto& t : threads) t.join();
    // The urges in flight at the stop still arrive.
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (received.load() < urges.load() && std::chrono::steady_clock::now() < deadline) {
      auto m = sub.read(200ms);
      if (m && !m->binary && m->type() == "event" &&
          str(m->json().at("event_type")) == "TaskUrged") {
        received.fetch_add(1);
      }
    }
  }

  // A WebSocket client from 127.0.0.3 sending `message` and never reading, reconnecting when the
  // server closes it; counts the connections it made.
  void never_reading_ws(std::atomic<bool>& stop, const std::string& message,
                        std::atomic<std::int64_t>& connections) {
    const std::string frame = ws_frame(message);
    std::string burst;
    for (int i = 0; i < 64; ++i) burst += frame;
    while (!stop.load()) {
      Socket s("127.0.0.3", child->port, 4096);
      if (!s.ok()) {
        std::this_thread::sleep_for(50ms);
        continue;
      }
      s.send(
          "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: "
          "Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: "
          "13\r\nAuthorization: Bearer " +
          unit_token + "\r\n\r\n");
      auto answer = s.receive(2s);  // the 101 (and perhaps the hello); never read again
      if (!answer || answer->find(" 101 ") == std::string::npos) {
        std::this_thread::sleep_for(50ms);
        continue;
      }
      connections.fetch_add(1);
      while (!stop.load() && s.send(burst)) {
      }
      // Send timed out (the server paused reading) or closed: keep it open until it is closed.
      while (!stop.load() && !s.closed()) {
        if (!s.send(frame)) std::this_thread::sleep_for(100ms);  // closed: 1008 after the grace
      }
    }
  }

  // Clients from 127.0.0.3 announcing 8 MiB bodies without a token, sending what they can.
  void big_bodies(std::atomic<bool>& stop, std::atomic<std::int64_t>& refused) {
    const std::string chunk(64 * 1024, 'x');
    while (!stop.load()) {
      Socket s("127.0.0.3", child->port);
      if (!s.ok()) continue;
      s.send(
          "POST /api/v1/documents HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
          "text/markdown\r\nContent-Length: 8388608\r\n\r\n");
      for (int i = 0; i < 128 && s.send(chunk); ++i) {
      }
      auto r = s.receive(2s);
      if (r && r->find(" 401 ") != std::string::npos) refused.fetch_add(1);
    }
  }

  static double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }

  duban::testing::TempDir dir;
  std::unique_ptr<duban::testing::ServeChild> child;
  std::string unit, unit_token, task;
  std::atomic<std::int64_t> commands{0};
};

// Under AddressSanitizer (the CI's second build) the server's memory is ASan's (shadow memory,
// a quarantine that malloc_trim cannot return) and it runs several times slower, so the RSS and
// latency bounds only hold for the optimised build; the sanitizer build still runs every hostile
// form against the server and checks the rest.
#ifdef __SANITIZE_ADDRESS__
constexpr bool kMeasured = false;
#else
constexpr bool kMeasured = true;
#endif

TEST_F(ServerSoakTest, HostileClientsLeaveMemoryBoundedAndNormalClientsServed) {
  const pid_t pid = child->process.pid();
  const std::int64_t rss_start = rss_kib(pid);
  ASSERT_GT(rss_start, 0);
  std::atomic<std::int64_t> rss_peak{rss_start};
  std::atomic<bool> sampling{true};
  std::thread sampler([&] {
    while (sampling.load()) {
      const auto r = rss_kib(pid);
      if (r > rss_peak.load()) rss_peak.store(r);
      std::this_thread::sleep_for(50ms);
    }
  });

  // Baseline.
  Samples base;
  std::atomic<std::int64_t> base_urges{0}, base_received{0};
  {
    std::atomic<bool> stop{false};
    std::thread normal([&] { run_normal(stop, base, base_urges, base_received); });
    std::this_thread::sleep_for(kBaseline);
    stop.store(true);
    normal.join();
  }
  const std::int64_t rss_baseline = rss_kib(pid);

  // Hostile.
  Samples attacked;
  std::atomic<std::int64_t> urges{0}, received{0}, ws_connections{0}, bodies_refused{0};
  int flood_held = 0, flood_refused = 0;
  {
    std::atomic<bool> stop{false};
    std::vector<std::thread> hostile;
    for (int i = 0; i < 2; ++i) {
      hostile.emplace_back([&] { never_reading_ws(stop, R"({"type":"ping"})", ws_connections); });
      hostile.emplace_back([&] {
        never_reading_ws(stop, R"({"type":"subscribe","filter":{"all":true}})", ws_connections);
      });
      hostile.emplace_back([&] { big_bodies(stop, bodies_refused); });
    }
    // Connections past the per-address cap from one address, held for the phase.
    std::vector<std::unique_ptr<Socket>> flood;
    for (int i = 0; i < kFloodConnections; ++i) {
      flood.push_back(std::make_unique<Socket>("127.0.0.2", child->port));
    }
    std::this_thread::sleep_for(1s);
    for (auto& s : flood) {
      auto early = s->receive(0ms);  // a refused one was answered 503 at once, then closed
      if (!early || early->find(" 503 ") != std::string::npos) {
        ++flood_refused;
      } else if (s->ok()) {
        ++flood_held;
      }
    }
    std::thread normal([&] { run_normal(stop, attacked, urges, received); });
    std::this_thread::sleep_for(kHostile);
    stop.store(true);
    normal.join();
    for (auto& t : hostile) t.join();
  }
  const std::int64_t rss_hostile_peak = rss_peak.load();
  const std::string hostile_metrics = HttpClient("127.0.0.1", child->port).get("/metrics").body;

  // Recovery: the hostile clients are gone; the idle server trims its heap.
  std::this_thread::sleep_for(kRecovery);
  const std::int64_t rss_after = rss_kib(pid);
  sampling.store(false);
  sampler.join();
  const std::string after_metrics = HttpClient("127.0.0.1", child->port).get("/metrics").body;

  const double base_p50 = base.p(0.50), base_p99 = base.p(0.99);
  const double hostile_p50 = attacked.p(0.50), hostile_p99 = attacked.p(0.99);
  std::cout << "soak: RSS start " << rss_start / 1024 << " MiB, after baseline "
            << rss_baseline / 1024 << " MiB, peak " << rss_hostile_peak / 1024
            << " MiB, after recovery " << rss_after / 1024 << " MiB (bound " << kRssBound / 1024
            << " MiB)\n"
            << "soak: baseline " << base.ms.size() << " requests, p50 " << base_p50 << " ms, p99 "
            << base_p99 << " ms; under attack " << attacked.ms.size() << " requests, p50 "
            << hostile_p50 << " ms, p99 " << hostile_p99 << " ms (ratio "
            << (base_p99 > 0 ? hostile_p99 / base_p99 : 0) << ")\n"
            << "soak: hostile WebSocket connections " << ws_connections.load()
            << ", 8 MiB bodies refused 401 " << bodies_refused.load() << ", flood held "
            << flood_held << " refused 503 " << flood_refused << "\n"
            << "soak: reads paused " << metric(hostile_metrics, "duban_ws_reads_paused_total")
            << ", closed 1008 " << metric(hostile_metrics, "duban_ws_budget_closes_total")
            << ", pings limited " << metric(hostile_metrics, "duban_ws_pings_limited_total")
            << ", client errors " << metric(hostile_metrics, "duban_ws_client_errors_total")
            << ", most bytes queued on one connection "
            << metric(hostile_metrics, "duban_ws_queued_bytes_peak") << ", heap trims "
            << metric(after_metrics, "duban_heap_trims_total") << "\n";

  EXPECT_LE(metric(hostile_metrics, "duban_ws_queued_bytes_peak"), 4 * 1024 * 1024 + 64 * 1024);
  if (kMeasured) {
    // Trimming is measured where the heap is glibc's (HeapTrimTest covers the trigger itself):
    // under AddressSanitizer the allocator is ASan's and the server too slow to go idle here.
    EXPECT_GE(metric(after_metrics, "duban_heap_trims_total"), 1);
    EXPECT_LE(rss_hostile_peak, kRssBound);
    // The never-reading clients were held to their budget (reading paused), not served without
    // end.
    EXPECT_GE(metric(hostile_metrics, "duban_ws_reads_paused_total"), 1);
    // Memory went back after they left: at least half of what the attack added.
    if (rss_hostile_peak - rss_baseline > 16 * 1024) {
      EXPECT_LE(rss_after, rss_baseline + (rss_hostile_peak - rss_baseline) / 2);
    }
  }
  EXPECT_EQ(base.failures, 0) << base.first_failure;
  EXPECT_EQ(attacked.failures, 0) << attacked.first_failure;
  EXPECT_GT(attacked.ms.size(), 100u);
  EXPECT_EQ(base_received.load(), base_urges.load());
  EXPECT_EQ(received.load(), urges.load());
  if (kMeasured) {
    EXPECT_LE(hostile_p99, std::max(kP99Ratio * base_p99,
                                    std::chrono::duration<double, std::milli>(kP99Floor).count()));
  }
  // Every hostile form actually ran.
  EXPECT_GE(ws_connections.load(), 4);
  EXPECT_GT(bodies_refused.load(), 2);
  EXPECT_EQ(flood_held, kPerAddressCap);
  EXPECT_EQ(flood_refused, kFloodConnections - kPerAddressCap);
}

}  // namespace
}  // namespace duban::server::testing
