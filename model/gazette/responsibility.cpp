#include "model/gazette/responsibility.h"

#include <algorithm>
#include <array>

#include "model/gazette/dates.h"
#include "model/gazette/text.h"
#include "model/gazette/units.h"

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
// One pass over the segment, not one per word: it is asked of every segment and every mention.
bool looks_like_note(std::u32string_view s) {
  static constexpr std::u32string_view kWords[] = {U"下同",   U"范围", U"以下", U"详见",
                                                   U"见附件", U"其中", U"标注"};
  for (std::size_t i = 0; i < s.size(); ++i) {
    switch (s[i]) {
      case U'的':
      case U'为':
      case U'。':
      case U'\n':
      case U'“':
      case U'”':
        return true;
      default:
        break;
    }
    for (std::u32string_view w : kWords) {
      if (s[i] == w[0] && s.substr(i, w.size()) == w) return true;
    }
  }
  return false;
}

std::u32string clean_mention(std::u32string m) {
  text::strip_emphasis_in_place(m);
  text::trim_in_place(m);
  // Trailing qualifiers: “省供销联社等”, “省通信管理局等有关部门”, “省住房城乡建设厅等部门”.
  for (std::u32string_view suffix :
       {U"等有关部门", U"等有关单位", U"等相关部门", U"等相关单位", U"等部门", U"等单位", U"等"}) {
    if (strip_suffix(m, suffix)) break;
  }
  for (std::u32string_view prefix : {U"由", U"请", U"和", U"及", U"与", U"以及", U"并"}) {
    if (starts_with(m, prefix) && m.size() > prefix.size() + 1) m.erase(0, prefix.size());
  }
  text::trim_in_place(m);
  return m;
}

// “2026年底前完成”, “全年持续开展”, “长期坚持”: a segment of a note that says when, not who. It has
// no role word and is not shaped like a unit name.
bool is_time_phrase(std::u32string_view seg) {
  if (seg.empty()) return false;
  // The words first, the shape (which copies the segment) only for a segment that has one.
  bool says_when = false;
  for (std::size_t i = 0; i + 1 < seg.size() && !says_when; ++i)
    says_when = text::is_digit(seg[i]) && (seg[i + 1] == U'年' || seg[i + 1] == U'月');
  for (std::u32string_view w : {U"年内", U"年底", U"年末", U"月底", U"底前", U"季度", U"上半年",
                                U"下半年", U"长期", U"持续", U"常态化", U"逐年", U"每年", U"每月",
                                U"每半年", U"定期", U"前完成", U"完成", U"到位"}) {
    if (says_when) break;
    says_when = seg.find(w) != std::u32string_view::npos;
  }
  return says_when && !is_unit_shaped(unprotect(seg));
}

// What a role word asks of the units it is joined to.
enum class Word { kLead, kResponsible, kSeparately, kParticipant, kGuide, kWith };

struct RoleWord {
  std::u32string_view text;
  Word word;
};

// Longest first where one contains another, so that 牵头负责 wins over 负责.
constexpr RoleWord kRoleWords[] = {
    {U"分别牵头负责", Word::kSeparately},
    {U"分别牵头", Word::kSeparately},
    {U"按照职责分工分别负责", Word::kSeparately},
    {U"按职责分工分别负责", Word::kSeparately},
    {U"按照职责分别负责", Word::kSeparately},
    {U"按照职责分工负责", Word::kSeparately},
    {U"按职责分工负责", Word::kSeparately},
    {U"按照职责分工落实", Word::kSeparately},
    {U"按职责分工落实", Word::kSeparately},
    {U"分别负责", Word::kSeparately},
    {U"分别落实", Word::kSeparately},
    {U"按照职责牵头负责", Word::kLead},
    {U"按职责牵头负责", Word::kLead},
    {U"共同牵头负责", Word::kLead},
    {U"牵头负责", Word::kLead},
    {U"牵头落实", Word::kLead},
    {U"牵头", Word::kLead},
    {U"主办", Word::kLead},
    {U"主责", Word::kLead},
    {U"按照职责负责", Word::kResponsible},
    {U"按职责负责", Word::kResponsible},
    {U"负责落实", Word::kResponsible},
    {U"具体负责", Word::kResponsible},
    {U"负责", Word::kResponsible},
    {U"落实", Word::kResponsible},
    {U"承办", Word::kResponsible},
    {U"按职责配合", Word::kParticipant},
    {U"按照职责配合", Word::kParticipant},
    {U"共同参与", Word::kParticipant},
    {U"参加", Word::kParticipant},
    {U"参与", Word::kParticipant},
    {U"配合", Word::kParticipant},
    {U"协助", Word::kParticipant},
    {U"协办", Word::kParticipant},
    {U"指导", Word::kGuide},
    {U"会同", Word::kWith},
};

