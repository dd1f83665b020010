#!/usr/bin/env bash
# The test command: installs the Debian packages, builds, and runs the whole test suite.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: the same suite under ASan+UBSan)
# Tests that need ../shared (datasets, River reference results) find it through SL_SHARED_DIR
# (default: ../shared next to the repository) and skip with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
./scripts/build.sh "$@"
build_dir=build
if [ "${1:-}" = "--sanitize" ]; then
  build_dir=build-asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
ctest --test-dir "$build_dir" --output-on-failure -j 2
