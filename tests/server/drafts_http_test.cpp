// The drafts API of `duban serve` over real HTTP and WebSocket connections on 127.0.0.1:
// POST /api/v1/documents?review=true records drafts and nothing a unit can see (inbox, task
// list, push); units get 403 on every drafts endpoint; the supervisor corrects a clause and
// publishes; publishing creates exactly the reviewed tasks, and publishing again appends nothing;
// a signed-in person of the office reviews and publishes as themselves (the events name them),
// and one without the inspector role is refused with nothing written.
#include "tests/server/server_fixture.h"

namespace duban::server::testing {
namespace {

namespace json = boost::json;

const std::string kGazette = std::string(DUBAN_SOURCE_DIR) + "/data/qinghai-gazette-2015-08.md";

class DraftsHttpTest : public ServerTest {
 protected:
  std::vector<std::string> event_types() {
    auto all = store->read_all(GlobalPosition(1), 1'000'000);
    EXPECT_TRUE(all.ok());
    std::vector<std::string> out;
    if (all.ok())
      for (const auto& r : *all) out.push_back(r.type + "@" + r.actor);
    return out;
  }
};

TEST_F(DraftsHttpTest, AReviewedIngestIsInvisibleToUnitsUntilPublished) {
  auto c = http();
  auto ingested = c.request("POST", "/api/v1/documents?review=true", read_file(kGazette),
                            supervisor, "text/markdown");
  ASSERT_EQ(ingested.status, 200) << ingested.body;
  const auto drafts = ingested.json().at("drafts").as_array();
  ASSERT_FALSE(drafts.empty());
  EXPECT_TRUE(ingested.json().at("tasks_created").as_array().empty());
  for (const auto& t : event_types()) EXPECT_EQ(t, "DraftRecorded@supervisor");

  // The document under review: the first with clauses.
  std::string doc;
  for (const auto& d : drafts) {
    if (d.at("clauses").as_int64() > 0) {
      doc = str(d.at("document"));
      break;
    }
  }
  ASSERT_FALSE(doc.empty());
  const std::string base = "/api/v1/drafts/" + percent_encode(doc);

  // Units see nothing: no inbox rows, no drafts, no pushed events.
  const std::string grain = unit_token("grain");
  auto inbox = c.get("/api/v1/units/grain/inbox?status=all", grain);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  EXPECT_TRUE(inbox.json().at("lead").as_array().empty());
  EXPECT_EQ(c.get("/api/v1/drafts", grain).status, 403);
  EXPECT_EQ(c.get(base, grain).status, 403);
  EXPECT_EQ(c.post(base + "/publish", "", grain).status, 403);
  EXPECT_EQ(
      c.post(base + "/corrections", R"({"kind":"drop","clause":"c1","reason":"x"})", grain).status,
      403);
  {
    auto w = ws(grain);
    w.next();
    subscribe(w, R"({"unit":"grain"})", 0);
    w.next();
    std::vector<WsMessage> skipped;
    read_until(w, "caught_up", &skipped);
    EXPECT_TRUE(skipped.empty()) << skipped.size() << " events pushed to a unit";
  }

  // The supervisor reviews: list, show (doubtful first), correct.
  auto list = c.get("/api/v1/drafts", supervisor);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.json().at("drafts").as_array().size(), drafts.size());
  auto shown = c.get(base, supervisor);
  ASSERT_EQ(shown.status, 200) << shown.body;
  const auto clauses = shown.json().at("clauses").as_array();
  ASSERT_GE(clauses.size(), 2u);
  EXPECT_EQ(shown.json().at("review_order").as_array().size(), clauses.size());
  const std::string first = str(clauses[0].at("key"));
  auto fixed = c.post(base + "/corrections",
                      R"({"kind":"units","clause":")" + first +
                          R"(","units":[{"unit":"省粮食局","role":"lead"}],"reason":"粮食局牵头"})",
                      supervisor);
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  EXPECT_EQ(str(fixed.json().at("corrections").as_array()[0].at("kind")), "units");
  EXPECT_EQ(event_types().back(), "DraftCorrected@supervisor");
  auto bad = c.post(base + "/corrections",
                    R"({"kind":"deadline","clause":")" + first + R"(","deadline":"2016-13-45"})",
                    supervisor);
  EXPECT_EQ(bad.status, 400) << bad.body;
  int kept = 0;
  for (const auto& cl : clauses) {
    bool lead = false;
    for (const auto& u : cl.at("units").as_array()) lead |= str(u.at("role")) == "lead";
    if (!lead && str(cl.at("key")) != first) {
      auto dropped =
          c.post(base + "/corrections",
                 R"({"kind":"drop","clause":")" + str(cl.at("key")) + R"(","reason":"no unit"})",
                 supervisor);
      ASSERT_EQ(dropped.status, 200) << dropped.body;
    } else {
      ++kept;
    }
  }

  // 交办.
  auto published = c.post(base + "/publish", "", supervisor);
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.json().at("tasks_created").as_int64(), kept);
  EXPECT_EQ(static_cast<int>(published.json().at("tasks").as_array().size()), kept);
  inbox = c.get("/api/v1/units/grain/inbox", grain);
  ASSERT_EQ(inbox.status, 200);
  EXPECT_FALSE(inbox.json().at("lead").as_array().empty());
  const auto at = head();
  auto again = c.post(base + "/publish", "", supervisor);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.json().at("already_published").as_bool());
  EXPECT_EQ(head(), at);
  auto late = c.post(base + "/corrections",
                     R"({"kind":"drop","clause":")" + first + R"(","reason":"late"})", supervisor);
  EXPECT_EQ(late.status, 409) << late.body;
}