// The role word starting at s[i], if any. A word followed by what ends a name (指导中心,
// 协办室) is part of that name, not a role.
// Whether c starts some role word: most characters of a note do not, and this check spares
// comparing each of them with every word (the parser asks at every character of every note).
constexpr bool starts_role_word(char32_t c) {
  switch (c) {
    case U'分':
    case U'按':
    case U'共':
    case U'牵':
    case U'主':
    case U'负':
    case U'具':
    case U'落':
    case U'承':
    case U'参':
    case U'配':
    case U'协':
    case U'指':
    case U'会':
      return true;
    default:
      return false;
  }
}

constexpr bool every_role_word_starts_so() {
  for (const RoleWord& w : kRoleWords)
    if (!starts_role_word(w.text.front())) return false;
  return true;
}
static_assert(every_role_word_starts_so(), "add the role word's first character above");

const RoleWord* role_word_at(std::u32string_view s, std::size_t i) {
  if (i >= s.size() || !starts_role_word(s[i])) return nullptr;
  for (const RoleWord& w : kRoleWords) {
    if (s.substr(i, w.text.size()) != w.text) continue;
    const std::size_t after = i + w.text.size();
    if (after < s.size()) {
      const char32_t c = s[after];
      // 中 ends a name only as 中心 (指导中心); “会同中央农办” is 会同 and a name.
      const bool centre = c == U'中' && after + 1 < s.size() && s[after + 1] == U'心';
      if (centre || c == U'站' || c == U'组' || c == U'室' || c == U'处' || c == U'单' ||
          c == U'部')
        continue;
    }
    return &w;
  }
  return nullptr;
}

bool has_role_word(std::u32string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (role_word_at(s, i)) return true;
  return false;
}

bool is_admin_level(std::u32string_view s) {
  // “省、市、县人民政府”, “市、县政府”: the levels before a 、 belong to the name that follows.
  if (s.empty() || s.size() > 2) return false;
  for (char32_t c : s) {
    if (std::u32string_view(U"省市州县区乡镇旗盟").find(c) == std::u32string_view::npos)
      return false;
  }
  return true;
}

// Splits a unit list at 、 and, between whole names, at 和 及 以及 与. A group (各市、县政府)
// or a run of administrative levels (市、县人民政府) stays one name.
std::vector<std::u32string> split_units(std::u32string_view list) {
  std::vector<std::u32string> out;
  std::u32string current;
  auto flush = [&] {
    std::u32string m = clean_mention(current);
    current.clear();
    if (!m.empty()) out.push_back(std::move(m));
  };
  for (std::size_t i = 0; i < list.size(); ++i) {
    const char32_t c = list[i];
    if (c == U'、' || text::is_comma(c)) {
      const std::u32string cleaned = clean_mention(current);
      if (c == U'、' &&
          (is_admin_level(cleaned) || (starts_with(cleaned, U"各") && !is_unit_shaped(cleaned)))) {
        current.push_back(c);
        continue;
      }
      flush();
      continue;
    }
    // 和 separates units only when both sides are whole names (“省财政厅和省审计厅”); inside a
    // name such as 省经济和信息化委 it does not.
    std::size_t conj = 0;
    if (c == U'以' && i + 1 < list.size() && list[i + 1] == U'及')
      conj = 2;
    else if (c == U'和' || c == U'及' || c == U'与')
      conj = 1;
    if (conj && is_unit_shaped(clean_mention(current))) {
      flush();
      i += conj - 1;
      continue;
    }
    current.push_back(c);
  }
  flush();
  return out;
}

