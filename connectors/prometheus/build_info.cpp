#include "connectors/prometheus/build_info.h"

#include "sl_build_info.h"  // generated into the build tree: SL_BUILD_VERSION, SL_BUILD_GIT_COMMIT

namespace streamlearn::connectors {

std::string_view build_version() { return SL_BUILD_VERSION; }
std::string_view build_git_commit() { return SL_BUILD_GIT_COMMIT; }

}  // namespace streamlearn::connectors
