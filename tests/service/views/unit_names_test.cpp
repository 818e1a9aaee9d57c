// Unit ids and names for people (service/views/unit_names.h), on a small directory parsed here
// and on the one shipped with duban: an id shows as its canonical name and an unknown one as
// itself; an id, a name or an alias resolves to the id, and text no unit claims stays as written.
#include "service/views/unit_names.h"

#include <gtest/gtest.h>

namespace duban::service::views {
namespace {

gazette::UnitDirectory directory() {
  auto parsed = gazette::UnitDirectory::parse(
      "grain\tdepartment\t省粮食局\t粮食局|省粮食管理局\n"
      "finance\tdepartment\t省财政厅\t财政厅\n");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return *parsed;
}

TEST(UnitNames, AnIdShowsAsItsCanonicalNameAndAnUnknownOneAsItself) {
  const auto units = directory();
  EXPECT_EQ(unit_name(units, UnitId("grain")), "省粮食局");
  EXPECT_EQ(unit_name(units, UnitId("unknown:某委员会")), "unknown:某委员会");
}

TEST(UnitNames, AnIdANameOrAnAliasResolvesToTheId) {
  const auto units = directory();
  EXPECT_EQ(resolve_unit(units, "grain"), UnitId("grain"));
  EXPECT_EQ(resolve_unit(units, "省粮食局"), UnitId("grain"));
  EXPECT_EQ(resolve_unit(units, "省粮食管理局"), UnitId("grain"));
  EXPECT_EQ(resolve_unit(units, "nobody"), UnitId("nobody"));
}

TEST(UnitNames, NamesAreJoinedWithTheEnumerationComma) {
  const auto units = directory();
  EXPECT_EQ(join_unit_names(units, {UnitId("grain"), UnitId("finance"), UnitId("x")}),
            "省粮食局、省财政厅、x");
  EXPECT_EQ(join_unit_names(units, {}), "");
}

TEST(UnitNames, TheShippedDirectoryKnowsItsOwnUnits) {
  const auto& units = gazette::UnitDirectory::builtin();
  ASSERT_FALSE(units.units().empty());
  const gazette::Unit& first = units.units().front();
  EXPECT_EQ(unit_name(units, UnitId(first.id)), first.name);
  EXPECT_EQ(resolve_unit(units, first.name), UnitId(first.id));
}

}  // namespace
}  // namespace duban::service::views
