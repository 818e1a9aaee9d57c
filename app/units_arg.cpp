#include "app/units_arg.h"

#include "app/input_file.h"

#include <iostream>

namespace duban::app {

Result<std::optional<service::DirectoryText>> read_units_file(
    const std::optional<std::string>& path) {
  if (!path) return std::optional<service::DirectoryText>();
  auto tsv = read_input_file(*path);
  if (!tsv) return tsv.error();
  service::DirectoryText text{std::move(*tsv), *path};
  if (auto parsed = service::parse_directory(text); !parsed) return parsed.error();
  return std::optional<service::DirectoryText>(std::move(text));
}

}  // namespace duban::app

namespace duban::app {

std::optional<gazette::UnitDirectory> log_units(storage::EventStore& store,
                                                std::string_view command) {
  auto chosen = service::choose_directory(store, std::nullopt);
  if (!chosen) {
    std::cerr << command << ": " << chosen.error().message << "\n";
    return std::nullopt;
  }
  return std::move(chosen->directory);
}

}  // namespace duban::app
