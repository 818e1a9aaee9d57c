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

// Reads 1–2 digits then `unit` (月, 日) at k; advances k past it.
std::optional<int> read_small(std::u32string_view s, std::size_t& k, char32_t unit, int max) {
  std::size_t m = k;
  int v = 0;
  while (m < s.size() && is_digit(s[m]) && m - k < 2) v = v * 10 + text::digit_value(s[m++]);
  if (m == k || m >= s.size() || s[m] != unit || v < 1 || v > max) return std::nullopt;
  k = m + 1;
  return v;
}

// 底/末 then 前/以前/之前 (each optional) at k; advances k past them.
struct EndMarks {
  bool end_of = false, before = false;
};
EndMarks read_end_marks(std::u32string_view s, std::size_t& k) {
  EndMarks e;
  if (k < s.size() && (s[k] == U'底' || s[k] == U'末')) {
    e.end_of = true;
    ++k;
  }
  for (std::u32string_view w : {U"以前", U"之前", U"前"}) {
    if (match(s, k, w)) {
      e.before = true;
      k += w.size();
      break;
    }
  }
  return e;
}

// 上半年, 下半年, 第一季度, 一季度, 3季度 at k: the month the period ends in (6, 12, 3, …), or 0.
int period_end_month(std::u32string_view s, std::size_t& k) {
  if (match(s, k, U"上半年")) {
    k += 3;
    return 6;
  }
  if (match(s, k, U"下半年")) {
    k += 3;
    return 12;
  }
  std::size_t j = k;
  if (j < s.size() && s[j] == U'第') ++j;
  if (j >= s.size()) return 0;
  int q = 0;
  if (s[j] >= U'1' && s[j] <= U'4') q = static_cast<int>(s[j] - U'0');
  for (int n = 1; n <= 4 && q == 0; ++n)
    if (s[j] == U"一二三四"[n - 1]) q = n;
  if (q == 0 || !match(s, j + 1, U"季度")) return 0;
  k = j + 3;
  return q * 3;
}

// A date after 至 that ends the period a policy applies (实施期限至2021年12月31日, 政策延长至…,
// 有效期至…) says how long the policy lasts, not by when a task must be done.
bool ends_a_policy_period(std::u32string_view s, std::size_t to) {
  for (std::u32string_view w : {U"实施期限", U"执行期限", U"实施", U"执行", U"施行", U"延长",
                                U"延续", U"有效期", U"期限", U"有效"}) {
    if (to >= w.size() && s.substr(to - w.size(), w.size()) == w) return true;
  }
  return false;
}

// The year of a word meaning "this year" (今年, 本年, 当年) or a bare 年 before 底/末/内 at i:
// the characters it spans (0 when none).
std::size_t this_year_word(std::u32string_view s, std::size_t i) {
  for (std::u32string_view w : {U"今年年", U"本年度", U"今年", U"本年", U"当年", U"年度", U"年"}) {
    if (match(s, i, w)) return w.size();
  }
  return 0;
}

}  // namespace

