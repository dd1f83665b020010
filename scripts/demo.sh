#!/usr/bin/env bash
# The main job: installs the Debian packages, builds, and runs the demo pipeline: a drifting SEA
# stream evaluated test-then-train by a Hoeffding tree, with progress and the final result.
# Extra arguments go to `streamlearn demo` (see `build/streamlearn demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install_deps.sh
./scripts/build.sh
./build/streamlearn demo "$@"
