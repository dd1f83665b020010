#!/usr/bin/env bash
# Configures and builds streamlearn. Usage: scripts/build.sh [--sanitize]
#   (default) Release build in build/
#   --sanitize  ASan+UBSan build (RelWithDebInfo) in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build
options=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  build_dir=build-asan
  options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSL_SANITIZE=ON -DSL_BUILD_BENCH=OFF)
fi
cmake -S . -B "$build_dir" -G Ninja "${options[@]}" >/dev/null
ninja -C "$build_dir" -j "${SL_JOBS:-2}"
