#include "formats/detail/numbering.h"

#include <pugixml.hpp>

#include <array>
#include <cstdlib>

namespace duban::formats::detail {
namespace {

constexpr std::array<const char*, 10> kDigits = {"〇", "一", "二", "三", "四",
                                                 "五", "六", "七", "八", "九"};

// 1..9999 in Chinese counting: 十二, 二十, 一百零五, 一千二百.
std::string chinese(int n, bool counting_thousand) {
  if (n <= 0) return std::to_string(n);
  if (n >= 10000) return std::to_string(n);
  if (n < 10) return kDigits[static_cast<std::size_t>(n)];
  if (n < 20 && !counting_thousand) {
    return std::string("十") + (n % 10 ? kDigits[static_cast<std::size_t>(n % 10)] : "");
  }
  static constexpr std::array<const char*, 4> kUnits = {"", "十", "百", "千"};
  std::string out;
  bool zero = false;
  int divisor = 1000;
  for (int unit = 3; unit >= 0; --unit, divisor /= 10) {
    const int d = (n / divisor) % 10;
    if (d == 0) {
      zero = !out.empty();
      continue;
    }
    if (zero) out += "零";
    zero = false;
    if (!(d == 1 && unit == 1 && out.empty())) out += kDigits[static_cast<std::size_t>(d)];
    out += kUnits[static_cast<std::size_t>(unit)];
  }
  return out;
}

std::string letters(int n, bool upper) {
  if (n <= 0) return std::to_string(n);
  // Word repeats the letter: a..z, aa..zz, aaa…
  const char c = static_cast<char>((upper ? 'A' : 'a') + (n - 1) % 26);
  return std::string(static_cast<std::size_t>((n - 1) / 26 + 1), c);
}

std::string roman(int n, bool upper) {
  if (n <= 0 || n >= 4000) return std::to_string(n);
  static constexpr std::array<std::pair<int, const char*>, 13> kParts = {{{1000, "m"},
                                                                          {900, "cm"},
                                                                          {500, "d"},
                                                                          {400, "cd"},
                                                                          {100, "c"},
                                                                          {90, "xc"},
                                                                          {50, "l"},
                                                                          {40, "xl"},
                                                                          {10, "x"},
                                                                          {9, "ix"},
                                                                          {5, "v"},
                                                                          {4, "iv"},
                                                                          {1, "i"}}};
  std::string out;
  for (const auto& [value, text] : kParts) {
    while (n >= value) {
      out += text;
      n -= value;
    }
  }
  if (upper)
    for (char& c : out) c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// Code point to UTF-8 (only the BMP is needed here).
std::string utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  return out;
}

int int_attr(pugi::xml_node node, const char* child, int fallback) {
  const pugi::xml_node c = node.child(child);
  if (!c) return fallback;
  return c.attribute("w:val").as_int(fallback);
}

}  // namespace

std::string format_number(int n, std::string_view format) {
  if (format == "chineseCounting" || format == "chineseLegalSimplified" ||
      format == "japaneseCounting" || format == "ideographDigital" ||
      format == "taiwaneseCounting" || format == "koreanCounting") {
    return chinese(n, false);
  }
  if (format == "chineseCountingThousand" || format == "taiwaneseCountingThousand" ||
      format == "japaneseCountingThousand") {
    return chinese(n, true);
  }
  if (format == "ideographTraditional" && n >= 1 && n <= 10) {
    static constexpr std::array<const char*, 10> kStems = {"甲", "乙", "丙", "丁", "戊",
                                                           "己", "庚", "辛", "壬", "癸"};
    return kStems[static_cast<std::size_t>(n - 1)];
  }
  if (format == "decimalEnclosedCircle" || format == "decimalEnclosedCircleChinese") {
    if (n >= 1 && n <= 20) return utf8(U'①' + static_cast<char32_t>(n - 1));
  }
  if (format == "decimalFullWidth" || format == "decimalFullWidth2") {
    std::string out;
    for (char c : std::to_string(n)) out += utf8(U'０' + static_cast<char32_t>(c - '0'));
    return out;
  }
  if (format == "decimalZero") return (n < 10 ? "0" : "") + std::to_string(n);
  if (format == "upperLetter") return letters(n, true);
  if (format == "lowerLetter") return letters(n, false);
  if (format == "upperRoman") return roman(n, true);
  if (format == "lowerRoman") return roman(n, false);
  if (format == "none") return "";
  return std::to_string(n);  // decimal and every format we do not know
}

void Numbering::load(std::string_view numbering_xml) {
  pugi::xml_document doc;
  if (!doc.load_buffer(numbering_xml.data(), numbering_xml.size())) return;
  const pugi::xml_node root = doc.child("w:numbering");
  for (pugi::xml_node a : root.children("w:abstractNum")) {
    Abstract abstract;
    for (pugi::xml_node lvl : a.children("w:lvl")) {
      const int ilvl = lvl.attribute("w:ilvl").as_int(-1);
      if (ilvl < 0 || ilvl > 8) continue;
      if (abstract.levels.size() <= static_cast<std::size_t>(ilvl))
        abstract.levels.resize(static_cast<std::size_t>(ilvl) + 1);
      ListLevel& level = abstract.levels[static_cast<std::size_t>(ilvl)];
      level.start = int_attr(lvl, "w:start", 1);
      if (pugi::xml_node f = lvl.child("w:numFmt")) level.format = f.attribute("w:val").value();
      if (pugi::xml_node t = lvl.child("w:lvlText")) level.text = t.attribute("w:val").value();
      if (pugi::xml_node s = lvl.child("w:suff")) level.suffix = s.attribute("w:val").value();
    }
    abstracts_[a.attribute("w:abstractNumId").as_int(-1)] = std::move(abstract);
  }
  for (pugi::xml_node n : root.children("w:num")) {
    Instance instance;
    instance.abstract_id = int_attr(n, "w:abstractNumId", -1);
    for (pugi::xml_node o : n.children("w:lvlOverride")) {
      if (pugi::xml_node s = o.child("w:startOverride"))
        instance.start_overrides[o.attribute("w:ilvl").as_int(0)] = s.attribute("w:val").as_int(1);
    }
    instances_[n.attribute("w:numId").as_int(-1)] = std::move(instance);
  }
}

std::string Numbering::next(int num_id, int level) {
  const auto inst = instances_.find(num_id);
  if (inst == instances_.end()) return "";
  const auto abs = abstracts_.find(inst->second.abstract_id);
  if (abs == abstracts_.end() || level < 0 ||
      static_cast<std::size_t>(level) >= abs->second.levels.size())
    return "";
  const std::vector<ListLevel>& levels = abs->second.levels;
  Counters& counters = counters_[inst->second.abstract_id];
  counters.value.resize(levels.size(), 0);
  if (!inst->second.used) {
    inst->second.used = true;
    for (const auto& [l, start] : inst->second.start_overrides) {
      if (l >= 0 && static_cast<std::size_t>(l) < counters.value.size())
        counters.value[static_cast<std::size_t>(l)] = start - 1;
    }
  }
  const auto at = static_cast<std::size_t>(level);
  if (counters.value[at] == 0 && inst->second.start_overrides.count(level) == 0)
    counters.value[at] = levels[at].start - 1;
  ++counters.value[at];
  for (std::size_t deeper = at + 1; deeper < counters.value.size(); ++deeper)
    counters.value[deeper] = 0;

  const ListLevel& l = levels[at];
  if (l.format == "bullet") return "";
  std::string out;
  for (std::size_t i = 0; i < l.text.size(); ++i) {
    if (l.text[i] == '%' && i + 1 < l.text.size() && l.text[i + 1] >= '1' && l.text[i + 1] <= '9') {
      const auto ref = static_cast<std::size_t>(l.text[i + 1] - '1');
      if (ref < levels.size()) {
        const int value = counters.value[ref] > 0 ? counters.value[ref] : levels[ref].start;
        out += format_number(value, levels[ref].format);
      }
      ++i;
    } else {
      out.push_back(l.text[i]);
    }
  }
  if (out.empty()) return out;
  // A separator only after a Latin mark ("1." → "1. "); "（一）" and "一、" already end in
  // punctuation the parser reads as the end of the number.
  const unsigned char last = static_cast<unsigned char>(out.back());
  if (l.suffix != "nothing" && last < 0x80) out.push_back(' ');
  return out;
}

}  // namespace duban::formats::detail
