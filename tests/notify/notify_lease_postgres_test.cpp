// The notifier lease on PostgreSQL (storage/notify_lease.h): one holder at a time, released
// with its connection; and two real `duban serve --notify` processes on one PostgreSQL log in
// the middle of a burst of 200 notifications: only the lease holder delivers, and when it is
// SIGKILLed the other takes the lease over and delivers the rest: every key arrives, none more
// than twice (the one in flight at the kill), all within a bounded time.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <thread>

#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/event_codec.h"
#include "storage/notify_lease.h"
#include "storage/store_factory.h"
#include "tests/notify/webhook_receiver.h"
#include "tests/storage/postgres_test_db.h"
#include "tests/support/net_clients.h"
#include "tests/support/serve_child.h"
#include "tests/support/temp_dir.h"

namespace duban::notify {
namespace {

using namespace std::chrono_literals;
using storage::testing::TestDatabase;

TEST(PostgresNotifyLease, OneHolderAtATimeAndReleasedWithItsConnection) {
  TestDatabase db;
  auto a = storage::open_notify_lease(db.url(), "lease-a");
  auto b = storage::open_notify_lease(db.url(), "lease-b");
  ASSERT_TRUE(a.ok() && b.ok());
  auto held = (*a)->hold();
  ASSERT_TRUE(held.ok()) << held.error().message;
  EXPECT_TRUE(*held);
  EXPECT_TRUE(*(*a)->hold()) << "still held on the next check";
  EXPECT_FALSE(*(*b)->hold()) << "another holds it";
  (*a)->release();
  EXPECT_TRUE(*(*b)->hold()) << "free once the holder's connection closed";
  EXPECT_FALSE(*(*a)->hold());
}

long long metric(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

TEST(PostgresServeNotify, TheOtherNodeTakesOverWhenTheLeaseHolderIsKilled) {
  TestDatabase db;
  std::set<std::string> expected;
  {
    FixedClock clock(from_millis(1'450'000'000'000));
    auto events = storage::open_event_store(db.url(), storage::StoreAccess::create, clock);
    ASSERT_TRUE(events.ok()) << events.error().message;
    service::projections::ReadModel model;
    service::TaskService service(**events, model, clock);
    task::CreateTask create;
    create.task = TaskId("T1");
    create.provenance.heading = "建立共享机制";
    create.leads = {UnitId("fgw")};
    create.participants = {UnitId("czt")};
    ASSERT_TRUE(service.execute(create, task::Actor::supervisor(), CommandId("c")).ok());
    for (int i = 0; i < 99; ++i) {
      ASSERT_TRUE(service
                      .execute(task::UrgeTask{TaskId("T1"), std::nullopt, std::to_string(i)},
                               task::Actor::supervisor(), CommandId("u" + std::to_string(i)))
                      .ok());
    }
    auto all = (*events)->read_all(GlobalPosition(1), 10000);
    ASSERT_TRUE(all.ok());
    for (const auto& recorded : *all) {
      auto event = storage::decode_event(recorded);
      ASSERT_TRUE(event.ok());
      const std::string p = std::to_string(recorded.position.value());
      if (const auto* a = std::get_if<task::UnitAssigned>(&*event)) {
        expected.insert(p + ":" + a->unit.str() + ":o");
      } else if (std::holds_alternative<task::TaskUrged>(*event)) {
        expected.insert(p + ":fgw:o");
        expected.insert(p + ":czt:o");
      }
    }
  }
  ASSERT_EQ(expected.size(), 200u);

  duban::testing::WebhookReceiver receiver("lease-secret", 0, 40ms);
  duban::testing::TempDir dir;
  const std::string conf =
      dir.write("notify.conf", "base_url = http://duban.test\nchannel.o.url = " + receiver.url() +
                                   "\nchannel.o.secret = lease-secret\nunit.* = o\n");
  const std::vector<std::string> args{"serve",       "--db",    db.url(),           "--listen",
                                      "127.0.0.1:0", "--quiet", "--sweep-interval", "0",
                                      "--notify",    conf};
  auto first = std::make_unique<duban::testing::ServeChild>(DUBAN_BINARY, args);
  ASSERT_TRUE(receiver.wait_for_requests(5, 60s)) << first->process.err();
  duban::testing::ServeChild second(DUBAN_BINARY, args);
  duban::testing::HttpClient first_http("127.0.0.1", first->port);
  duban::testing::HttpClient second_http("127.0.0.1", second.port);
  const auto first_metrics = first_http.get("/metrics").body;
  const auto second_metrics = second_http.get("/metrics").body;
  EXPECT_EQ(metric(first_metrics, "duban_notify_lease_held"), 1) << first_metrics;
  EXPECT_EQ(metric(second_metrics, "duban_notify_lease_held"), 0) << second_metrics;
  EXPECT_EQ(metric(second_metrics, "duban_notify_delivered_total"), 0)
      << "standby delivers nothing";
  const auto before_kill = receiver.received().size();
  ASSERT_LT(before_kill, 180u) << "the burst is still going when the holder is killed";

  first->process.signal(SIGKILL);
  ASSERT_TRUE(first->process.wait_for_exit(10s).has_value());
  first.reset();

  std::set<std::string> keys;
  std::map<std::string, int> copies;
  for (auto deadline = std::chrono::steady_clock::now() + 90s;
       std::chrono::steady_clock::now() < deadline && keys != expected;
       std::this_thread::sleep_for(100ms)) {
    keys.clear();
    for (const auto& hook : receiver.received()) keys.insert(hook.key);
  }
  EXPECT_EQ(keys, expected) << "every key delivered after the takeover: " << second.process.err();
  for (const auto& hook : receiver.received()) {
    EXPECT_TRUE(hook.signature_ok);
    ++copies[hook.key];
  }
  for (const auto& [key, n] : copies) EXPECT_LE(n, 2) << key;
  EXPECT_LE(receiver.received().size(), 202u) << "only what was in flight is repeated";
  const auto after = second_http.get("/metrics").body;
  EXPECT_EQ(metric(after, "duban_notify_lease_held"), 1) << after;
  EXPECT_GT(metric(after, "duban_notify_delivered_total"), 0) << after;
  EXPECT_EQ(second.stop(30s), 0) << second.process.err();
}

}  // namespace
}  // namespace duban::notify
