// `--units FILE`: the unit directory a command reads unit names with (the format of
// data/units.tsv). Without it a command on a log uses the directory recorded in the log by the
// ingests (service/unit_directory_log.h), else the built-in one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"
#include "service/unit_directory_log.h"

namespace duban::app {

constexpr const char* kUnitsHelp =
    "the unit directory to read unit names with: a TSV in the format of data/units.tsv (e.g. "
    "data/units-state-council.tsv). Default: the one recorded in the log by its ingests, else "
    "the built-in one (data/units.tsv)";

// The text of the --units file, checked: nullopt when `path` is empty. Errors: "unreadable",
// and "bad_unit_directory" naming the file and the line ("x.tsv: unit directory line 3: …").
Result<std::optional<service::DirectoryText>> read_units_file(
    const std::optional<std::string>& path);

}  // namespace duban::app

namespace duban::app {

// The directory a command on a log names units with when it has no --units: the one recorded
// in the log, else the built-in one. Prints the error, prefixed with `command`, and returns
// nullopt when the log's directory cannot be read.
std::optional<gazette::UnitDirectory> log_units(storage::EventStore& store,
                                                std::string_view command);

}  // namespace duban::app
