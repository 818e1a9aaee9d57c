// The unit directory: the shipped file loads, aliases of one body resolve to one id, distinct
// bodies never share one, generic recipients are groups, and unknown mentions keep a stable id.
#include <gtest/gtest.h>

#include <set>

#include "model/gazette/units.h"

namespace duban::gazette {
namespace {

TEST(Units, AliasesOfOneBodyResolveToOneId) {
  const auto& dir = UnitDirectory::builtin();
  const std::pair<const char*, const char*> same[] = {
      {"省食品药品监管局", "省食品药品监督管理局"},
      {"省供销社", "省供销联社"},
      {"人民银行西宁中心支行", "人行西宁中心支行"},
      {"市、州人民政府", "各市州政府"},
      {"省发展改革委", "发展改革委"},
      {"各有关部门", "有关部门"},
  };
  for (const auto& [a, b] : same) {
    ASSERT_NE(dir.find(a), nullptr) << a;
    EXPECT_EQ(dir.resolve(a), dir.resolve(b)) << a << " / " << b;
  }
  EXPECT_EQ(dir.resolve("市（州）人民政府"), dir.resolve("市(州)人民政府"));
  EXPECT_EQ(dir.resolve(" 省财政厅 "), dir.resolve("省财政厅"));
}

TEST(Units, DistinctBodiesNeverShareAnId) {
  const auto& dir = UnitDirectory::builtin();
  std::set<std::string> ids;
  for (const char* name :
       {"省质监局", "省食品药品监管局", "省工商局", "省国税局", "省地税局", "青海银监局",
        "青海证监局", "青海保监局", "省文化新闻出版厅", "省广电局"}) {
    EXPECT_TRUE(ids.insert(dir.resolve(name)).second) << name;
  }
  std::set<std::string> all;
  for (const auto& u : dir.units()) EXPECT_TRUE(all.insert(u.id).second) << u.id;
}

TEST(Units, GenericRecipientsAreGroups) {
  const auto& dir = UnitDirectory::builtin();
  for (const char* name : {"各有关部门", "各市州政府", "市、州人民政府"}) {
    ASSERT_NE(dir.find(name), nullptr) << name;
    EXPECT_EQ(dir.find(name)->kind, "group") << name;
  }
  EXPECT_EQ(dir.find("省财政厅")->kind, "department");
}

TEST(Units, AnUnknownMentionGetsAStableId) {
  const auto& dir = UnitDirectory::builtin();
  EXPECT_EQ(dir.find("省气象局"), nullptr);
  EXPECT_EQ(dir.resolve("省气象局"), "unknown:省气象局");
  EXPECT_EQ(dir.resolve("省气象局"), dir.resolve(" 省气象局"));
}

TEST(Units, ABrokenDirectorySaysWhichLineIsWrong) {
  auto bad = UnitDirectory::parse("a\tdepartment\t省财政厅\nb\tdepartment\t省审计厅\t省财政厅\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("line 2"), std::string::npos);
  auto short_line = UnitDirectory::parse("# comment\nonly-an-id\n");
  ASSERT_FALSE(short_line.ok());
  EXPECT_NE(short_line.error().message.find("line 2"), std::string::npos);
  auto dup = UnitDirectory::parse("a\tgroup\tX\na\tgroup\tY\n");
  ASSERT_FALSE(dup.ok());
}

}  // namespace
}  // namespace duban::gazette

namespace duban::gazette {
namespace {

// The fifth column: the unit a body sits below (a group's members, ExpandTask).
TEST(Units, TheEightCityGovernmentsAreMembersOfTheCityGroup) {
  const auto& dir = UnitDirectory::builtin();
  const auto members = dir.below(dir.find("各市州政府")->id);
  EXPECT_EQ(members.size(), 8u);
  EXPECT_EQ(dir.find("西宁市人民政府")->parent, "city-prefecture-govs");
  EXPECT_TRUE(dir.below("fgw").empty());
}

TEST(Units, AParentThatIsNoUnitIsRefused) {
  auto parsed = UnitDirectory::parse("a\tdepartment\t甲\t\tnobody\n");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("nobody"), std::string::npos);
}

}  // namespace
}  // namespace duban::gazette
