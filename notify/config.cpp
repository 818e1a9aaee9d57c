#include "notify/config.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace duban::notify {

std::string_view trim(std::string_view s) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && blank(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split_list(std::string_view v) {
  std::vector<std::string> out;
  while (!v.empty()) {
    const auto comma = v.find(',');
    const auto item = trim(v.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    v.remove_prefix(comma + 1);
  }
  return out;
}

namespace {

Error bad(int line, const std::string& what) {
  return make_error("bad_config",
                    "notification configuration, line " + std::to_string(line) + ": " + what);
}

std::optional<long long> parse_number(std::string_view v) {
  long long n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < 0) return std::nullopt;
  return n;
}

}  // namespace

const std::vector<std::string>& NotifyConfig::channels_for(const UnitId& unit) const {
  const auto it = units.find(unit);
  return it != units.end() ? it->second : default_channels;
}

std::string NotifyConfig::task_link(const TaskId& task) const {
  return base_url + "/#/task/" + task.str();
}

Result<NotifyConfig> parse_notify_config(std::string_view text) {
  NotifyConfig config;
  std::map<std::string, int> unit_lines;  // where each unit line was, for messages
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    for (std::size_t at = line.find('#'); at != std::string_view::npos;
         at = line.find('#', at + 1)) {
      if (at == 0 || line[at - 1] == ' ' || line[at - 1] == '\t') {
        line = line.substr(0, at);
        break;
      }
    }
    line = trim(line);
    if (line.empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return bad(line_no, "expected key = value");
    const std::string key(trim(line.substr(0, eq)));
    const std::string_view value = trim(line.substr(eq + 1));

    const auto number = [&](std::string_view what) -> Result<long long> {
      auto n = parse_number(value);
      if (!n) return bad(line_no, std::string(what) + " must be a non-negative whole number");
      return *n;
    };

    if (key == "base_url") {
      std::string url(value);
      while (!url.empty() && url.back() == '/') url.pop_back();
      config.base_url = url;
    } else if (key == "retry.max_attempts") {
      auto n = number(key);
      if (!n) return n.error();
      if (*n < 1 || *n > 100) return bad(line_no, "retry.max_attempts must be 1..100");
      config.retry.max_attempts = static_cast<int>(*n);
    } else if (key == "retry.initial_backoff_ms") {
      auto n = number(key);
      if (!n) return n.error();
      config.retry.initial_backoff = std::chrono::milliseconds(*n);
    } else if (key == "retry.max_backoff_ms") {
      auto n = number(key);
      if (!n) return n.error();
      config.retry.max_backoff = std::chrono::milliseconds(*n);
    } else if (key.starts_with("digest.")) {
      if (auto wrong = set_digest_option(config.digest, std::string_view(key).substr(7), value)) {
        return bad(line_no, *wrong);
      }
    } else if (key.starts_with("unit.")) {
      const std::string unit = key.substr(5);
      if (unit.empty()) return bad(line_no, "unit. needs a unit id (or *)");
      if (unit == "*") {
        config.default_channels = split_list(value);
      } else {
        config.units[UnitId(unit)] = split_list(value);
      }
      unit_lines[unit] = line_no;
    } else if (key.starts_with("channel.")) {
      const auto dot = key.rfind('.');
      const std::string name = key.substr(8, dot > 8 ? dot - 8 : 0);
      const std::string field = key.substr(dot + 1);
      if (name.empty() || dot <= 8) return bad(line_no, "expected channel.<name>.<field>");
      auto& channel = config.channels[name];
      channel.name = name;
      if (auto wrong = set_channel_field(channel, field, value)) return bad(line_no, *wrong);
    } else if (key.starts_with("recipient.")) {
      if (auto wrong =
              set_recipient_field(config.recipients, std::string_view(key).substr(10), value)) {
        return bad(line_no, *wrong);
      }
    } else {
      return bad(line_no, "unknown key \"" + key + "\"");
    }
  }
  if (config.base_url.empty()) {
    return make_error("bad_config", "notification configuration: base_url is missing");
  }
  for (const auto& [name, channel] : config.channels) {
    if (auto wrong = check_channel(channel)) {
      return make_error("bad_config", "notification configuration: " + *wrong);
    }
  }
  const auto check = [&](const std::string& unit,
                         const std::vector<std::string>& names) -> std::optional<Error> {
    for (const auto& n : names) {
      if (!config.channels.contains(n)) {
        return bad(unit_lines[unit], "unit." + unit + " names the unknown channel \"" + n + "\"");
      }
    }
    return std::nullopt;
  };
  if (auto e = check("*", config.default_channels)) return *e;
  for (const auto& [unit, names] : config.units) {
    if (auto e = check(unit.str(), names)) return *e;
  }
  if (auto wrong = check_recipients(config)) {
    return make_error("bad_config", "notification configuration: " + *wrong);
  }
  if (config.retry.max_backoff < config.retry.initial_backoff) {
    config.retry.max_backoff = config.retry.initial_backoff;
  }
  return config;
}

Result<NotifyConfig> load_notify_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("bad_config", "cannot read the notification configuration " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_notify_config(text.str());
}

}  // namespace duban::notify
