#include "model/gazette/markers.h"

#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

std::size_t skip_blanks(std::u32string_view s, std::size_t i) {
  while (i < s.size() && text::is_space(s[i])) ++i;
  return i;
}

}  // namespace

std::optional<Marker> find_marker(std::u32string_view s) {
  std::size_t i = skip_blanks(s, 0);
  if (i >= s.size()) return std::nullopt;

  if (s[i] == U'●' || s[i] == U'•' ||
      ((s[i] == U'-' || s[i] == U'*') && i + 1 < s.size() && text::is_space(s[i + 1]))) {
    return Marker{0, 0, "", skip_blanks(s, i + 1)};
  }

  // （一） / （1）
  if (text::is_open_bracket(s[i])) {
    std::size_t j = skip_blanks(s, i + 1);
    const std::size_t start = j;
    if (j < s.size() && text::is_digit(s[j])) {
      int n = 0;
      while (j < s.size() && text::is_digit(s[j]) && j - start < 3)
        n = n * 10 + text::digit_value(s[j++]);
      j = skip_blanks(s, j);
      if (j < s.size() && text::is_close_bracket(s[j]) && n > 0) {
        return Marker{4, n, "(" + std::to_string(n) + ")", skip_blanks(s, j + 1)};
      }
      return std::nullopt;
    }
    while (j < s.size() && text::is_chinese_digit(s[j]) && j - start < 4) ++j;
    const auto n = text::chinese_number(s.substr(start, j - start));
    const std::size_t close = skip_blanks(s, j);
    if (n && close < s.size() && text::is_close_bracket(s[close])) {
      return Marker{2, *n, "(" + text::encode(s.substr(start, j - start)) + ")",
                    skip_blanks(s, close + 1)};
    }
    return std::nullopt;
  }

  // 一、
  if (text::is_chinese_digit(s[i])) {
    std::size_t j = i;
    while (j < s.size() && text::is_chinese_digit(s[j]) && j - i < 4) ++j;
    const auto n = text::chinese_number(s.substr(i, j - i));
    if (n && j < s.size() && s[j] == U'、') {
      return Marker{1, *n, text::encode(s.substr(i, j - i)) + "、", skip_blanks(s, j + 1)};
    }
    return std::nullopt;
  }

  // 1.  1．  1、 — but not 2015年, 1.5 or 12365
  if (text::is_digit(s[i])) {
    std::size_t j = i;
    int n = 0;
    while (j < s.size() && text::is_digit(s[j]) && j - i < 3)
      n = n * 10 + text::digit_value(s[j++]);
    if (j < s.size() && (s[j] == U'.' || s[j] == U'．' || s[j] == U'、') && n > 0) {
      if (s[j] == U'.' && j + 1 < s.size() && text::is_digit(s[j + 1])) return std::nullopt;
      return Marker{3, n, std::to_string(n) + ".", skip_blanks(s, j + 1)};
    }
  }
  return std::nullopt;
}

}  // namespace duban::gazette