struct Reader {
  explicit Reader(ResponsibilityContext& ctx) : context(ctx) {}
  Responsibility r;
  ResponsibilityContext& context;
  bool lead = false, separately = false, inferred = false, trailing = false;
  // Under the first-listed-leads rule: whether the first unit of the current list was seen (a
  // list may run over several segments: 责任单位：X、Y，Z).
  bool first_taken = false;

  void add(std::u32string_view list, Role role, bool role_inferred, bool first_leads = false) {
    for (std::u32string& m : split_units(list)) {
      if (looks_like_note(m)) {
        if (is_unit_shaped(m)) r.unassigned.push_back(text::encode(unprotect(m)));
        for (auto& span : unit_shaped_spans(m)) r.unassigned.push_back(std::move(span));
        continue;
      }
      Role ro = role;
      if (first_leads && first_taken) ro = Role::kParticipant;
      first_taken = true;
      r.units.push_back({ro, text::encode(unprotect(m)), role_inferred});
    }
  }

  static Role role_of(Word w) {
    switch (w) {
      case Word::kParticipant:
        return Role::kParticipant;
      case Word::kGuide:
        return Role::kGuide;
      default:
        return Role::kLead;
    }
  }

  void note_word(Word w) {
    if (w == Word::kLead) lead = true;
    if (w == Word::kSeparately) separately = true;
  }

  // Units waiting for a role: those of earlier segments with no role word, then the current run.
  std::vector<std::u32string> pending;  // from earlier segments
  std::u32string before_with;           // “X会同”: X, whose role the next word gives
  bool in_with = false;

  bool gave = false;  // a role word was met

  void give(Word w, std::u32string_view run) {
    gave = true;
    // “X牵头，Y按职责分工负责”: once a unit leads, the units that are only responsible (or each
    // responsible for their part) take part.
    if (lead && (w == Word::kResponsible || w == Word::kSeparately) && !in_with)
      w = Word::kParticipant;
    note_word(w);
    if (!pending.empty()) inferred = true;
    for (const auto& p : pending) add(p, role_of(w), true);
    pending.clear();
    if (in_with) {
      // “X会同Y负责”: X leads together with Y, who take part.
      const Word lead_word = w == Word::kResponsible ? Word::kLead : w;
      note_word(lead_word);
      add(before_with, role_of(lead_word), false);
      add(run, Role::kParticipant, false);
      before_with.clear();
      in_with = false;
      return;
    }
    const bool first_leads = w == Word::kResponsible && context.first_listed_leads;
    if (first_leads) lead = true;
    first_taken = false;
    add(run, role_of(w), false, first_leads);
  }

  void close_with(std::u32string_view run) {
    if (!in_with) return;
    gave = true;
    lead = true;
    for (const auto& p : pending) add(p, Role::kLead, true);
    pending.clear();
    add(before_with, Role::kLead, false);
    add(run, Role::kParticipant, false);
    before_with.clear();
    in_with = false;
  }

