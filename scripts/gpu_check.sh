#!/usr/bin/env bash
# gpu_check.sh: the cuDNN backend's checks and figures, for a machine with an
# NVIDIA GPU (run from the repository root, e.g. on the device machine).
#
#   scripts/gpu_check.sh [all|build|test|figures] [OUTDIR]
#
#   build    configure build-gpu/ (Release, TSOPT_WITH_CUDNN=ON) and build the
#            CLI, the cuDNN tests and, if present, the benchmarks
#   test     run tsopt_cudnn_tests and tsopt_error_tests (GPU tests must run,
#            not skip: the script fails if any test of the suite is skipped)
#   figures  per model: the cuDNN cost-model total (tsopt cost --cost cudnn)
#            and the end-to-end GPU time with a check against the reference
#            (tsopt run --backend cudnn --check); then the cuDNN benchmarks
#            of bench/ if there are any
#   all      the three in order (the default)
#
# Everything goes to OUTDIR (default: $OUT if set, else gpu-check-out/):
# gpu_figures.txt (device, versions, one line per model), the test log and
# the raw command outputs. Models missing from this build's CLI are
# reported as such and skipped. Each step stays well under 10 minutes on
# 16 cores.
set -u -o pipefail

STEP="${1:-all}"
OUTDIR="${2:-${OUT:-gpu-check-out}}"
BUILD=build-gpu
JOBS="$(nproc)"
mkdir -p "$OUTDIR"
FIG="$OUTDIR/gpu_figures.txt"
# TASO's benchmark networks first, then the small pieces.
MODELS="resnext50 nasnet_a bert_base inception_v3 squeezenet1_1 resnet50 \
mobilenet_v2 nasrnn resnet_block resnext_block bert_layer"

log() { echo "[gpu_check] $*" >&2; }

do_build() {
  log "configure + build in $BUILD ($JOBS jobs)"
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTSOPT_WITH_CUDNN=ON \
      >"$OUTDIR/cmake.log" 2>&1 || { tail -30 "$OUTDIR/cmake.log"; return 1; }
  local targets="tsopt_cli tsopt_cudnn_tests tsopt_error_tests"
  if grep -q "^tsopt_bench" <(cmake --build "$BUILD" --target help 2>/dev/null \
        | sed -n 's/^\.\.\. //p'); then
    targets="$targets $(cmake --build "$BUILD" --target help \
        | sed -n 's/^\.\.\. \(tsopt_bench[a-z_]*\).*/\1/p' | tr '\n' ' ')"
  fi
  cmake --build "$BUILD" -j"$JOBS" --target $targets \
      >"$OUTDIR/build.log" 2>&1 || { tail -40 "$OUTDIR/build.log"; return 1; }
  log "build OK"
}

do_test() {
  nvidia-smi >"$OUTDIR/nvidia_smi.txt" 2>&1 || true
  log "tsopt_cudnn_tests"
  "$BUILD/tests/tsopt_cudnn_tests" --gtest_brief=0 \
      >"$OUTDIR/cudnn_tests.log" 2>&1
  local rc=$?
  "$BUILD/tests/tsopt_error_tests" --gtest_filter='Cudnn*' \
      >>"$OUTDIR/cudnn_tests.log" 2>&1 || rc=1
  grep -E "^\[  (PASSED|FAILED|SKIPPED) " "$OUTDIR/cudnn_tests.log" >&2
  # Without-GPU tests skip by design on a GPU; any other skip means the GPU
  # was not usable.
  if grep -q "no usable GPU" "$OUTDIR/cudnn_tests.log"; then
    log "GPU tests skipped: no usable GPU"
    rc=1
  fi
  log "tests rc=$rc"
  return $rc
}

do_figures() {
  local cli="$BUILD/tsopt"
  {
    echo "# cuDNN backend figures ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null))"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null \
        | sed 's/^/# gpu: /'
    echo "# model | cudnn cost total ms | gpu end-to-end median ms | check vs reference"
  } >"$FIG"
  for m in $MODELS; do
    local cost_out="$OUTDIR/cost_$m.txt" run_out="$OUTDIR/run_$m.txt"
    "$cli" cost --model "$m" --cost cudnn --cache "$OUTDIR/costs.txt" \
        >"$cost_out" 2>"$cost_out.err"
    local crc=$?
    "$cli" run --model "$m" --backend cudnn --check --repeat 5 \
        >"$run_out" 2>"$run_out.err"
    local rrc=$?
    local total e2e check
    total="$(sed -n 's/^total: \([0-9.]*\) ms/\1/p' "$cost_out")"
    e2e="$(sed -n 's/.*: median \([0-9.]*\) ms.*/\1/p' "$run_out")"
    check="$(sed -n 's/^check vs reference: \(.*\)/\1/p' "$run_out")"
    if [ $crc -ne 0 ]; then total="error: $(tail -1 "$cost_out.err")"; fi
    if [ $rrc -eq 2 ]; then e2e="error: $(tail -1 "$run_out.err")"; fi
    echo "$m | ${total:-?} | ${e2e:-?} | ${check:-?}" | tee -a "$FIG" >&2
  done
  for b in "$BUILD"/bench/tsopt_bench*; do
    [ -x "$b" ] || continue
    log "benchmark $b (cuDNN parts)"
    "$b" --benchmark_filter='[Cc]udnn|[Gg]pu' \
        --benchmark_out="$OUTDIR/$(basename "$b")_cudnn.json" \
        --benchmark_out_format=json >>"$FIG" 2>&1 || true
  done
  log "figures in $FIG"
}

case "$STEP" in
  build) do_build ;;
  test) do_test ;;
  figures) do_figures ;;
  all) do_build && do_test; rc=$?; do_figures; exit $rc ;;
  *) echo "usage: $0 [all|build|test|figures] [OUTDIR]" >&2; exit 2 ;;
esac