TimeExpressions find_time_expressions(std::u32string_view s, int year_of_document,
                                      bool time_column) {
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
        int month = 0, day = 0;
        if (const auto m = read_small(s, k, U'月', 12)) {
          month = *m;
          if (const auto d = read_small(s, k, U'日', 31)) day = *d;
        }
        // 2026年上半年, 2026年第三季度: the period's last month.
        bool period = false;
        if (month == 0) {
          if (const int m = period_end_month(s, k)) {
            month = m;
            period = true;
          }
        }
        auto [end_of, before] = read_end_marks(s, k);
        if (period && !before && (match(s, k, U"内") || match(s, k, U"完成"))) {
          before = true;
          if (s[k] == U'内') ++k;
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
        // 实施期限至2021年12月31日, 2021年5月1日至2022年4月30日: the end of a period, not a
        // deadline.
        const bool policy_period =
            p > 0 && s[p - 1] == U'至' &&
            (ends_a_policy_period(s, p - 1) ||
             (p > 1 && (s[p - 2] == U'日' || s[p - 2] == U'月' || s[p - 2] == U'起')));
        const std::string phrase = text::encode(s.substr(i, k - i));
        if (!range_end && !range_start && !policy_period) {
          if (start) {
            out.starts.push_back({phrase, iso(year, month == 0 ? 1 : static_cast<unsigned>(month),
                                              day == 0 ? 1 : static_cast<unsigned>(day))});
          } else if (end_of || before || by || time_column) {
            out.deadlines.push_back(
                {phrase, day > 0 && !end_of
                             ? iso(year, static_cast<unsigned>(month), static_cast<unsigned>(day))
                             : last_day(year, month)});
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
        int day = 0;
        if (const auto d = read_small(s, k, U'日', 31)) day = *d;
        const auto [end_of, before] = read_end_marks(s, k);
        std::size_t p = i;
        while (p > 0 && text::is_space(s[p - 1])) --p;
        const bool by =
            p > 0 && (s[p - 1] == U'到' || s[p - 1] == U'至') && !ends_a_policy_period(s, p - 1);
        const bool every = p > 0 && s[p - 1] == U'每';
        if ((end_of || before || (by && day > 0) || time_column) && !every) {
          out.deadlines.push_back({text::encode(s.substr(i, k - i)),
                                   day > 0 && !end_of
                                       ? iso(year_of_document, static_cast<unsigned>(*month),
                                             static_cast<unsigned>(day))
                                       : last_day(year_of_document, *month)});
          i = k - 1;
          continue;
        }
      }
    }

    // Without a year, the end of a year, a half or a quarter: 年底前, 今年年底, 年内, 上半年,
    // 一季度末, 第三季度前 (the document's year). Not after 每 (每年年底: a recurring duty), a
    // number (三年内: a span) or a year (2017年底, read above).
    if (year_of_document > 0 &&
        (c == U'年' || c == U'今' || c == U'本' || c == U'当' || c == U'上' || c == U'下' ||
         c == U'第' || c == U'一' || c == U'二' || c == U'三' || c == U'四')) {
      const char32_t prev = i > 0 ? s[i - 1] : U' ';
      const bool after_number = is_digit(prev) || text::is_chinese_digit(prev) || prev == U'两' ||
                                prev == U'个' || prev == U'半' || prev == U'几' || prev == U'多';
      if (prev != U'每' && prev != U'年' && prev != U'明' && prev != U'去' && prev != U'前' &&
          prev != U'后' && prev != U'全' && prev != U'学' && prev != U'财' && !after_number) {
        std::size_t k = i;
        int month = 0;
        bool whole_year = false;
        if (const std::size_t y = this_year_word(s, i)) {
          std::size_t j = i + y;
          if (j < s.size() && (s[j] == U'底' || s[j] == U'末' || s[j] == U'内')) {
            whole_year = true;
            month = 12;
            k = j + (s[j] == U'内' ? 1 : 0);
          }
        }
        bool period = false;
        if (!whole_year) {
          std::size_t j = i;
          if (const std::size_t y = this_year_word(s, i); y >= 2) j = i + y;
          if (const int m = period_end_month(s, j)) {
            month = m;
            period = true;
            k = j;
          }
        }
        if (whole_year || period) {
          auto [end_of, before] = read_end_marks(s, k);
          if (whole_year) end_of = true;
          if (!before && (match(s, k, U"内") || match(s, k, U"完成"))) {
            before = true;
            if (s[k] == U'内') ++k;
          }
          std::size_t p = i;
          while (p > 0 && text::is_space(s[p - 1])) --p;
          const bool by = p > 0 && (s[p - 1] == U'到' || s[p - 1] == U'至' || s[p - 1] == U'于');
          // 年内持续推进: keeps going through the year, no deadline (the clause's standing).
          bool ongoing = false;
          for (std::u32string_view w : {U"持续", U"长期", U"常态", U"逐步", U"不断"})
            ongoing = ongoing || match(s, k, w);
          if ((end_of || before || by || time_column) && !ongoing) {
            out.deadlines.push_back(
                {text::encode(s.substr(i, k - i)), last_day(year_of_document, month)});
            i = k - 1;
            continue;
          }
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

std::u32string_view standing_phrase(std::u32string_view text) {
  for (std::u32string_view w :
       {U"长期坚持", U"持续推进", U"长期推进", U"持续实施", U"持续开展", U"长期开展", U"常态化推进",
        U"长期", U"持续", U"常态化", U"每季度", U"每半年", U"每月", U"每年", U"每周", U"定期"}) {
    const std::size_t at = text.find(w);
    if (at != std::u32string_view::npos) return text.substr(at, w.size());
  }
  return {};
}

}  // namespace duban::gazette