  void segment(std::u32string_view seg) {
    if (states_first_listed_leads(seg)) context.first_listed_leads = true;
    if (is_time_phrase(seg) && !has_role_word(seg)) {
      // “2026年底前完成”, “长期坚持”: when, not who.
      if (!r.timing.empty()) r.timing += U"，";
      r.timing += seg;
      if (r.standing.empty()) r.standing = std::u32string(standing_phrase(seg));
      return;
    }
    if (looks_like_note(seg)) {
      for (auto& span : unit_shaped_spans(seg)) r.unassigned.push_back(std::move(span));
      return;
    }
    std::u32string run;
    for (std::size_t i = 0; i < seg.size();) {
      const RoleWord* w = role_word_at(seg, i);
      if (!w) {
        run.push_back(seg[i++]);
        continue;
      }
      i += w->text.size();
      if (w->word == Word::kWith) {
        close_with({});
        for (const auto& p : pending) before_with += p + U"、";
        pending.clear();
        before_with += run;
        in_with = true;
      } else {
        give(w->word, run);
      }
      run.clear();
    }
    if (in_with) {
      close_with(run);
    } else if (!text::trim(run).empty()) {
      pending.push_back(text::trim(run));
    }
  }

  void finish() {
    if (!gave && context.first_listed_leads && !pending.empty()) {
      // “（X，Y，Z，排名第一位的为牵头单位）”: bare lists under the document's rule — the first
      // unit listed leads, the others take part.
      lead = true;
      first_taken = false;
      for (const auto& p : pending) add(p, Role::kLead, false, true);
      pending.clear();
    }
    // Units left with no role word after them take part.
    if (!pending.empty()) trailing = true;
    for (const auto& p : pending) add(p, Role::kParticipant, true);
    pending.clear();
    if (inferred) r.why.push_back("no role word; role taken from the next segment");
    if (trailing) r.why.push_back("units after the last role word taken as participants");
  }
};

// What a label says about the list after it. A unit label is a role word (责任 counts as one
// here) followed by 单位/部门/处室/机构; the role is read from the words of the label, not from
// a list of labels: 牵头/主办/主责 anywhere in it lead (牵头责任单位), 配合/协作/协同/协助/协办/
// 参与/参加 take part (协同责任单位, 主要协作单位), 指导 guides, 责任/负责/落实/承办 are
// responsible; 主要/具体 in front change nothing. A label naming people (责任领导, 牵头负责领导,
// 分管领导, 责任人, 联系人) is a person label: its names are people, never units.
enum class LabelKind { kNone, kUnits, kPeople };

struct Label {
  LabelKind kind = LabelKind::kNone;
  Word word = Word::kResponsible;
};

Label read_label(std::u32string_view raw_label) {
  const std::u32string label = text::trim(raw_label);
  // A label is a few letters: no punctuation, blanks or digits (“委；主要协作单位” is the end of a
  // list and the next label, not a label).
  for (char32_t c : label)
    if (c < 0x4E00 || c > 0x9FFF) return {};
  std::u32string_view stem = label;
  for (std::u32string_view end : {U"领导", U"责任人", U"负责人", U"联系人", U"领导同志"}) {
    if (ends_with(stem, end) && stem.size() <= end.size() + 6) {
      const std::u32string_view head = stem.substr(0, stem.size() - end.size());
      // Only a short head of role or office words: 责任, 牵头负责, 分管, 包抓 (“领导” alone too).
      if (head.size() <= 4) return {LabelKind::kPeople, Word::kResponsible};
    }
  }
  bool named = false;
  for (std::u32string_view end : {U"单位", U"部门", U"处室", U"机构"}) {
    if (ends_with(stem, end)) {
      stem.remove_suffix(end.size());
      named = true;
      break;
    }
  }
  if (!named || stem.empty() || stem.size() > 6) return {};
  for (std::u32string_view prefix : {U"主要", U"具体", U"其他"}) {
    if (starts_with(stem, prefix) && stem.size() > prefix.size()) stem.remove_prefix(prefix.size());
  }
  auto has = [&](std::u32string_view w) { return stem.find(w) != std::u32string_view::npos; };
  if (has(U"分别")) return {LabelKind::kUnits, Word::kSeparately};
  if (has(U"牵头") || has(U"主办") || has(U"主责")) return {LabelKind::kUnits, Word::kLead};
  if (has(U"配合") || has(U"协作") || has(U"协同") || has(U"协助") || has(U"协办") ||
      has(U"参与") || has(U"参加") || has(U"会同"))
    return {LabelKind::kUnits, Word::kParticipant};
  if (has(U"指导")) return {LabelKind::kUnits, Word::kGuide};
  if (stem == U"责任" || has(U"负责") || has(U"落实") || has(U"承办"))
    return {LabelKind::kUnits, Word::kResponsible};
  return {};
}

