#include "model/gazette/dates.h"

#include <bitset>
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

// Reads 1–2 digits or Chinese numerals (十二, 三十一) then `unit` (月, 日) at k; advances k past
// it.
std::optional<int> read_small(std::u32string_view s, std::size_t& k, char32_t unit, int max) {
  std::size_t m = k;
  int v = 0;
  if (m < s.size() && is_digit(s[m])) {
    while (m < s.size() && is_digit(s[m]) && m - k < 2) v = v * 10 + text::digit_value(s[m++]);
  } else {
    while (m < s.size() && m - k < 3 && text::is_chinese_digit(s[m])) ++m;
    if (m == k) return std::nullopt;
    const auto n = text::chinese_number(s.substr(k, m - k));
    if (!n) return std::nullopt;
    v = *n;
  }
  if (m == k || m >= s.size() || s[m] != unit || v < 1 || v > max) return std::nullopt;
  k = m + 1;
  return v;
}

// A year written with four digits (2026) or four Chinese digits (二〇二六) at i, not inside a
// longer number: the year, with `j` set just past it; 0 otherwise.
int read_year(std::u32string_view s, std::size_t i, std::size_t& j) {
  int year = 0;
  j = i;
  if (is_digit(s[i])) {
    if (i > 0 && is_digit(s[i - 1])) return 0;
    while (j < s.size() && is_digit(s[j]) && j - i < 5)
      year = year * 10 + text::digit_value(s[j++]);
  } else {
    if (i > 0 && text::chinese_digit(s[i - 1]) >= 0) return 0;
    while (j < s.size() && j - i < 5 && text::chinese_digit(s[j]) >= 0)
      year = year * 10 + text::chinese_digit(s[j++]);
  }
  return j - i == 4 && year >= 1900 && year <= 2200 ? year : 0;
}

// 上旬, 中旬, 下旬 at k, after a month: the day the part of the month ends on (10, 20; 31 for
// the last part, clamped by the caller), or 0. Advances k past it.
int read_ten_days(std::u32string_view s, std::size_t& k) {
  if (k + 1 >= s.size() || s[k + 1] != U'旬') return 0;
  const int day = s[k] == U'上' ? 10 : s[k] == U'中' ? 20 : s[k] == U'下' ? 31 : 0;
  if (day) k += 2;
  return day;
}

