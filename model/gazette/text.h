// Character-level helpers for reading Chinese gazette text. The parser works on UTF-32 so that
// one CJK character is one element; input is validated as UTF-8 before decoding.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace duban::gazette::text {

// Offset of the first byte that is not part of a well-formed UTF-8 sequence, or nullopt.
std::optional<std::size_t> find_invalid_utf8(std::string_view bytes);

// Validates and decodes in one pass: the offset of the first bad byte (as find_invalid_utf8
// gives it), else nullopt with the characters in `out`.
std::optional<std::size_t> decode_checked(std::string_view utf8, std::u32string& out);

// Both assume well-formed input (see find_invalid_utf8).
std::u32string decode(std::string_view utf8);
std::string encode(std::u32string_view text);

bool is_cjk(char32_t c);    // CJK ideographs
bool is_space(char32_t c);  // ASCII blanks, NBSP, ideographic space
// 0-9 and full-width ０-９. Inline: the parser asks this of every character.
inline bool is_digit(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'０' && c <= U'９');
}
int digit_value(char32_t c);  // for is_digit characters
inline bool is_open_bracket(char32_t c) {
  return c == U'(' || c == U'（';
}  // ( （
inline bool is_close_bracket(char32_t c) {
  return c == U')' || c == U'）';
}  // ) ）
// 〇零一…九十. Inline with a range test first: asked of most characters by the date reader.
bool is_chinese_digit_slow(char32_t c);
inline bool is_chinese_digit(char32_t c) {
  return c >= U'〇' && is_chinese_digit_slow(c);
}
bool is_comma(char32_t c);  // , ， ; ；  (clause-level separators inside parentheticals)
bool is_colon(char32_t c);  // : ：

// The value of one Chinese digit (〇/零/○ 0, 一 1 … 九 9), or -1.
int chinese_digit(char32_t c);

// Chinese numerals as used in item numbering: 一…九十九, 〇/零.
std::optional<int> chinese_number(std::u32string_view s);

std::u32string trim(std::u32string_view s);
void trim_in_place(std::u32string& s);  // the same, without a copy

// Removes Markdown emphasis (**, __) wherever it occurs; OCR leaves it mid-word.
std::u32string strip_emphasis(std::u32string_view s);
void strip_emphasis_in_place(std::u32string& s);  // the same, without a copy

// Removes blanks that sit next to a CJK character or a bracket: OCR inserts them in titles
// ("规划 (2014—2020年)任务分工"). Blanks between two Latin words or digits are kept.
std::u32string collapse_cjk_spaces(std::u32string_view s);

// Folds full-width brackets, commas and colons to their ASCII forms (for labels and titles).
std::u32string fold_punctuation(std::u32string_view s);

bool starts_with(std::u32string_view s, std::u32string_view prefix);
bool ends_with(std::u32string_view s, std::u32string_view suffix);

}  // namespace duban::gazette::text