std::optional<Word> label_role(std::u32string_view raw_label) {
  const Label l = read_label(raw_label);
  if (l.kind != LabelKind::kUnits) return std::nullopt;
  return l.word;
}

bool is_person_label(std::u32string_view raw_label) {
  return read_label(raw_label).kind == LabelKind::kPeople;
}

std::size_t colon_in(std::u32string_view seg) {
  for (std::size_t i = 0; i < seg.size(); ++i)
    if (text::is_colon(seg[i])) return i;
  return std::u32string_view::npos;
}

std::optional<Responsibility> parse_labelled(const std::vector<std::u32string>& segments,
                                             ResponsibilityContext& context) {
  Reader reader(context);
  reader.r.mode = Mode::kResponsible;
  // Beside a 牵头单位, the 责任单位 are the units that carry the task with the lead: they take
  // part. Alone, they are responsible (and lead).
  bool lead_label = false;
  for (const std::u32string& seg : segments) {
    const std::size_t colon = colon_in(seg);
    if (colon == std::u32string::npos) continue;
    const auto role = label_role(std::u32string_view(seg).substr(0, colon));
    if (role == Word::kLead || role == Word::kSeparately) lead_label = true;
  }
  std::optional<Word> current;
  bool any_label = false, read_words = false, skipping_people = false;
  for (const std::u32string& seg : segments) {
    const std::size_t colon = colon_in(seg);
    std::u32string_view list = seg;
    if (colon != std::u32string::npos) {
      if (is_person_label(std::u32string_view(seg).substr(0, colon))) {
        // “责任领导：张三”: people, not units; their names are not read (a unit-shaped name
        // among them is still reported).
        for (auto& span : unit_shaped_spans(std::u32string_view(seg).substr(colon + 1)))
          reader.r.unassigned.push_back(std::move(span));
        current.reset();
        skipping_people = true;
        continue;
      }
      skipping_people = false;
      auto role = label_role(std::u32string_view(seg).substr(0, colon));
      if (!role) {
        // “适用范围：…”, “完成时限：…”: an explanatory note ends the unit lists.
        for (std::size_t k = &seg - segments.data(); k < segments.size(); ++k)
          for (auto& span : unit_shaped_spans(segments[k]))
            reader.r.unassigned.push_back(std::move(span));
        break;
      }
      if (*role == Word::kResponsible && lead_label) role = Word::kParticipant;
      any_label = true;
      current = role;
      reader.first_taken = false;
      if (*role == Word::kLead) reader.lead = true;
      if (*role == Word::kSeparately) reader.separately = true;
      list = std::u32string_view(seg).substr(colon + 1);
    }
    if (skipping_people) {
      // “责任领导：张三、李四，…”: further names of the same person list.
      for (auto& span : unit_shaped_spans(list)) reader.r.unassigned.push_back(std::move(span));
      continue;
    }
    if (!current) return std::nullopt;
    if (has_role_word(list)) {
      // “责任单位：X、Y分别牵头”: the list says its role itself.
      reader.segment(list);
      read_words = true;
      continue;
    }
    // “责任单位：X、Y、Z（列第一位的为牵头单位）”: the document's rule.
    const bool first_leads = *current == Word::kResponsible && context.first_listed_leads;
    if (first_leads) reader.lead = true;
    reader.add(list, Reader::role_of(*current), false, first_leads);
  }
  if (read_words) reader.finish();
  Responsibility r = std::move(reader.r);
  r.mode = reader.separately ? Mode::kSeparately : reader.lead ? Mode::kLead : Mode::kResponsible;
  // As in the unlabelled forms: a clause needs someone to lead it.
  const bool any_lead = std::any_of(r.units.begin(), r.units.end(),
                                    [](const UnitMention& u) { return u.role == Role::kLead; });
  if (!any_label || !any_lead) return std::nullopt;
  return r;
}