// A date written with separators in a time column (2026.12, 2026-12-31, 2026/6/30) at `j`, just
// after its year: the month and day (day 0 when not written); advances j past it.
std::optional<std::pair<int, int>> read_numeric_date(std::u32string_view s, std::size_t& j) {
  auto sep = [](char32_t c) {
    return c == U'.' || c == U'-' || c == U'/' || c == U'．' || c == U'－';
  };
  auto number = [&](std::size_t& k) {
    int v = 0;
    const std::size_t from = k;
    while (k < s.size() && is_digit(s[k]) && k - from < 3) v = v * 10 + text::digit_value(s[k++]);
    return k - from >= 1 && k - from <= 2 ? v : -1;
  };
  std::size_t k = j;
  if (k >= s.size() || !sep(s[k])) return std::nullopt;
  ++k;
  const int month = number(k);
  if (month < 1 || month > 12) return std::nullopt;
  int day = 0;
  if (k + 1 < s.size() && sep(s[k]) && is_digit(s[k + 1])) {
    std::size_t m = k + 1;
    day = number(m);
    if (day < 1 || day > 31) return std::nullopt;
    k = m;
  }
  if (k < s.size() && is_digit(s[k])) return std::nullopt;
  j = k;
  return std::pair{month, day};
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

// A word meaning "this year" (今年, 本年, 当年), "next year" (次年, 明年, 翌年) or a bare 年
// before 底/末/内 at i: the characters it spans (0 when none), and the years it is after the
// document's (0 or 1).
struct YearWord {
  std::size_t size = 0;
  int offset = 0;
};
YearWord this_year_word(std::u32string_view s, std::size_t i) {
  for (std::u32string_view w : {U"今年年", U"本年度", U"今年", U"本年", U"当年", U"年度", U"年"}) {
    if (match(s, i, w)) return {w.size(), 0};
  }
  if (s[i] != U'次' && s[i] != U'明' && s[i] != U'翌') return {};
  for (std::u32string_view w : {U"次年年", U"明年年", U"翌年年", U"次年", U"明年", U"翌年"}) {
    if (match(s, i, w)) return {w.size(), 1};
  }
  return {};
}

// Whether a time expression can start at `c`: a digit, a Chinese digit, or the first character of
// a word of the year-end and relative forms below (年底, 今年, 本年度, 当年, 上半年, 第三季度,
// 次年, 明年, 翌年, 两个月, 半年). Asked first of every character of every clause, so that the
// forms' own checks run only where one can begin: most characters of a clause are none of these.
bool may_start_time(char32_t c) {
  static const std::bitset<0x10000> starts = [] {
    std::bitset<0x10000> b;
    for (char32_t x = 0; x < 0x10000; ++x) b[x] = is_digit(x) || text::is_chinese_digit(x);
    for (char32_t x : std::u32string_view(U"年今本当上下第次明翌两半")) b[x] = true;
    return b;
  }();
  return c < 0x10000 && starts[c];
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
    if (title_depth > 0 || !may_start_time(c)) continue;

    // Absolute: YYYY年[M月[D日|上旬|中旬|下旬]][底|末][前|以前|之前][起|开始], the year also in
    // Chinese digits (二〇二六年); in a time column also 2026.12, 2026-12-31.
    std::size_t j = i;
    const int year = is_digit(c) || c == U'二' || c == U'一' ? read_year(s, i, j) : 0;
    if (year > 0 && time_column && j < s.size() && s[j] != U'年') {
      std::size_t k = j;
      if (const auto md = read_numeric_date(s, k)) {
        const auto [month, day] = *md;
        out.deadlines.push_back(
            {text::encode(s.substr(i, k - i)),
             day > 0 ? iso(year, static_cast<unsigned>(month), static_cast<unsigned>(day))
                     : last_day(year, month)});
        i = k - 1;
        continue;
      }
    }
    if (year > 0) {
      if (j < s.size() && s[j] == U'年') {
        const bool range_end = i > 0 && is_range_dash(s[i - 1]);
        std::size_t k = j + 1;
        // 2026年年底前, 2026年年末; 2026年度.
        if (match(s, k, U"年底") || match(s, k, U"年末") || match(s, k, U"度")) ++k;
        int month = 0, day = 0;
        bool ten_days = false;
        if (const auto m = read_small(s, k, U'月', 12)) {
          month = *m;
          if (const auto d = read_small(s, k, U'日', 31)) {
            day = *d;
          } else if (const int t = read_ten_days(s, k)) {
            // 10月中旬: by its 20th; 下旬: by the month's last day.
            day = t == 31 ? 0 : t;
            ten_days = true;
          } else if (k < s.size() && s[k] == U'份') {
            ++k;  // 9月份
          }
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
        if (ten_days && day == 0) end_of = true;
        if (ten_days) before = true;
        if (period && !before && (match(s, k, U"内") || match(s, k, U"完成"))) {
          before = true;
          if (s[k] == U'内') ++k;
        }
        // 2026年内: within the year.
        if (month == 0 && !end_of && !before && match(s, k, U"内")) {
          before = end_of = true;
          ++k;
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
        // In a time column a range (2026年—2027年) gives when the work ends: its last year.
        if ((!range_end || time_column) && !range_start && !policy_period) {
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

    // Without a year: M月底前, M月前, M月底, M月中旬前 (the document's year); after 次年/明年 the
    // year after it.
    const bool next_year = i >= 2 && s[i - 1] == U'年' &&
                           (s[i - 2] == U'次' || s[i - 2] == U'明' || s[i - 2] == U'翌');
    if (year_of_document > 0 && (is_digit(c) || text::is_chinese_digit(c)) &&
        (i == 0 || next_year ||
         (!is_digit(s[i - 1]) && !text::is_chinese_digit(s[i - 1]) && s[i - 1] != U'年' &&
          s[i - 1] != U'第'))) {
      std::size_t j = i;
      const auto month = read_number(s, j);
      if (month && *month >= 1 && *month <= 12 && j < s.size() && s[j] == U'月') {
        std::size_t k = j + 1;
        int day = 0;
        bool ten_days = false;
        if (const auto d = read_small(s, k, U'日', 31)) {
          day = *d;
        } else if (const int t = read_ten_days(s, k)) {
          day = t == 31 ? 0 : t;
          ten_days = true;
        } else if (k < s.size() && s[k] == U'份') {
          ++k;
        }
        auto [end_of, before] = read_end_marks(s, k);
        if (ten_days) {
          before = true;
          if (day == 0) end_of = true;
        }
        const int in_year = year_of_document + (next_year ? 1 : 0);
        std::size_t p = i;
        while (p > 0 && text::is_space(s[p - 1])) --p;
        const bool by =
            p > 0 && (s[p - 1] == U'到' || s[p - 1] == U'至') && !ends_a_policy_period(s, p - 1);
        const bool every = p > 0 && s[p - 1] == U'每';
        if ((end_of || before || (by && day > 0) || time_column) && !every) {
          const std::size_t from = next_year ? i - 2 : i;
          out.deadlines.push_back({text::encode(s.substr(from, k - from)),
                                   day > 0 && !end_of ? iso(in_year, static_cast<unsigned>(*month),
                                                            static_cast<unsigned>(day))
                                                      : last_day(in_year, *month)});
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
         c == U'第' || c == U'一' || c == U'二' || c == U'三' || c == U'四' || c == U'次' ||
         c == U'明' || c == U'翌')) {
      const char32_t prev = i > 0 ? s[i - 1] : U' ';
      const bool after_number = is_digit(prev) || text::is_chinese_digit(prev) || prev == U'两' ||
                                prev == U'个' || prev == U'半' || prev == U'几' || prev == U'多';
      if (prev != U'每' && prev != U'年' && prev != U'明' && prev != U'去' && prev != U'前' &&
          prev != U'后' && prev != U'全' && prev != U'学' && prev != U'财' && !after_number) {
        std::size_t k = i;
        int month = 0;
        bool whole_year = false;
        const YearWord word = this_year_word(s, i);
        if (word.size > 0) {
          std::size_t j = i + word.size;
          if (j < s.size() && (s[j] == U'底' || s[j] == U'末' || s[j] == U'内')) {
            whole_year = true;
            month = 12;
            k = j + (s[j] == U'内' ? 1 : 0);
          }
        }
        bool period = false;
        if (!whole_year) {
          std::size_t j = i;
          if (word.size >= 2) j = i + word.size;
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
            out.deadlines.push_back({text::encode(s.substr(i, k - i)),
                                     last_day(year_of_document + word.offset, month)});
            i = k - 1;
            continue;
          }
        }
      }
    }

    // Relative: N[个](工作日|日|天|月|年)(内|以内), 半年内. Not a condition on the past
    // (近三年内, 过去6个月内) nor a recurrence (每3个月).
    if (is_digit(c) || text::is_chinese_digit(c) || c == U'两' || c == U'半') {
      if (i > 0 && (is_digit(s[i - 1]) || s[i - 1] == U'月')) continue;
      if (i > 0 && (s[i - 1] == U'近' || s[i - 1] == U'去' || s[i - 1] == U'每' ||
                    s[i - 1] == U'上' || s[i - 1] == U'下' || text::is_chinese_digit(s[i - 1])))
        continue;
      std::size_t j = i;
      std::optional<int> n;
      bool half = false;
      if (c == U'两') {
        n = 2;
        ++j;
      } else if (c == U'半') {
        half = true;
        n = 1;
        ++j;
      } else {
        n = read_number(s, j);
      }
      if (!n || *n <= 0) continue;
      if (j < s.size() && s[j] == U'个') ++j;
      bool business = false;
      std::size_t unit_len = 0;
      int months_per = 0;
      if (half) {
        if (match(s, j, U"年")) {
          unit_len = 1;
          months_per = 6;
        } else if (match(s, j, U"个月") || match(s, j, U"月")) {
          continue;  // 半个月: rare, and not a whole number of months
        }
      } else if (match(s, j, U"工作日")) {
        business = true;
        unit_len = 3;
      } else if (match(s, j, U"日") || match(s, j, U"天")) {
        unit_len = 1;
      } else if (match(s, j, U"月") && j > i && s[j - 1] == U'个') {
        unit_len = 1;
        months_per = 1;
      } else if (match(s, j, U"年") && s[j - 1] != U'个' && *n <= 10) {
        unit_len = 1;
        months_per = 12;
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
      if (months_per > 0)
        out.relative_deadlines.push_back(
            {text::encode(s.substr(i, k - i)), 0, false, *n * months_per});
      else
        out.relative_deadlines.push_back({text::encode(s.substr(i, k - i)), *n, business});
      i = k - 1;
    }
  }
  return out;
}

std::u32string_view standing_phrase(std::u32string_view text) {
  for (std::u32string_view w :
       {U"长期坚持", U"持续推进", U"长期推进", U"持续实施", U"持续开展", U"长期开展", U"常态化推进",
        U"长期", U"持续", U"常态化", U"每季度", U"每半年", U"每月", U"每年", U"每周", U"定期",
        U"逐年", U"分年度", U"分阶段"}) {
    const std::size_t at = text.find(w);
    if (at != std::u32string_view::npos) return text.substr(at, w.size());
  }
  return {};
}

}  // namespace duban::gazette
