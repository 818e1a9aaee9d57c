// The daily digest (notify/digest.h): which tasks a unit's digest lists (due within N working
// days on the real calendar, overdue, urged and returned in the last 24 hours), its text, the
// digest.* configuration, and the notifier sending each unit's digest once per local day
// (before the configured time nothing, after it one message per unit and channel keyed
// digest:<date>:<unit>:<channel>, not again that day, not again after a restart, again the next
// day), against a real webhook receiver on 127.0.0.1 and a real SQLite log.
#include <gtest/gtest.h>

#include "notify/config.h"
#include "notify/digest.h"
#include "notify/notifier.h"
#include "storage/event_codec.h"
#include "storage/sqlite_notify_state_store.h"
#include "tests/notify/webhook_receiver.h"
#include "tests/service/service_fixture.h"

namespace duban::notify {
namespace {

using service::testing::create;
using service::testing::kSupervisor;
using service::testing::unit;
using service::testing::utc;
using testing::ReceivedHook;
using testing::WebhookReceiver;

constexpr const char* kSecret = "digest-secret";

class NoSleep final : public Sleeper {
 public:
  void sleep_for(std::chrono::milliseconds) override {}
};

class DigestTest : public service::testing::ServiceTest {
 protected:
  // Monday 2016-01-04 (a working day; 2016-01-01 is 元旦), 09:00 in Shanghai.
  void SetUp() override {
    ServiceTest::SetUp();
    clock.advance_to(utc(2016, 1, 4, 1));
  }

  DigestBook book() {
    DigestBook b;
    auto all = store->read_all(GlobalPosition(1), 100000);
    EXPECT_TRUE(all.ok());
    for (const auto& recorded : *all) {
      auto event = storage::decode_event(recorded);
      EXPECT_TRUE(event.ok());
      b.add(recorded.stream, recorded.recorded_at, *event);
    }
    return b;
  }