// “牵头单位：X  责任单位：Y” (one bracket, two labels): a label starting inside the list of an
// earlier one starts a segment of its own.
std::u32string split_labels(std::u32string_view s) {
  std::u32string out;
  out.reserve(s.size() + 4);
  bool after_colon = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (text::is_comma(s[i])) after_colon = false;
    if (after_colon && !text::is_space(s[i]) && starts_with_unit_label(s.substr(i))) {
      while (!out.empty() && text::is_space(out.back())) out.pop_back();
      out.push_back(U'；');
      after_colon = false;
    }
    if (text::is_colon(s[i])) after_colon = true;
    out.push_back(s[i]);
  }
  return out;
}

// Removes the parentheticals inside a note that state the first-listed-leads rule
// (“市X局、市Y局（列第一位的为牵头单位，下同）”), recording the rule in `context`.
std::u32string take_rules(std::u32string_view s, ResponsibilityContext& context) {
  std::u32string out;
  int depth = 0;
  std::size_t open = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (text::is_open_bracket(s[i]) && depth++ == 0) open = out.size();
    out.push_back(s[i]);
    if (text::is_close_bracket(s[i]) && depth > 0 && --depth == 0) {
      const std::u32string_view inner = std::u32string_view(out).substr(open);
      if (states_first_listed_leads(inner)) {
        context.first_listed_leads = true;
        out.resize(open);
      }
    }
  }
  return out;
}

}  // namespace

bool states_first_listed_leads(std::u32string_view s) {
  const bool first = s.find(U"第一") != std::u32string_view::npos ||
                     s.find(U"首位") != std::u32string_view::npos ||
                     s.find(U"排在前面") != std::u32string_view::npos;
  return first && s.find(U"牵头") != std::u32string_view::npos;
}

bool mentions_responsibility(std::u32string_view content) {
  for (std::u32string_view w :
       {U"负责", U"参加", U"牵头", U"配合", U"责任单位", U"责任部门", U"主办", U"主责", U"承办",
        U"落实", U"参与", U"协助", U"协办", U"会同"}) {
    if (content.find(w) != std::u32string_view::npos) return true;
  }
  return false;
}

std::optional<Responsibility> parse_table_cells(std::u32string_view lead_header,
                                                std::u32string_view lead_cell,
                                                std::u32string_view participants_cell,
                                                ResponsibilityContext& context) {
  Reader reader(context);
  auto read_cell = [&](std::u32string_view cell, Role role) {
    std::u32string content = protect(text::trim(text::strip_emphasis(cell)));
    // “区教育局、区财政局。”: a cell's closing full stop is not part of the last name.
    while (!content.empty() && (content.back() == U'。' || text::is_comma(content.back())))
      content.pop_back();
    if (has_role_word(content)) {
      for (const std::u32string& seg : split_segments(content))
        if (!seg.empty()) reader.segment(seg);
      reader.finish();
    } else {
      reader.add(content, role, false);
    }
  };
  read_cell(lead_cell, Role::kLead);
  const bool header_leads = lead_header.find(U"牵头") != std::u32string_view::npos ||
                            lead_header.find(U"主办") != std::u32string_view::npos ||
                            lead_header.find(U"主责") != std::u32string_view::npos;
  read_cell(participants_cell, Role::kParticipant);
  Responsibility r = std::move(reader.r);
  const bool any_lead = std::any_of(r.units.begin(), r.units.end(),
                                    [](const UnitMention& u) { return u.role == Role::kLead; });
  if (!any_lead) return std::nullopt;
  r.mode = reader.separately             ? Mode::kSeparately
           : reader.lead || header_leads ? Mode::kLead
                                         : Mode::kResponsible;
  return r;
}

