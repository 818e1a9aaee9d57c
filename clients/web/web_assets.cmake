# The web inbox page, compiled into `duban serve` (server/api/static_files.h).
#
# Included by server/CMakeLists.txt (the server is what serves the page, and the files must be
# in the binary whether or not clients/ joins the build). Defines duban_web_assets: a library
# with one generated .cpp holding every file under clients/web/ that the page needs
# (index.html, app/*) as byte arrays, regenerated when any of them changes.

set(DUBAN_WEB_DIR ${CMAKE_CURRENT_LIST_DIR})
file(GLOB_RECURSE DUBAN_WEB_FILES CONFIGURE_DEPENDS
  ${DUBAN_WEB_DIR}/index.html ${DUBAN_WEB_DIR}/app/*)
set(DUBAN_WEB_CPP ${PROJECT_BINARY_DIR}/generated/web_assets.cpp)

add_custom_command(
  OUTPUT ${DUBAN_WEB_CPP}
  COMMAND ${CMAKE_COMMAND} -DSRC_DIR=${DUBAN_WEB_DIR} -DOUT=${DUBAN_WEB_CPP}
          "-DFILES=${DUBAN_WEB_FILES}" -P ${DUBAN_WEB_DIR}/embed_files.cmake
  DEPENDS ${DUBAN_WEB_FILES} ${DUBAN_WEB_DIR}/embed_files.cmake
  COMMENT "Embedding the web page (clients/web) into web_assets.cpp"
  VERBATIM)

duban_library(duban_web_assets SOURCES ${DUBAN_WEB_CPP})
