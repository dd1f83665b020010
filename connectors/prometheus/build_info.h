#pragma once

/// The version and git commit of this build, for `streamlearn_build_info` and `--version`. The
/// commit is read at build time (cmake/build_info.cmake writes the generated header whenever HEAD
/// moves); "unknown" outside a git checkout, with "-dirty" appended for uncommitted changes.

#include <string_view>

namespace streamlearn::connectors {

std::string_view build_version();
std::string_view build_git_commit();

}  // namespace streamlearn::connectors