std::optional<Responsibility> parse_implicit_duty(std::u32string_view raw,
                                                  const UnitDirectory* known) {
  const std::u32string s = protect(text::trim(text::strip_emphasis(raw)));
  constexpr std::size_t kReach = 40;  // a subject starts a sentence: it is never longer
  auto units_only = [](std::u32string_view list) {
    const auto pieces = split_units(list);
    if (pieces.empty()) return false;
    for (const auto& p : pieces)
      if (!is_unit_shaped(unprotect(p))) return false;
    return true;
  };
  auto all_known = [&](std::u32string_view list) {
    if (!known) return false;
    const auto pieces = split_units(list);
    for (const auto& p : pieces)
      if (!known->find(text::encode(unprotect(p)))) return false;
    return !pieces.empty();
  };
  // The longest list of units at the start of `s` (请X做好…, 会同Y研究…), known names first.
  // A list after 会同 may be long (ten ministries): it is read further than a subject.
  constexpr std::size_t kListReach = 120;
  auto leading_units = [&](std::u32string_view f) -> std::u32string_view {
    for (std::size_t n = std::min(f.size(), kListReach); n >= 2; --n)
      if (all_known(f.substr(0, n))) return f.substr(0, n);
    for (std::size_t n = std::min(f.size(), kListReach); n >= 2; --n)
      if (units_only(f.substr(0, n))) return f.substr(0, n);
    return {};
  };
  auto units_of = [](std::u32string_view list, Role role, Responsibility& r) {
    for (const auto& m : split_units(list)) r.units.push_back({role, text::encode(unprotect(m))});
  };
  // “X是…的主管部门，负责…”: X, named as what it is, is the subject of the duty that follows.
  std::u32string named;
  for (const std::u32string& fragment : split_segments(s)) {
    const std::u32string_view f = fragment;
    if (!named.empty()) {
      if (const RoleWord* w = role_word_at(f, 0);
          w && (w->word == Word::kResponsible || w->word == Word::kLead)) {
        Responsibility r;
        r.mode = w->word == Word::kLead ? Mode::kLead : Mode::kResponsible;
        units_of(named, Role::kLead, r);
        return r;
      }
    }
    for (std::u32string_view is : {U"是", U"作为"}) {
      const auto at = f.find(is);
      if (at != std::u32string_view::npos && at >= 2 && at <= kReach && units_only(f.substr(0, at)))
        named = f.substr(0, at);
    }
    std::size_t start = 0;
    bool asked = false;  // 请X…
    if (starts_with(f, U"请")) {
      start = 1;
      asked = true;
    } else if (const auto by = f.find(U'由'); by != std::u32string_view::npos && by < kReach) {
      start = by + 1;  // 由X负责…, 本办法由X负责解释
    }
    for (std::size_t i = start + 2; i < f.size() && i <= start + kReach; ++i) {
      const RoleWord* w = role_word_at(f, i);
      const bool modal = f[i] == U'要' || f[i] == U'应' || f[i] == U'须';
      if (!w && !modal) continue;
      const std::u32string_view subject = f.substr(start, i - start);
      if (!units_only(subject)) {
        if (w) break;  // a role word after something that is not a list of units
        continue;      // 要 inside a word (重要, 需要) or an adverb before it
      }
      Responsibility r;
      r.mode = Mode::kResponsible;
      if (w && (w->word == Word::kParticipant || w->word == Word::kGuide)) break;
      if (w && w->word == Word::kWith) {
        const std::u32string_view with = leading_units(f.substr(i + w->text.size()));
        r.mode = Mode::kLead;
        if (with.empty()) {
          // “X会同编制、财政等部门…”: those it works with are named by their field, not as
          // bodies; X still leads.
          units_of(subject, Role::kLead, r);
          r.why.push_back("those after 会同 are not named as units");
          return r;
        }
        units_of(subject, Role::kLead, r);
        units_of(with, Role::kParticipant, r);
        return r;
      }
      if (w && w->word == Word::kLead) r.mode = Mode::kLead;
      if (w && w->word == Word::kSeparately) r.mode = Mode::kSeparately;
      units_of(subject, Role::kLead, r);
      return r;
    }
    if (asked) {
      const std::u32string_view subject = leading_units(f.substr(start));
      if (subject.empty()) continue;
      Responsibility r;
      r.mode = Mode::kResponsible;
      units_of(subject, Role::kLead, r);
      return r;
    }
  }
  return std::nullopt;
}

