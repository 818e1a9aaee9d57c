#include "model/gazette/dates.h"

#include <chrono>
#include <cstdio>
#include <optional>

#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

using text::is_digit;

std::string iso(int y, unsigned m, unsigned d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return buf;
}

std::string last_day(int year, int month) {
  if (month == 0) return iso(year, 12, 31);
  const std::chrono::year_month_day_last ymdl{std::chrono::year{year} /
                                              std::chrono::month{static_cast<unsigned>(month)} /
                                              std::chrono::last};
  return iso(year, static_cast<unsigned>(month), static_cast<unsigned>(ymdl.day()));
}

bool is_range_dash(char32_t c) {
  return c == U'—' || c == U'-' || c == U'－' || c == U'~' || c == U'～' || c == U'–';
}

// Reads a number written in digits or Chinese numerals at `i`; advances `i` past it.
std::optional<int> read_number(std::u32string_view s, std::size_t& i) {
  std::size_t j = i;
  if (j < s.size() && is_digit(s[j])) {
    int v = 0;
    while (j < s.size() && is_digit(s[j]) && v < 100000) v = v * 10 + text::digit_value(s[j++]);
    i = j;
    return v;
  }
  while (j < s.size() && j - i < 4 && text::is_chinese_digit(s[j])) ++j;
  if (j == i) return std::nullopt;
  const auto v = text::chinese_number(s.substr(i, j - i));
  if (v) i = j;
  return v;
}

bool match(std::u32string_view s, std::size_t i, std::u32string_view word) {
  return s.substr(i, word.size()) == word;
}

}  // namespace

TimeExpressions find_time_expressions(std::u32string_view s, int year_of_document) {
  TimeExpressions out;
  int title_depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char32_t c = s[i];
    if (c == U'《') ++title_depth;
    if (c == U'》' && title_depth > 0) --title_depth;
    if (title_depth > 0) continue;

    // Absolute: YYYY年[M月][底|末][前|以前|之前][起|开始]
    if (is_digit(c) && (i == 0 || !is_digit(s[i - 1]))) {
      std::size_t j = i;
      int year = 0;
      while (j < s.size() && is_digit(s[j]) && j - i < 5)
        year = year * 10 + text::digit_value(s[j++]);
      if (j - i == 4 && j < s.size() && s[j] == U'年' && year >= 1900 && year <= 2200) {
        const bool range_end = i > 0 && is_range_dash(s[i - 1]);
        std::size_t k = j + 1;
        int month = 0;
        if (k < s.size() && is_digit(s[k])) {
          std::size_t m = k;
          int v = 0;
          while (m < s.size() && is_digit(s[m]) && m - k < 2)
            v = v * 10 + text::digit_value(s[m++]);
          if (m < s.size() && s[m] == U'月' && v >= 1 && v <= 12) {
            month = v;
            k = m + 1;
          }
        }
        bool end_of = false;
        if (k < s.size() && (s[k] == U'底' || s[k] == U'末')) {
          end_of = true;
          ++k;
        }
        bool before = false;
        for (std::u32string_view w : {U"以前", U"之前", U"前"}) {
          if (match(s, k, w)) {
            before = true;
            k += w.size();
            break;
          }
        }
        const bool range_start = k < s.size() && is_range_dash(s[k]);
        bool start = false;
        if (!end_of && !before) {
          for (std::u32string_view w : {U"起", U"开始"}) {
            if (match(s, k, w)) {
              start = true;
              k += w.size();
              break;
            }
          }
        }
        // The preposition before the year (到2018年底, 至2020年) makes it a deadline too.
        std::size_t p = i;
        while (p > 0 && text::is_space(s[p - 1])) --p;
        const bool by =
            p > 0 && (s[p - 1] == U'到' || s[p - 1] == U'至' ||
                      (p > 1 && (match(s, p - 2, U"截至") || match(s, p - 2, U"截止"))));
        const std::string phrase = text::encode(s.substr(i, k - i));
        if (!range_end && !range_start) {
          if (start) {
            out.starts.push_back(
                {phrase, iso(year, month == 0 ? 1 : static_cast<unsigned>(month), 1)});
          } else if (end_of || before || by) {
            out.deadlines.push_back({phrase, last_day(year, month)});
          }
        }
        i = k - 1;
        continue;
      }
    }

    // Without a year: M月底前, M月前, M月底 (the document's year).
    if (year_of_document > 0 && (is_digit(c) || text::is_chinese_digit(c)) &&
        (i == 0 || (!is_digit(s[i - 1]) && !text::is_chinese_digit(s[i - 1]) && s[i - 1] != U'年' &&
                    s[i - 1] != U'第'))) {
      std::size_t j = i;
      const auto month = read_number(s, j);
      if (month && *month >= 1 && *month <= 12 && j < s.size() && s[j] == U'月') {
        std::size_t k = j + 1;
        bool end_of = false, before = false;
        if (k < s.size() && (s[k] == U'底' || s[k] == U'末')) {
          end_of = true;
          ++k;
        }
        for (std::u32string_view w : {U"以前", U"之前", U"前"}) {
          if (match(s, k, w)) {
            before = true;
            k += w.size();
            break;
          }
        }
        if (end_of || before) {
          out.deadlines.push_back(
              {text::encode(s.substr(i, k - i)), last_day(year_of_document, *month)});
          i = k - 1;
          continue;
        }
      }
    }

    // Relative: N[个](工作日|日|天)(内|以内)
    if (is_digit(c) || text::is_chinese_digit(c)) {
      if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == U'月')) continue;
      std::size_t j = i;
      const auto n = read_number(s, j);
      if (!n || *n <= 0) continue;
      if (j < s.size() && s[j] == U'个') ++j;
      bool business = false;
      std::size_t unit_len = 0;
      if (match(s, j, U"工作日")) {
        business = true;
        unit_len = 3;
      } else if (match(s, j, U"日") || match(s, j, U"天")) {
        unit_len = 1;
      }
      if (unit_len == 0) continue;
      std::size_t k = j + unit_len;
      std::size_t within = 0;
      if (match(s, k, U"以内"))
        within = 2;
      else if (match(s, k, U"内"))
        within = 1;
      if (within == 0) continue;
      k += within;
      out.relative_deadlines.push_back({text::encode(s.substr(i, k - i)), *n, business});
      i = k - 1;
    }
  }
  return out;
}

}  // namespace duban::gazette
