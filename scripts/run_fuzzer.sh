#!/usr/bin/env bash
# Builds the ONNX importer libFuzzer target with clang (ASan + UBSan) in
# build-fuzz/ and runs it for N seconds (default 60) on a copy of the seed
# corpus fuzz/corpus/onnx, with a fixed seed (-seed=1: the same mutations
# in every run, as far as the time bound reaches). Crashing inputs are
# written to build-fuzz/.
#   scripts/run_fuzzer.sh [SECONDS]
# Needs clang-14 and libclang-rt-14-dev (scripts/setup.sh installs them).
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${root}/build-fuzz"
CC=clang-14 CXX=clang++-14 cmake -S "${root}" -B "${build}" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTSOPT_BUILD_FUZZERS=ON \
  -DTSOPT_BUILD_TESTS=OFF -DTSOPT_BUILD_BENCH=OFF -DTSOPT_WITH_CUDNN=OFF \
  >/dev/null
cmake --build "${build}" -j "${JOBS:-2}" --target onnx_import_fuzzer
corpus="${build}/corpus"
mkdir -p "${corpus}"
cp -n "${root}"/fuzz/corpus/onnx/* "${corpus}/" 2>/dev/null || true
cd "${build}"
ASAN_OPTIONS=detect_leaks=0 ./fuzz/onnx_import_fuzzer "${corpus}" \
  -max_total_time="${seconds}" -rss_limit_mb=2048 -max_len=65536 \
  -timeout=10 -seed=1 -print_final_stats=1
