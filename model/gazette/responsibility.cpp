#include "model/gazette/responsibility.h"

#include <algorithm>
#include <array>

#include "model/gazette/text.h"

namespace duban::gazette {
namespace {

using text::ends_with;
using text::starts_with;

// “市、州人民政府” names one group of recipients; its 、 must not split it. The brackets of
// “市（州）” would look like nesting. Both are hidden behind private-use characters while parsing.
constexpr char32_t kCityPrefectureGov = 0xE000;
constexpr char32_t kCityPrefecture = 0xE001;

std::u32string protect(std::u32string_view s) {
  static constexpr std::array<std::pair<std::u32string_view, char32_t>, 6> kTokens{{
      {U"市、州人民政府", kCityPrefectureGov},
      {U"市（州）人民政府", kCityPrefectureGov},
      {U"市(州)人民政府", kCityPrefectureGov},
      {U"市、州政府", kCityPrefectureGov},
      {U"市（州）", kCityPrefecture},
      {U"市(州)", kCityPrefecture},
  }};
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] != U'市') {
      out.push_back(s[i++]);
      continue;
    }
    for (const auto& [token, mark] : kTokens) {
      if (s.substr(i, token.size()) == token) {
        out.push_back(mark);
        i += token.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out.push_back(s[i++]);
  }
  return out;
}

std::u32string unprotect(std::u32string_view s) {
  std::u32string out;
  for (char32_t c : s) {
    if (c == kCityPrefectureGov)
      out += U"市、州人民政府";
    else if (c == kCityPrefecture)
      out += U"市(州)";
    else
      out.push_back(c);
  }
  return out;
}

std::vector<std::u32string> split_segments(std::u32string_view s) {
  std::vector<std::u32string> out;
  std::u32string current;
  int depth = 0;
  for (char32_t c : s) {
    if (text::is_open_bracket(c)) ++depth;
    if (text::is_close_bracket(c) && depth > 0) --depth;
    if (depth == 0 && text::is_comma(c)) {
      out.push_back(text::trim(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  out.push_back(text::trim(current));
  return out;
}

bool strip_suffix(std::u32string& s, std::u32string_view suffix) {
  if (!ends_with(s, suffix)) return false;
  s.resize(s.size() - suffix.size());
  return true;
}

// Words that never occur in a unit name but do in notes (“排在第一位的部门为牵头部门”, “下同”,
// “适用范围：…”): a segment containing one is a note, not a list of units.
bool looks_like_note(std::u32string_view s) {
  for (std::u32string_view w :
       {U"的", U"为", U"下同", U"范围", U"以下", U"详见", U"见附件", U"其中", U"。", U"\n"}) {
    if (s.find(w) != std::u32string_view::npos) return true;
  }
  return s.size() > 40;
}

std::u32string clean_mention(std::u32string m) {
  m = text::trim(text::strip_emphasis(m));
  // Trailing qualifiers: “省供销联社等”, “省通信管理局等有关部门”, “省住房城乡建设厅等部门”.
  for (std::u32string_view suffix :
       {U"等有关部门", U"等有关单位", U"等相关部门", U"等部门", U"等单位", U"等"}) {
    if (strip_suffix(m, suffix)) break;
  }
  for (std::u32string_view prefix : {U"由", U"和"}) {
    if (starts_with(m, prefix) && m.size() > prefix.size() + 1) m.erase(0, prefix.size());
  }
  return text::trim(m);
}

void add_units(std::u32string_view list, Role role, std::vector<UnitMention>& out) {
  std::u32string current;
  auto flush = [&] {
    std::u32string m = clean_mention(current);
    current.clear();
    if (!m.empty() && !looks_like_note(m)) out.push_back({role, text::encode(unprotect(m))});
  };
  for (char32_t c : list) {
    if (c == U'、' || c == U'和' || text::is_comma(c)) {
      // 和 separates units only when both sides are whole names (“省财政厅和省审计厅”);
      // inside a name such as 省经济和信息化委 it does not.
      if (c == U'和' &&
          !(ends_with(current, U"厅") || ends_with(current, U"局") || ends_with(current, U"委") ||
            ends_with(current, U"办") || ends_with(current, U"府") || ends_with(current, U"行"))) {
        current.push_back(c);
        continue;
      }
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
}

enum class SegmentRole { kNone, kLead, kSeparately, kResponsible, kParticipant, kNote };

struct Segment {
  SegmentRole role = SegmentRole::kNone;
  std::u32string units;       // the unit list with the role words removed
  std::u32string with_units;  // “X会同Y负责”: Y, who take part
};

Segment classify(std::u32string s) {
  Segment seg;
  if (looks_like_note(s) && !ends_with(s, U"负责") && !ends_with(s, U"参加")) {
    seg.role = SegmentRole::kNote;
    return seg;
  }
  static constexpr std::array<std::pair<std::u32string_view, SegmentRole>, 16> kSuffixes{{
      {U"按照职责分工分别负责", SegmentRole::kSeparately},
      {U"按职责分工分别负责", SegmentRole::kSeparately},
      {U"按照职责分别负责", SegmentRole::kSeparately},
      {U"按照职责分工负责", SegmentRole::kSeparately},
      {U"按职责分工负责", SegmentRole::kSeparately},
      {U"分别负责", SegmentRole::kSeparately},
      {U"按照职责牵头负责", SegmentRole::kLead},
      {U"按职责牵头负责", SegmentRole::kLead},
      {U"共同牵头负责", SegmentRole::kLead},
      {U"牵头负责", SegmentRole::kLead},
      {U"牵头", SegmentRole::kLead},
      {U"按照职责负责", SegmentRole::kResponsible},
      {U"负责", SegmentRole::kResponsible},
      {U"参加", SegmentRole::kParticipant},
      {U"参与", SegmentRole::kParticipant},
      {U"配合", SegmentRole::kParticipant},
  }};
  for (const auto& [suffix, role] : kSuffixes) {
    if (strip_suffix(s, suffix)) {
      seg.role = role;
      break;
    }
  }
  if (seg.role == SegmentRole::kResponsible || seg.role == SegmentRole::kLead) {
    // “X会同有关部门负责”: X leads together with the others, who take part.
    if (const auto pos = s.find(U"会同"); pos != std::u32string::npos) {
      seg.with_units = s.substr(pos + 2);
      s.resize(pos);
      seg.role = SegmentRole::kLead;
    }
  }
  seg.units = std::move(s);
  return seg;
}

// “牵头单位：X” and friends: the label gives the role of the list that follows.
std::optional<SegmentRole> label_role(std::u32string_view label, Mode& mode) {
  static constexpr std::array<std::pair<std::u32string_view, SegmentRole>, 12> kLabels{{
      {U"责任单位", SegmentRole::kResponsible},
      {U"责任部门", SegmentRole::kResponsible},
      {U"负责单位", SegmentRole::kResponsible},
      {U"负责部门", SegmentRole::kResponsible},
      {U"牵头单位", SegmentRole::kLead},
      {U"牵头部门", SegmentRole::kLead},
      {U"主办单位", SegmentRole::kLead},
      {U"配合单位", SegmentRole::kParticipant},
      {U"配合部门", SegmentRole::kParticipant},
      {U"参加单位", SegmentRole::kParticipant},
      {U"参与单位", SegmentRole::kParticipant},
      {U"协办单位", SegmentRole::kParticipant},
  }};
  for (const auto& [name, role] : kLabels) {
    if (text::trim(label) == name) {
      if (role == SegmentRole::kResponsible && mode != Mode::kLead) mode = Mode::kResponsible;
      if (role == SegmentRole::kLead) mode = Mode::kLead;
      return role;
    }
  }
  return std::nullopt;
}

std::optional<Responsibility> parse_labelled(const std::vector<std::u32string>& segments) {
  Responsibility r;
  r.mode = Mode::kResponsible;
  std::optional<SegmentRole> current;
  bool any_label = false;
  for (const std::u32string& seg : segments) {
    std::size_t colon = std::u32string::npos;
    for (std::size_t i = 0; i < seg.size(); ++i) {
      if (text::is_colon(seg[i])) {
        colon = i;
        break;
      }
    }
    std::u32string_view list = seg;
    if (colon != std::u32string::npos) {
      const auto role = label_role(std::u32string_view(seg).substr(0, colon), r.mode);
      if (!role) break;  // “适用范围：…”: an explanatory note ends the unit lists
      any_label = true;
      current = role;
      list = std::u32string_view(seg).substr(colon + 1);
    }
    if (!current) return std::nullopt;
    add_units(list, *current == SegmentRole::kParticipant ? Role::kParticipant : Role::kLead,
              r.units);
  }
  // As in the unlabelled forms: a clause needs someone to lead it.
  const bool any_lead = std::any_of(r.units.begin(), r.units.end(),
                                    [](const UnitMention& u) { return u.role == Role::kLead; });
  if (!any_label || !any_lead) return std::nullopt;
  return r;
}

}  // namespace

bool mentions_responsibility(std::u32string_view content) {
  for (std::u32string_view w : {U"负责", U"参加", U"牵头", U"配合", U"责任单位", U"责任部门"}) {
    if (content.find(w) != std::u32string_view::npos) return true;
  }
  return false;
}

std::optional<Responsibility> parse_responsibility(std::u32string_view raw,
                                                   ResponsibilityContext& context) {
  const std::u32string content = protect(text::trim(text::strip_emphasis(raw)));
  if (!mentions_responsibility(content)) return std::nullopt;
  const std::vector<std::u32string> segments = split_segments(content);

  for (const std::u32string& seg : segments) {
    for (std::size_t i = 0; i < seg.size(); ++i) {
      if (text::is_colon(seg[i])) return parse_labelled(segments);
    }
  }

  std::vector<Segment> classified;
  for (const std::u32string& seg : segments) {
    if (seg.find(U"排在第一位") != std::u32string::npos &&
        seg.find(U"牵头") != std::u32string::npos) {
      context.first_listed_leads = true;
    }
    if (!seg.empty()) classified.push_back(classify(seg));
  }

  Responsibility r;
  bool separately = false, lead = false;
  std::vector<const Segment*> pending;  // units awaiting the role of a later segment
  auto emit = [&](const Segment& seg, SegmentRole role) {
    if (role == SegmentRole::kParticipant) {
      add_units(seg.units, Role::kParticipant, r.units);
      return;
    }
    const std::size_t first = r.units.size();
    add_units(seg.units, Role::kLead, r.units);
    if (role == SegmentRole::kResponsible && context.first_listed_leads) {
      for (std::size_t i = first + 1; i < r.units.size(); ++i) r.units[i].role = Role::kParticipant;
      lead = true;
    }
    add_units(seg.with_units, Role::kParticipant, r.units);
  };
  for (const Segment& seg : classified) {
    switch (seg.role) {
      case SegmentRole::kNote:
        continue;
      case SegmentRole::kNone:
        pending.push_back(&seg);
        continue;
      case SegmentRole::kSeparately:
        separately = true;
        break;
      case SegmentRole::kLead:
        lead = true;
        break;
      default:
        break;
    }
    for (const Segment* p : pending) emit(*p, seg.role);
    pending.clear();
    emit(seg, seg.role);
  }
  // Units left with no role word after them take part.
  for (const Segment* p : pending) emit(*p, SegmentRole::kParticipant);
  if (r.units.empty()) return std::nullopt;
  bool any_lead = false;
  for (const auto& u : r.units) any_lead = any_lead || u.role == Role::kLead;
  if (!any_lead) return std::nullopt;
  r.mode = separately ? Mode::kSeparately : lead ? Mode::kLead : Mode::kResponsible;
  return r;
}

}  // namespace duban::gazette
