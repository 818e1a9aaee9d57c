#include "model/gazette/units.h"

#include <stdexcept>

#include "model/gazette/text.h"

namespace duban::gazette {

std::string_view builtin_units_tsv();  // generated from data/units.tsv (builtin_units.cpp.in)

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? s.npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string unit_key(std::string_view mention) {
  if (text::find_invalid_utf8(mention)) return std::string(mention);
  std::u32string folded = text::fold_punctuation(text::strip_emphasis(text::decode(mention)));
  std::u32string out;
  for (char32_t c : folded)
    if (!text::is_space(c)) out.push_back(c);
  return text::encode(out);
}

Result<UnitDirectory> UnitDirectory::parse(std::string_view tsv) {
  UnitDirectory dir;
  int line_no = 0;
  for (std::string_view line : split(tsv, '\n')) {
    ++line_no;
    line = trim_ascii(line);
    if (line.empty() || line.front() == '#') continue;
    const auto cols = split(line, '\t');
    const std::string where = "unit directory line " + std::to_string(line_no);
    if (cols.size() < 3) {
      return make_error("bad_unit_directory",
                        where + ": expected id, kind and name separated by tabs");
    }
    Unit unit{std::string(trim_ascii(cols[0])),
              std::string(trim_ascii(cols[1])),
              std::string(trim_ascii(cols[2])),
              {},
              {}};
    if (unit.id.empty() || unit.name.empty()) {
      return make_error("bad_unit_directory", where + ": empty id or name");
    }
    if (cols.size() > 3) {
      for (std::string_view alias : split(cols[3], '|')) {
        alias = trim_ascii(alias);
        if (!alias.empty()) unit.aliases.emplace_back(alias);
      }
    }
    if (cols.size() > 4) unit.parent = std::string(trim_ascii(cols[4]));
    if (unit.parent == unit.id) {
      return make_error("bad_unit_directory", where + ": unit " + unit.id + " is its own parent");
    }
    const std::size_t index = dir.units_.size();
    if (!dir.by_id_.emplace(unit.id, index).second) {
      return make_error("bad_unit_directory", where + ": duplicate id " + unit.id);
    }
    std::vector<std::string> keys{unit_key(unit.name)};
    for (const auto& a : unit.aliases) keys.push_back(unit_key(a));
    for (const auto& key : keys) {
      const auto [it, inserted] = dir.by_key_.emplace(key, index);
      if (!inserted && it->second != index) {
        return make_error("bad_unit_directory", where + ": name or alias " + key +
                                                    " already belongs to unit " +
                                                    dir.units_[it->second].id);
      }
    }
    dir.units_.push_back(std::move(unit));
  }
  for (const Unit& u : dir.units_) {
    if (!u.parent.empty() && dir.by_id_.find(u.parent) == dir.by_id_.end()) {
      return make_error("bad_unit_directory", "unit directory: unit " + u.id + " names parent " +
                                                  u.parent + ", which is no unit of the directory");
    }
  }
  return dir;
}

std::vector<std::string> UnitDirectory::below(std::string_view id) const {
  std::vector<std::string> out;
  for (const Unit& u : units_) {
    if (!id.empty() && u.parent == id) out.push_back(u.id);
  }
  return out;
}

const UnitDirectory& UnitDirectory::builtin() {
  static const UnitDirectory dir = [] {
    auto parsed = parse(builtin_units_tsv());
    // The file is checked by the unit tests; a broken one is a build defect, not user input.
    if (!parsed) throw std::logic_error("built-in unit directory: " + parsed.error().message);
    return std::move(parsed).value();
  }();
  return dir;
}

std::string_view UnitDirectory::builtin_tsv() {
  return builtin_units_tsv();
}

const Unit* UnitDirectory::find(std::string_view mention) const {
  // Most mentions are already in key form; only the others pay for normalising.
  if (const auto hit = by_key_.find(std::string(mention)); hit != by_key_.end()) {
    return &units_[hit->second];
  }
  const auto it = by_key_.find(unit_key(mention));
  return it == by_key_.end() ? nullptr : &units_[it->second];
}

const Unit* UnitDirectory::by_id(std::string_view id) const {
  const auto it = by_id_.find(std::string(id));
  return it == by_id_.end() ? nullptr : &units_[it->second];
}

std::string UnitDirectory::resolve(std::string_view mention) const {
  if (const Unit* u = find(mention)) return u->id;
  return std::string(kUnknownUnitPrefix) + unit_key(mention);
}

bool is_unit_shaped(std::u32string_view raw) {
  std::u32string name = text::trim(raw);
  if (name.size() < 2 || name.size() > 30) return false;
  // A group may list levels before its noun: 各市、县人民政府, 市、州人民政府.
  if (const auto last = name.rfind(U'、'); last != std::u32string::npos && last <= 4)
    name = name.substr(0, 1) + name.substr(last + 1);
  for (char32_t c : name) {
    if (text::is_digit(c) || text::is_space(c) || text::is_comma(c) || text::is_colon(c) ||
        c == U'。' || c == U'、' || c == U'的' || c == U'为' || c == U'\n')
      return false;
  }
  for (std::u32string_view w : {U"负责", U"牵头", U"参加", U"参与", U"配合", U"协助", U"会同",
                                U"落实", U"完成", U"年底", U"以前", U"以下"}) {
    if (name.find(w) != std::u32string::npos) return false;
  }
  const std::u32string_view n = name;
  for (std::u32string_view g : {U"各", U"有关", U"相关", U"其他"}) {
    if (!text::starts_with(n, g)) continue;
    for (std::u32string_view end :
         {U"部门", U"单位", U"机构", U"政府", U"企业", U"组织", U"方面", U"院校", U"学校", U"银行",
          U"地区", U"街道", U"乡镇", U"县区", U"区县"}) {
      if (text::ends_with(n, end)) return true;
    }
  }
  if (text::ends_with(n, U"部门") || text::ends_with(n, U"单位")) {
    // 省政府各部门, 市级各有关部门, 区直各单位: a level, then 各.
    const auto each = n.find(U'各');
    return text::starts_with(n, U"省政府各") || text::starts_with(n, U"市政府各") ||
           (each != std::u32string_view::npos && each >= 2 && each <= 3);
  }
  for (std::u32string_view end :
       {U"部",   U"委",   U"厅",   U"局",   U"办", U"署", U"院", U"会", U"行", U"社",
        U"府",   U"中心", U"集团", U"室",   U"所", U"处", U"关", U"联", U"协", U"组",
        U"公司", U"军区", U"总队", U"支队", U"团", U"站", U"馆", U"校"}) {
    if (text::ends_with(n, end)) return true;
  }
  return false;
}

}  // namespace duban::gazette
