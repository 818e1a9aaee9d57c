#include "formats/pdf.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

namespace duban::formats {
namespace {

struct Line {
  int page = 0;
  std::string text;
  double left = 0, right = 0, top = 0, bottom = 0;
  double size = 0;  // the font size most of its characters have
};

// The first byte of the UTF-8 sequence that ends at `end` (exclusive) decodes to a code point
// outside ASCII: CJK text, full-width punctuation and the like, which join without blanks.
bool wide_before(const std::string& s) {
  return !s.empty() && static_cast<unsigned char>(s.back()) >= 0x80;
}
bool wide_after(const std::string& s) {
  return !s.empty() && static_cast<unsigned char>(s.front()) >= 0x80;
}

// Joins `more` to `to`: with a blank only between two Latin (ASCII) characters.
void join(std::string& to, const std::string& more, bool had_space) {
  if (to.empty()) {
    to = more;
    return;
  }
  if (more.empty()) return;
  const bool latin = !wide_before(to) && !wide_after(more) && to.back() != ' ';
  if (latin && (had_space || std::isalnum(static_cast<unsigned char>(to.back())))) to += ' ';
  to += more;
}

std::string utf8(const poppler::ustring& s) {
  const poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// The line ends where a sentence may end (。；：！？ and closing brackets or quotes), so a short
// line there may be a paragraph's last; a line ending mid-sentence ("、") was only wrapped early
// before something that could not be broken (“3·15”).
bool ends_sentence(const std::string& s) {
  static const std::vector<std::string> kEnds = {"。", "；", "：", "！", "？", "）", "”",
                                                 "」", "』", "…",  "》", "】", ";",  ":",
                                                 "!",  "?",  ")",  "\"", "."};
  for (const std::string& e : kEnds)
    if (s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0) return true;
  return false;
}

// Collapses digit runs and drops blanks, so "第 3 页" and "第12页" compare equal.
std::string furniture_key(const std::string& s) {
  std::string key;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ' ' || c == '\t') continue;
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (key.empty() || key.back() != '#') key += '#';
      continue;
    }
    key += c;
  }
  return key;
}

// "3", "- 3 -", "— 3 —", "第3页", "第3页 共20页", "3/20", "Page 3 of 20".
bool is_page_number(const std::string& s) {
  const std::string key = furniture_key(s);
  static const std::set<std::string> kShapes = {
      "#",   "-#-",   "—#—",      "–#–",   "第#页", "第#页共#页", "第#页，共#页",
      "#/#", "Page#", "Page#of#", "page#", "-#",    "#-",         "—#",
      "#—",  "－#－", "〔#〕",    "[#]",   "(#)",   "（#）",      "共#页第#页"};
  return kShapes.count(key) > 0;
}

// Lines from the words of one page, in poppler's reading order.
std::vector<Line> page_lines(const poppler::page& page, int index) {
  std::vector<Line> lines;
  const std::vector<poppler::text_box> words =
      page.text_list(poppler::page::text_list_include_font);
  std::map<double, std::size_t> sizes;  // of the current line: size -> characters
  bool last_had_space = false;
  auto close_line = [&] {
    if (lines.empty() || sizes.empty()) return;
    lines.back().size = std::max_element(sizes.begin(), sizes.end(), [](auto& a, auto& b) {
                          return a.second < b.second;
                        })->first;
    sizes.clear();
  };
  for (const poppler::text_box& w : words) {
    if (w.rotation() != 0) continue;  // watermarks and margin notes
    const std::string text = utf8(w.text());
    if (text.empty()) continue;
    const poppler::rectf box = w.bbox();
    const double top = box.top(), bottom = box.bottom(), height = bottom - top;
    bool same_line = false;
    if (!lines.empty() && lines.back().page == index) {
      const Line& l = lines.back();
      const double middle = (top + bottom) / 2;
      const double line_middle = (l.top + l.bottom) / 2;
      const double tolerance = std::max(1.0, std::min(height, l.bottom - l.top) * 0.5);
      // A wide gap separates what only shares a height: a header's date and its title, the
      // columns of a table.
      same_line = std::abs(middle - line_middle) < tolerance && box.left() >= l.right - height &&
                  box.left() - l.right < 3 * height;
    }
    if (!same_line) {
      close_line();
      lines.push_back(Line{index, {}, box.left(), box.right(), top, bottom, 0});
      last_had_space = false;
    }
    Line& l = lines.back();
    join(l.text, text, last_had_space);
    l.left = std::min(l.left, box.left());
    l.right = std::max(l.right, box.right());
    l.top = std::min(l.top, top);
    l.bottom = std::max(l.bottom, bottom);
    const double size = std::round((w.has_font_info() ? w.get_font_size() : height) * 2) / 2;
    sizes[size] += text.size();
    last_had_space = w.has_space_after();
  }
  close_line();
  return lines;
}

