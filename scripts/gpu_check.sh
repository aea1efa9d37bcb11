#!/usr/bin/env bash
# gpu_check.sh: the cuDNN backend's checks and figures, for a machine with an
# NVIDIA GPU (run from the repository root, e.g. on the device machine).
#
#   scripts/gpu_check.sh [all|build|test|figures] [OUTDIR] [MODEL...]
#
#   build    configure build-gpu/ (Release, TSOPT_WITH_CUDNN=ON) and build the
#            CLI, the cuDNN tests and, if present, the benchmarks
#   test     run tsopt_cudnn_tests and tsopt_error_tests (GPU tests must run,
#            not skip: the script fails if any test of the suite is skipped)
#   figures  per model: the cuDNN cost-model total (tsopt cost --cost cudnn);
#            the search's cost before -> after (tsopt optimize --cost cudnn,
#            when this build has it); the end-to-end GPU time of the
#            original and the optimized graph, each checked against the
#            reference (tsopt run --backend cudnn --check); then the cuDNN
#            benchmarks of bench/ (tsopt_bench --benchmark_filter=Cudnn)
#   all      the three in order (the default)
#
# Everything goes to OUTDIR (default gpu-check-out/): gpu_figures.txt
# (device, versions, one line per model), the test log and the raw command
# outputs. When $OUT is set (the device machine), the few summary files are
# also copied there (it returns at most 8 files). A model this build cannot
# load or optimize gets an "error: ..." cell, and the others go on. The
# device tool limits a command to 10 minutes: run build+test in one call and
# figures for a few models per call (optimize alone is limited to 60 s).
set -u -o pipefail

STEP="${1:-all}"
OUTDIR="${2:-gpu-check-out}"
shift 2 2>/dev/null || shift $#
BUILD=build-gpu
JOBS="$(nproc)"
mkdir -p "$OUTDIR"
FIG="$OUTDIR/gpu_figures.txt"
# TASO's benchmark networks first, then the small pieces.
# (Extra arguments replace the list.)
MODELS="${*:-resnext50 nasnet_a bert_base inception_v3 squeezenet1_1 resnet50 \
resnet_block bert_layer}"

log() { echo "[gpu_check] $*" >&2; }

do_build() {
  log "configure + build in $BUILD ($JOBS jobs)"
  cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTSOPT_WITH_CUDNN=ON \
      >"$OUTDIR/cmake.log" 2>&1 || { tail -30 "$OUTDIR/cmake.log"; return 1; }
  local targets="tsopt_cli tsopt_cudnn_tests tsopt_error_tests"
  if [ -f bench/CMakeLists.txt ]; then targets="$targets tsopt_bench"; fi
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
  grep -E "^\[  (PASSED|FAILED) |^\[  SKIPPED \] [0-9]+ test" \
      "$OUTDIR/cudnn_tests.log" >&2
  # Without-GPU tests skip by design on a GPU; any other skip means the GPU
  # was not usable.
  if grep -q "no usable GPU" "$OUTDIR/cudnn_tests.log"; then
    log "GPU tests skipped: no usable GPU"
    rc=1
  fi
  log "tests rc=$rc"
  return $rc
}

# `tsopt optimize` (when this build has it) with the cuDNN cost model:
# prints "cost: A ms -> B ms (Rx)" and writes the optimized graph.
optimize_model() {
  local m="$1" out="$OUTDIR/opt_$m.txt"
  "$BUILD/tsopt" optimize --builtin "$m" --cost cudnn --time-limit 60 \
      -o "$out" >"$OUTDIR/optimize_$m.txt" 2>"$OUTDIR/optimize_$m.err" \
      || { echo "error: $(tail -1 "$OUTDIR/optimize_$m.err")"; return 1; }
  sed -n 's/^cost: *//p' "$OUTDIR/optimize_$m.txt"
}

# "median ms | check" of `tsopt run --backend cudnn --check` on a model or
# graph file.
run_model() {
  local m="$1" tag="$2" out="$OUTDIR/run_$2.txt"
  "$BUILD/tsopt" run --model "$m" --backend cudnn --check --repeat 5 \
      >"$out" 2>"$out.err"
  if [ $? -eq 2 ]; then echo "error: $(tail -1 "$out.err") | -"; return; fi
  echo "$(sed -n 's/.*: median \([0-9.]*\) ms.*/\1/p' "$out") | $(sed -n 's/^check vs reference: .*: \([A-Z]*\) .*/\1/p' "$out")"
}

do_figures() {
  {
    echo "# cuDNN backend figures ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null))"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null \
        | sed 's/^/# gpu: /'
    echo "# model | cudnn cost total ms | optimize: cost before -> after | original: e2e median ms | check | optimized: e2e median ms | check"
  } >"$FIG"
  for m in $MODELS; do
    local cost_out="$OUTDIR/cost_$m.txt" total opt orig optimized="- | -"
    "$BUILD/tsopt" cost --model "$m" --cost cudnn --cache "$OUTDIR/costs.txt" \
        >"$cost_out" 2>"$cost_out.err"
    if [ $? -eq 0 ]; then
      total="$(sed -n 's/^total: \([0-9.]*\) ms/\1/p' "$cost_out")"
    else
      total="error: $(tail -1 "$cost_out.err")"
    fi
    orig="$(run_model "$m" "$m")"
    if opt="$(optimize_model "$m")"; then
      optimized="$(run_model "$OUTDIR/opt_$m.txt" "opt_$m")"
    fi
    echo "$m | $total | $opt | $orig | $optimized" | tee -a "$FIG" >&2
  done
  if [ -x "$BUILD/bench/tsopt_bench" ]; then
    log "benchmarks (cuDNN parts)"
    "$BUILD/bench/tsopt_bench" --benchmark_filter=Cudnn \
        --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
        --benchmark_out="$OUTDIR/cudnn_bench.json" \
        --benchmark_out_format=json >>"$FIG" 2>&1 || true
  fi
  log "figures in $FIG"
}

# Copies the summary files to $OUT when it is set.
collect() {
  [ -n "${OUT:-}" ] || return 0
  for f in gpu_figures.txt cudnn_tests.log cudnn_bench.json nvidia_smi.txt \
           build.log; do
    [ -f "$OUTDIR/$f" ] && cp "$OUTDIR/$f" "$OUT/"
  done
  return 0
}

rc=0
case "$STEP" in
  build) do_build || rc=$? ;;
  test) do_test || rc=$? ;;
  figures) do_figures || rc=$? ;;
  all) { do_build && do_test; } || rc=1; do_figures ;;
  *) echo "usage: $0 [all|build|test|figures] [OUTDIR] [MODEL...]" >&2
     exit 2 ;;
esac
collect
exit $rc
