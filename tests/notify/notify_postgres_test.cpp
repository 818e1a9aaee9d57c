// The notifier on PostgreSQL: the NotifyStateStore contract (notify_state_store_contract.h) on a
// throwaway database, and an urge on a PostgreSQL log delivered as one signed webhook to a real
// receiver on 127.0.0.1, the checkpoint in that database.
#include <gtest/gtest.h>

#include "notify/notifier.h"
#include "service/projections/read_model.h"
#include "service/task_service.h"
#include "storage/notify_state_store.h"
#include "storage/store_factory.h"
#include "tests/notify/notify_state_store_contract.h"
#include "tests/notify/webhook_receiver.h"
#include "tests/storage/postgres_test_db.h"

namespace duban::notify {
namespace {

using storage::testing::TestDatabase;

class NoSleep final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds) override {}
};

TEST(PostgresNotifyStateStore, KeepsCheckpointsAndFailuresBesideTheLog) {
  TestDatabase db;
  FixedClock clock(from_millis(0));
  auto events = storage::open_event_store(db.url(), storage::StoreAccess::create, clock);
  ASSERT_TRUE(events.ok()) << events.error().message;
  auto store = storage::open_notify_state_store(db.url());
  ASSERT_TRUE(store.ok()) << store.error().message;
  testing::expect_notify_state_store_contract(**store);
  auto again = storage::open_notify_state_store(db.url());
  ASSERT_TRUE(again.ok()) << "opening over existing tables";
  EXPECT_EQ(*(*again)->checkpoint("notify"), GlobalPosition(12));
}

TEST(PostgresNotifier, AnUrgeOnAPostgresLogIsDeliveredOnceAndSigned) {
  TestDatabase db;
  FixedClock clock(from_millis(1'450'000'000'000));
  auto events = storage::open_event_store(db.url(), storage::StoreAccess::create, clock);
  ASSERT_TRUE(events.ok()) << events.error().message;
  auto state = storage::open_notify_state_store(db.url());
  ASSERT_TRUE(state.ok()) << state.error().message;
  service::projections::ReadModel model;
  service::TaskService service(**events, model, clock);
  task::CreateTask create;
  create.task = TaskId("T1");
  create.provenance.heading = "建立共享机制";
  create.leads = {UnitId("fgw")};
  ASSERT_TRUE(service.execute(create, task::Actor::supervisor(), CommandId("c1")).ok());

  duban::testing::WebhookReceiver receiver("pg-secret");
  auto config =
      parse_notify_config("base_url = http://duban.test\nchannel.o.url = " + receiver.url() +
                          "\nchannel.o.secret = pg-secret\nunit.* = o\n");
  ASSERT_TRUE(config.ok()) << config.error().message;
  NoSleep sleeper;
  {
    Notifier notifier(**events, **state, *config, make_channels(*config), clock, sleeper, 1);
    ASSERT_TRUE(notifier.run_once().ok());
  }
  auto urged = service.execute(task::UrgeTask{TaskId("T1"), std::nullopt, "请加快"},
                               task::Actor::supervisor(), CommandId("c2"));
  ASSERT_TRUE(urged.ok());
  Notifier notifier(**events, **state, *config, make_channels(*config), clock, sleeper, 1);
  auto pass = notifier.run_once();
  ASSERT_TRUE(pass.ok()) << pass.error().message;
  EXPECT_EQ(pass->delivered, 1) << "only the urge: 交办 was before the stored checkpoint";
  const auto hooks = receiver.received();
  ASSERT_EQ(hooks.size(), 2u);
  EXPECT_TRUE(hooks.back().signature_ok);
  EXPECT_EQ(hooks.back().key, std::to_string(urged->last.value()) + ":fgw:o");
  EXPECT_EQ(*(*state)->checkpoint(kSubscription), urged->last);
}

}  // namespace
}  // namespace duban::notify