// Removes headers, footers and page numbers: of the lines in each page's two topmost and two
// lowest rows, those that are page numbers or whose text (digits aside) recurs at the same height
// on at least a third of the pages (and on two pages at least).
void drop_furniture(std::vector<Line>& lines, int pages) {
  std::map<int, std::vector<std::size_t>> by_page;
  for (std::size_t i = 0; i < lines.size(); ++i) by_page[lines[i].page].push_back(i);
  // By height, not by reading order: poppler may read a header after the page's first heading.
  std::set<std::size_t> candidates;
  for (const auto& [page, idx] : by_page) {
    std::set<long> tops, bottoms;
    for (std::size_t i : idx) {
      tops.insert(std::lround(lines[i].top / 2));
      bottoms.insert(-std::lround(lines[i].bottom / 2));
    }
    const long top_limit = tops.size() > 1 ? *std::next(tops.begin()) : *tops.begin();
    const long bottom_limit = bottoms.size() > 1 ? *std::next(bottoms.begin()) : *bottoms.begin();
    for (std::size_t i : idx) {
      if (std::lround(lines[i].top / 2) <= top_limit ||
          -std::lround(lines[i].bottom / 2) <= bottom_limit)
        candidates.insert(i);
    }
  }
  std::map<std::pair<std::string, long>, std::set<int>> seen;
  auto key_of = [&](std::size_t i) {
    return std::make_pair(furniture_key(lines[i].text), std::lround(lines[i].top / 6));
  };
  for (std::size_t i : candidates) seen[key_of(i)].insert(lines[i].page);
  const std::size_t needed = std::max<std::size_t>(2, static_cast<std::size_t>(pages + 2) / 3);
  std::vector<bool> drop(lines.size(), false);
  for (std::size_t i : candidates) {
    // Neighbouring heights too: a header may move by a point between pages.
    std::set<int> pages_with;
    const auto [key, y] = key_of(i);
    for (long dy = -1; dy <= 1; ++dy) {
      const auto it = seen.find({key, y + dy});
      if (it != seen.end()) pages_with.insert(it->second.begin(), it->second.end());
    }
    if (is_page_number(lines[i].text) || (pages > 1 && pages_with.size() >= needed)) drop[i] = true;
  }
  std::size_t kept = 0;
  for (std::size_t i = 0; i < lines.size(); ++i)
    if (!drop[i]) lines[kept++] = std::move(lines[i]);
  lines.resize(kept);
}

double body_size(const std::vector<Line>& lines) {
  std::map<double, std::size_t> chars;
  for (const Line& l : lines) chars[l.size] += l.text.size();
  if (chars.empty()) return 0;
  return std::max_element(chars.begin(), chars.end(),
                          [](auto& a, auto& b) { return a.second < b.second; })
      ->first;
}