  // Tasks of fgw: due today, due in 2 and in 6 working days, overdue, urged twice, returned;
  // one of czt only.
  void write_log() {
    accept(create("D0", {"fgw"}, {}, std::string("2016-01-05")), kSupervisor);
    accept(create("D2", {"czt"}, {"fgw"}, std::string("2016-01-07")), kSupervisor);
    accept(create("D6", {"fgw"}, {}, std::string("2016-01-13")), kSupervisor);
    accept(create("OD", {"fgw"}, {}, std::string("2015-12-31")), kSupervisor);
    accept(create("U2", {"fgw"}), kSupervisor);
    accept(create("RT", {"fgw"}), kSupervisor);
    accept(create("CZ", {"czt"}, {}, std::string("2016-01-05")), kSupervisor);
    clock.advance_to(utc(2016, 1, 3, 1));  // more than 24 hours before the digest: not counted
    accept(task::UrgeTask{TaskId("D6"), UnitId("fgw"), "上周的催办"}, kSupervisor);
    clock.advance_to(utc(2016, 1, 4, 2));
    accept(task::UrgeTask{TaskId("U2"), std::nullopt, ""}, kSupervisor);
    accept(task::UrgeTask{TaskId("U2"), UnitId("fgw"), "请本周内报送进展"}, kSupervisor);
    accept(task::UrgeTask{TaskId("CZ"), UnitId("czt"), "只催财政厅"}, kSupervisor);
    accept(task::ReportCompletion{TaskId("RT"), "已完成"}, unit("fgw"));
    accept(task::ReturnTask{TaskId("RT"), UnitId("fgw"), "材料不全，请补充"}, kSupervisor);
  }
};

TEST_F(DigestTest, AUnitsDigestListsDueOverdueUrgedAndReturnedTasksWithCounts) {
  write_log();
  DigestConfig config;
  // Tuesday 2016-01-05 08:00 in Shanghai.
  const auto digest =
      book().digest(UnitId("fgw"), utc(2016, 1, 5, 0), calendar::Calendar::builtin(), config);
  EXPECT_EQ(digest.day, calendar::parse_date("2016-01-05"));
  ASSERT_EQ(digest.due_soon.size(), 2u) << "D6 is 6 working days away";
  EXPECT_EQ(digest.due_soon[0].task, TaskId("D0"));
  EXPECT_EQ(digest.due_soon[0].days, 0);
  EXPECT_EQ(digest.due_soon[1].task, TaskId("D2")) << "as participant too";
  EXPECT_EQ(digest.due_soon[1].days, 2);
  ASSERT_EQ(digest.overdue.size(), 1u);
  EXPECT_EQ(digest.overdue[0].task, TaskId("OD"));
  EXPECT_EQ(digest.overdue[0].days, 5);
  ASSERT_EQ(digest.urged.size(), 1u) << "D6's urge is older than a day; CZ's is czt's";
  EXPECT_EQ(digest.urged[0].task, TaskId("U2"));
  EXPECT_EQ(digest.urged[0].days, 2);
  EXPECT_EQ(digest.urged[0].note, "请本周内报送进展");
  ASSERT_EQ(digest.returned.size(), 1u);
  EXPECT_EQ(digest.returned[0].note, "材料不全，请补充");

  const std::string text = digest_text(digest, "省发展改革委", "https://duban.example.gov.cn");
  EXPECT_EQ(text.substr(0, text.find('\n')), "【督办日报】省发展改革委 2016年1月5日");
  EXPECT_NE(text.find("临期2项，逾期1项，近一日被催办1项、被退回1项。"), std::string::npos) << text;
  EXPECT_NE(text.find("（2次）：请本周内报送进展"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("查看：https://duban.example.gov.cn/#/inbox/fgw")) << text;

  // Three days ahead on Friday reach over the weekend to Wednesday.
  config.due_within_working_days = 3;
  const auto friday =
      book().digest(UnitId("fgw"), utc(2016, 1, 8, 0), calendar::Calendar::builtin(), config);
  ASSERT_EQ(friday.due_soon.size(), 1u);
  EXPECT_EQ(friday.due_soon[0].task, TaskId("D6"));
  EXPECT_EQ(friday.due_soon[0].days, 3);
  EXPECT_TRUE(friday.urged.empty()) << "the urges were more than a day before";
  EXPECT_EQ(friday.overdue.size(), 3u) << "OD, D0 and D2 are past their deadlines";
}

TEST_F(DigestTest, ClosedTasksAndUnitsWithoutTasksAreLeftOut) {
  accept(create("A", {"fgw"}, {}, std::string("2016-01-05")), kSupervisor);
  accept(task::ReportCompletion{TaskId("A"), "已完成"}, unit("fgw"));
  accept(task::ApproveCompletion{TaskId("A"), std::nullopt}, kSupervisor);
  accept(create("B", {"czt"}), kSupervisor);
  const auto b = book();
  EXPECT_EQ(b.units(), std::vector<UnitId>{UnitId("czt")});
  EXPECT_TRUE(
      b.digest(UnitId("fgw"), utc(2016, 1, 5, 0), calendar::Calendar::builtin(), {}).empty());
  EXPECT_TRUE(
      b.digest(UnitId("czt"), utc(2016, 1, 5, 0), calendar::Calendar::builtin(), {}).empty())
      << "no deadline, no urge";
}

TEST(DigestConfigTest, TimeTimezoneAndHorizonAreReadAndCheckedFromTheFile) {
  const std::string base = "base_url = http://x\n";
  auto off = parse_notify_config(base);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->digest.enabled) << "no digest unless digest.time is given";
  auto on = parse_notify_config(base + "digest.time = 07:30\ndigest.due_within_working_days = 5\n");
  ASSERT_TRUE(on.ok()) << on.error().message;
  EXPECT_TRUE(on->digest.enabled);
  EXPECT_EQ(on->digest.time_of_day, std::chrono::minutes(7 * 60 + 30));
  EXPECT_EQ(on->digest.utc_offset, std::chrono::minutes(8 * 60)) << "Asia/Shanghai by default";
  EXPECT_EQ(on->digest.due_within_working_days, 5);
  EXPECT_EQ(digest_due(calendar::parse_date("2016-01-05"), on->digest), utc(2016, 1, 4, 23, 30));
  auto utc_zone = parse_notify_config(base + "digest.time = 08:00\ndigest.timezone = UTC+01:00\n");
  ASSERT_TRUE(utc_zone.ok()) << utc_zone.error().message;
  EXPECT_EQ(utc_zone->digest.utc_offset, std::chrono::minutes(60));
  for (const char* wrong :
       {"digest.time = 8\n", "digest.time = 24:00\n", "digest.timezone = Mars/Olympus\n",
        "digest.colour = red\n", "digest.due_within_working_days = -1\n"}) {
    auto refused = parse_notify_config(base + wrong);
    ASSERT_FALSE(refused.ok()) << wrong;
    EXPECT_EQ(refused.error().code, "bad_config");
    EXPECT_NE(refused.error().message.find("line 2"), std::string::npos) << refused.error().message;
  }
}

TEST_F(DigestTest, TheNotifierSendsEachUnitsDigestOncePerLocalDay) {
  write_log();
  WebhookReceiver receiver(kSecret);
  auto config = parse_notify_config(
      "base_url = http://duban.test\nchannel.office.url = " + receiver.url() +
      "\nchannel.office.secret = " + kSecret + "\nunit.fgw = office\ndigest.time = 08:00\n");
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto opened = storage::SqliteNotifyStateStore::open(path());
  ASSERT_TRUE(opened.ok());
  NoSleep sleeper;
  const auto digests = [&] {
    std::vector<ReceivedHook> out;
    for (auto& h : receiver.received()) {
      if (h.key.starts_with("digest:")) out.push_back(h);
    }
    return out;
  };

  clock.advance_to(utc(2016, 1, 4, 23, 59));  // 07:59 on Tuesday in Shanghai
  {
    Notifier notifier(*store, **opened, *config, make_channels(*config), clock, sleeper, 1);
    ASSERT_TRUE(notifier.run_once().ok());
    EXPECT_TRUE(digests().empty()) << "not before 08:00";
    clock.advance_to(utc(2016, 1, 5, 0, 1));
    auto pass = notifier.run_once();
    ASSERT_TRUE(pass.ok()) << pass.error().message;
    ASSERT_EQ(digests().size(), 1u) << "one message for fgw (czt has no channel)";
    const auto hook = digests()[0];
    EXPECT_TRUE(hook.signature_ok);
    EXPECT_EQ(hook.key, "digest:2016-01-05:fgw:office");
    EXPECT_EQ(hook.body.at("event").as_string(), "Digest");
    EXPECT_TRUE(std::string(hook.body.at("text").as_string()).starts_with("【督办日报】fgw "));
    ASSERT_TRUE(notifier.run_once().ok());
    EXPECT_EQ(digests().size(), 1u) << "once per day";
  }
  {
    Notifier restarted(*store, **opened, *config, make_channels(*config), clock, sleeper, 2);
    ASSERT_TRUE(restarted.run_once().ok());
    EXPECT_EQ(digests().size(), 1u) << "a restart does not send the day again";
    clock.advance_to(utc(2016, 1, 6, 0, 30));
    ASSERT_TRUE(restarted.run_once().ok());
    ASSERT_EQ(digests().size(), 2u);
    EXPECT_EQ(digests()[1].key, "digest:2016-01-06:fgw:office");
  }
}

}  // namespace
}  // namespace duban::notify
