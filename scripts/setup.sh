#!/usr/bin/env bash
# Sets up tsopt on Debian 12: installs the Debian packages it builds with
# (only when missing; needs root or sudo), then configures and builds it in
# ./build. Idempotent: a second run only rebuilds what changed.
#
#   bash scripts/setup.sh            # Release build in ./build
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  build-essential cmake pkg-config
  libeigen3-dev          # reference kernels
  libdnnl-dev            # oneDNN: CPU cost model and executor
  libabsl-dev            # Status, containers
  libgtest-dev libgmock-dev libbenchmark-dev
  libz3-dev              # verifier
  libonnx-dev libonnx-testdata libprotobuf-dev protobuf-compiler
  clang-14 libclang-rt-14-dev   # libFuzzer target for the ONNX importer
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

JOBS=${JOBS:-$(nproc)}
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$JOBS"
