#!/usr/bin/env bash
# Installs every Debian bookworm package streamlearn needs to build, test and run: the toolchain,
# CMake and Ninja, the libraries, and the servers the tests start (Prometheus). Idempotent: prints
# what it installs, and does nothing when everything is present. Run as root (or with sudo).
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git ca-certificates
  # libraries
  zlib1g-dev libsimdjson-dev nlohmann-json3-dev libboost-dev libboost-program-options-dev
  librdkafka-dev prometheus-cpp-dev libcurl4-openssl-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev kcat prometheus
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install_deps: all ${#packages[@]} packages are present; nothing to do"
  exit 0
fi

echo "install_deps: installing ${#missing[@]} packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install_deps: done"
