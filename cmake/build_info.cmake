# Writes sl_build_info.h (SL_BUILD_VERSION, SL_BUILD_GIT_COMMIT) into OUTPUT_DIR, only when its
# content changes, so that a build after a new commit recompiles one file and an unchanged tree
# recompiles nothing. Run at every build by the sl_build_info target (CMakeLists.txt).
# Inputs: SOURCE_DIR, OUTPUT_DIR, VERSION.
set(commit "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
  execute_process(COMMAND "${GIT_EXECUTABLE}" rev-parse --short=12 HEAD
                  WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE head
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
  if(NOT failed AND head)
    set(commit "${head}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" status --porcelain --untracked-files=no
                    WORKING_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE changes ERROR_QUIET)
    if(changes)
      string(APPEND commit "-dirty")
    endif()
  endif()
endif()
set(content "#pragma once\n#define SL_BUILD_VERSION \"${VERSION}\"\n#define SL_BUILD_GIT_COMMIT \"${commit}\"\n")
set(path "${OUTPUT_DIR}/sl_build_info.h")
if(EXISTS "${path}")
  file(READ "${path}" previous)
endif()
if(NOT previous STREQUAL content)
  file(WRITE "${path}" "${content}")
endif()