bool starts_with_unit_label(std::u32string_view s) {
  for (std::size_t i = 2; i < s.size() && i <= 8; ++i) {
    if (text::is_colon(s[i])) return read_label(s.substr(0, i)).kind != LabelKind::kNone;
  }
  return false;
}

std::vector<std::string> unit_shaped_spans(std::u32string_view content) {
  std::vector<std::string> out;
  const std::u32string s = protect(content);
  std::u32string current;
  auto flush = [&] {
    std::u32string m = clean_mention(current);
    current.clear();
    // A name running into the verb after it (省财政厅商定): its longest shaped beginning.
    for (std::size_t n = m.size(); n >= 3; --n) {
      if (is_unit_shaped(unprotect(std::u32string_view(m).substr(0, n)))) {
        out.push_back(text::encode(unprotect(std::u32string_view(m).substr(0, n))));
        return;
      }
    }
  };
  for (std::size_t i = 0; i < s.size();) {
    if (const RoleWord* w = role_word_at(s, i)) {
      flush();
      i += w->text.size();
      continue;
    }
    const char32_t c = s[i++];
    if (c == U'、' || c == U'的' || c == U'为' || c == U'。' || c == U'\n' || text::is_comma(c) ||
        text::is_colon(c) || text::is_open_bracket(c) || text::is_close_bracket(c)) {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return out;
}

std::optional<Responsibility> parse_responsibility(std::u32string_view raw,
                                                   ResponsibilityContext& context) {
  std::u32string content = protect(text::trim(text::strip_emphasis(raw)));
  // A bare list of units is read only under the document's first-listed-leads rule.
  if (!mentions_responsibility(content) && !context.first_listed_leads) return std::nullopt;
  if (content.find(U'(') != std::u32string::npos || content.find(U'（') != std::u32string::npos)
    content = take_rules(content, context);
  const bool labelled = std::any_of(content.begin(), content.end(), text::is_colon);
  if (labelled) content = split_labels(content);
  const std::vector<std::u32string> segments = split_segments(content);
  if (labelled) return parse_labelled(segments, context);

  // “X、Y负责，排在第一位的部门为牵头部门”: the rule comes after the list it applies to.
  for (const std::u32string& seg : segments) {
    if (states_first_listed_leads(seg)) context.first_listed_leads = true;
  }
  Reader reader(context);
  for (const std::u32string& seg : segments) {
    if (!seg.empty()) reader.segment(seg);
  }
  reader.finish();
  Responsibility r = std::move(reader.r);
  if (r.units.empty()) return std::nullopt;
  const bool any_lead = std::any_of(r.units.begin(), r.units.end(),
                                    [](const UnitMention& u) { return u.role == Role::kLead; });
  if (!any_lead) return std::nullopt;
  r.mode = reader.separately ? Mode::kSeparately : reader.lead ? Mode::kLead : Mode::kResponsible;
  return r;
}

}  // namespace duban::gazette
