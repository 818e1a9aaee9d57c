// UTF-8 at the parser's front door: the one-pass validate-and-decode that reads every line must
// accept and refuse exactly what the separate validator does, at the same byte.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "model/gazette/parser.h"
#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

TEST(Utf8, DecodeCheckedAgreesWithTheValidatorOnEveryKindOfBadSequence) {
  const std::string good = "责任单位：省财政厅 (2026)";
  for (const std::string& bad : {std::string("\x80"), std::string("\xC0\xAF"),  // stray, overlong
                                 std::string("\xE0\x80\xAF"),                   // overlong 3
                                 std::string("\xED\xA0\x80"),                   // surrogate
                                 std::string("\xF4\x90\x80\x80"),               // past U+10FFFF
                                 std::string("\xE5\x8E"),                       // truncated
                                 std::string("\xC9\xCF")}) {                    // GBK
    const std::string s = good + bad + good;
    std::u32string out;
    const auto at = text::decode_checked(s, out);
    ASSERT_TRUE(at.has_value()) << "accepted bad bytes " << s;
    EXPECT_EQ(*at, good.size());
    EXPECT_EQ(text::find_invalid_utf8(s), at);
  }
  std::u32string out;
  EXPECT_FALSE(text::decode_checked(good + "\xF0\x9F\x98\x80" + good, out).has_value());
  EXPECT_EQ(out, text::decode(good + "\xF0\x9F\x98\x80" + good));
}

TEST(Utf8, DecodeCheckedAgreesWithTheValidatorOnRandomBytes) {
  std::mt19937 rng(20261207);
  const std::string alphabet[] = {"a",        "省",   "\xE5", "\x8E", "\xBF", "\xF0\x9F\x98\x80",
                                  "\xC3\xA9", "\xFF", "\n"};
  for (int n = 0; n < 5000; ++n) {
    std::string s;
    for (int k = 0, len = static_cast<int>(rng() % 12); k < len; ++k) s += alphabet[rng() % 9];
    std::u32string out;
    const auto at = text::decode_checked(s, out);
    ASSERT_EQ(at, text::find_invalid_utf8(s)) << s;
    if (!at) {
      EXPECT_EQ(out, text::decode(s));
    }
  }
}

TEST(Utf8, ABadByteIsReportedAtItsLineAndOffsetInTheWholeInput) {
  const std::string text = "# 通知\n\n一、做好工作（省财政厅负责）\n二、\xC9\xCF\xBA\xA3\n";
  for (Format f : {Format::kMarkdown, Format::kText, Format::kHtml}) {
    const auto r = parse_gazette(text, f, UnitDirectory::builtin());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, "not_utf8");
    EXPECT_NE(r.error().message.find("line 4, byte offset " + std::to_string(text.find('\xC9'))),
              std::string::npos)
        << r.error().message;
  }
}

}  // namespace
}  // namespace duban::gazette
