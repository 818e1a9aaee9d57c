# One helper per target kind, so every target gets the same warnings and sanitizer flags.
#
#   duban_library(NAME SOURCES ... [DEPS ...] [PUBLIC_DEPS ...])
#   duban_executable(NAME SOURCES ... [DEPS ...])
#   duban_test(NAME SOURCES ... [DEPS ...])        GoogleTest binary, discovered by CTest

function(_duban_apply_flags target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()

function(duban_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} PUBLIC ${ARG_PUBLIC_DEPS})
  _duban_apply_flags(${name})
endfunction()

function(duban_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  _duban_apply_flags(${name})
endfunction()

function(duban_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    DUBAN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DUBAN_BINARY="$<TARGET_FILE:duban>")
  _duban_apply_flags(${name})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
endfunction()
