// The event catalogue in docs/events.md against the code: every event type of task::Event has a
// row in the "Catalogue" table with its schema version and a section whose field table lists
// exactly the fields of its payload struct, and the page documents no type that does not exist.
// The parser and the rules are in event_docs.h; each failure says what to add or change.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "model/task/events.h"
#include "storage/schema/event_schemas.h"
#include "tests/storage/event_docs.h"

namespace duban::storage::testing {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kPage = std::string(DUBAN_SOURCE_DIR) + "/docs/events.md";

TEST(EventDocs, TheCatalogueListsEveryEventTypeWithItsSchemaVersionAndFields) {
  const std::string markdown = read_file(kPage);
  ASSERT_FALSE(markdown.empty()) << kPage;
  const auto problems =
      event_doc_mismatches(task::EventTypes::kTypes, event_payload_schemas(), markdown);
  for (const std::string& p : problems) ADD_FAILURE() << p;
}

TEST(EventDocs, ThePageIsReadAsTheCheckExpects) {
  // Guards the parser: if the page's layout changed so that nothing is found, the test above
  // would pass on an empty page.
  const auto documented = parse_event_docs(read_file(kPage));
  ASSERT_TRUE(documented.contains("TaskCreated"));
  EXPECT_EQ(documented.at("TaskCreated").catalogue_version, 2);
  EXPECT_TRUE(documented.at("TaskCreated").fields.contains("created_at"));
  EXPECT_TRUE(documented.at("TaskReassigned").fields.contains("new_mode"));
  EXPECT_EQ(documented.size(), task::EventTypes::kSize);
}

TEST(EventDocs, APageMissingAnEventOrAFieldIsReported) {
  const std::string page =
      "## Catalogue\n"
      "| type | schema version |\n|---|---|\n"
      "| `TaskReopened` | 1 |\n"
      "| `TaskTeleported` | 1 |\n"
      "## Task streams\n"
      "### `TaskReopened` — reopened\n"
      "| field | type | meaning |\n|---|---|---|\n"
      "| why | text | |\n";
  const auto problems =
      event_doc_mismatches(task::EventTypes::kTypes, event_payload_schemas(), page, "page");
  auto has = [&](std::string_view needle) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(needle) != std::string::npos; });
  };
  EXPECT_TRUE(has("TaskCreated: add the row | `TaskCreated` | 2 |"));
  EXPECT_TRUE(has("TaskCreated: add a section \"### `TaskCreated` — …\""));
  EXPECT_TRUE(has("TaskReopened: field reason is not in its field table"));
  EXPECT_TRUE(has("TaskReopened: the field table in page lists why"));
  EXPECT_TRUE(has("TaskTeleported: in page documents it, but no event type has this kType"));
}

}  // namespace
}  // namespace duban::storage::testing