std::string to_markdown(const std::vector<Line>& lines) {
  const double body = body_size(lines);
  // Heading levels: each size larger than the body's, the largest first.
  std::set<double, std::greater<>> larger;
  for (const Line& l : lines)
    if (l.size > body * 1.08) larger.insert(l.size);
  std::map<double, int> level_of;
  int level = 0;
  for (double s : larger) level_of[s] = std::min(6, ++level);

  // Per page: the body text's left and right margins.
  std::map<int, std::pair<double, double>> margins;
  for (const Line& l : lines) {
    if (std::abs(l.size - body) > 0.6) continue;
    auto [it, fresh] = margins.try_emplace(l.page, l.left, l.right);
    if (!fresh) {
      it->second.first = std::min(it->second.first, l.left);
      it->second.second = std::max(it->second.second, l.right);
    }
  }
  // The usual gap between two lines of one paragraph (the smallest common one).
  std::map<long, std::size_t> gaps;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const Line &a = lines[i - 1], &b = lines[i];
    if (a.page != b.page || std::abs(a.size - body) > 0.6 || std::abs(b.size - body) > 0.6)
      continue;
    const double gap = b.top - a.bottom;
    if (gap >= -body && gap < body * 2) ++gaps[std::lround(gap * 2)];
  }
  double line_gap = body * 0.5;
  std::size_t best = 0;
  for (const auto& [g, n] : gaps)
    if (n > best) best = n, line_gap = static_cast<double>(g) / 2;

  std::string out;
  std::string paragraph;
  int paragraph_level = 0;
  auto flush = [&] {
    if (paragraph.empty()) return;
    if (paragraph_level > 0) {
      out.append(static_cast<std::size_t>(paragraph_level), '#');
      out += ' ';
    }
    out += paragraph;
    out += "\n\n";
    paragraph.clear();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    const auto found = level_of.find(l.size);
    const int heading = found == level_of.end() ? 0 : found->second;
    bool starts = i == 0 || paragraph.empty();
    if (!starts) {
      const Line& p = lines[i - 1];
      const double size = std::max(body, 1.0);
      const auto m = margins.count(l.page) ? margins[l.page] : std::make_pair(l.left, l.right);
      const auto pm = margins.count(p.page) ? margins[p.page] : std::make_pair(p.left, p.right);
      if (heading != paragraph_level || std::abs(l.size - p.size) > 0.6) starts = true;
      if (p.page == l.page && l.top - p.bottom > line_gap + size * 0.4) starts = true;
      if (heading == 0 && l.left > m.first + size * 0.8) starts = true;  // a first-line indent
      // A short line ends a paragraph after a sentence, and always ends a heading.
      if (p.right < pm.second - size * 3 && (heading > 0 || ends_sentence(p.text))) starts = true;
    }
    if (starts) {
      flush();
      paragraph_level = heading;
    }
    join(paragraph, l.text, true);
  }
  flush();
  return out;
}

void ignore_poppler_message(const std::string&, void*) {}

}  // namespace

Result<std::string> pdf_to_markdown(std::string_view bytes, const ProgressFn& progress) {
  poppler::set_debug_error_function(ignore_poppler_message, nullptr);
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return make_error("damaged_pdf", "the PDF is larger than 2 GB; split it first");
  }
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) {
    return make_error("damaged_pdf",
                      "the PDF cannot be opened (damaged, truncated or encrypted); open it in a "
                      "PDF reader and save or print it to a new PDF");
  }
  if (doc->is_locked()) {
    return make_error("encrypted_pdf",
                      "the PDF is protected by a password; save an unprotected copy first");
  }
  const int pages = doc->pages();
  std::vector<Line> lines;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    if (page) {
      std::vector<Line> more = page_lines(*page, i);
      std::move(more.begin(), more.end(), std::back_inserter(lines));
    }
    if (progress) progress(static_cast<std::size_t>(i + 1), static_cast<std::size_t>(pages));
  }
  drop_furniture(lines, pages);
  std::string markdown = to_markdown(lines);
  if (markdown.find_first_not_of(" \n") == std::string::npos) {
    return make_error("no_text_layer",
                      "the PDF has no text layer (" + std::to_string(pages) +
                          (pages == 1 ? " page" : " pages") +
                          " of images, as a scan gives): OCR is needed first, e.g. `ocrmypdf -l "
                          "chi_sim in.pdf out.pdf`, then give duban the OCR'd PDF or its text");
  }
  return markdown;
}

}  // namespace duban::formats