TEST_F(DraftsHttpTest, ASignedInInspectorReviewsAndPublishesAsThemselves) {
  auto c = http();
  auto ingested = c.request("POST", "/api/v1/documents?review=true", read_file(kGazette),
                            supervisor, "text/markdown");
  ASSERT_EQ(ingested.status, 200) << ingested.body;
  create_person("li", "", {account::Role::kInspector});
  create_person("zhao", "", {account::Role::kLeader});
  const std::string inspector = sign_in_cookie("li");
  const std::string leader = sign_in_cookie("zhao");
  auto as = [&](const std::string& cookie, const std::string& target, const std::string& body) {
    return c.request("POST", target, body, {}, "application/json", {{"Cookie", cookie}});
  };

  std::string doc;
  const boost::json::value recorded = ingested.json();
  for (const auto& d : recorded.at("drafts").as_array()) {
    if (d.at("clauses").as_int64() > 0) {
      doc = str(d.at("document"));
      break;
    }
  }
  ASSERT_FALSE(doc.empty());
  const std::string base = "/api/v1/drafts/" + percent_encode(doc);
  auto shown = c.get(base, supervisor);
  ASSERT_EQ(shown.status, 200) << shown.body;
  const boost::json::value draft = shown.json();
  for (const auto& cl : draft.at("clauses").as_array()) {
    bool lead = false;
    for (const auto& u : cl.at("units").as_array()) lead |= str(u.at("role")) == "lead";
    if (lead) continue;
    auto dropped =
        as(inspector, base + "/corrections",
           R"({"kind":"drop","clause":")" + str(cl.at("key")) + R"(","reason":"无单位"})");
    ASSERT_EQ(dropped.status, 200) << dropped.body;
    EXPECT_EQ(event_types().back(), "DraftCorrected@supervisor/person:li");
  }

  // A leader does not create tasks (the inspector's role): refused before anything is written.
  const auto at = head();
  auto refused = as(leader, base + "/publish", "");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(head(), at);

  auto published = as(inspector, base + "/publish", "");
  ASSERT_EQ(published.status, 200) << published.body;
  EXPECT_GT(published.json().at("tasks_created").as_int64(), 0);
  int created = 0;
  for (const auto& t : event_types()) {
    if (t.rfind("TaskCreated@", 0) == 0) {
      ++created;
      EXPECT_EQ(t, "TaskCreated@supervisor/person:li");
    }
  }
  EXPECT_EQ(created, published.json().at("tasks_created").as_int64());
  EXPECT_EQ(event_types().back(), "DraftPublished@supervisor/person:li");
}

}  // namespace
}  // namespace duban::server::testing
