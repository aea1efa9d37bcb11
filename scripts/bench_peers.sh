#!/usr/bin/env bash
# Side-by-side end-to-end times of the zoo's full models, per model in one go
# (interleaved: tsopt original, tsopt optimized, PyTorch eager, PyTorch
# frozen, ONNX Runtime), then a table with the ratios
# tsopt-optimized / PyTorch-frozen and tsopt-optimized / ORT, and the same
# for the original graph (< 1: tsopt is faster). Every measurement is a separate process with the same threads.
#
#   scripts/bench_peers.sh [--models "resnet50 bert_base"] [--repeat 20]
#       [--rounds 1] [--time-limit 60] [--threads 2] [--clock wall|cpu]
#       [--budget 1000] [--search-time-limit 60]
#       [--torch-python /usr/bin/python3] [--ort-python python3]
#       [--out build/peers] [--tsopt ./build/tsopt]
#
# --clock cpu reads every time on the process CPU clock (use it with
# --threads 1): on a machine shared with other work, multi-threaded wall
# times are dominated by descheduling and OpenMP barrier waits, and only
# single-threaded CPU time compares peers fairly.
# --repeat: timed runs per measurement; --time-limit: seconds of timed runs
# per measurement at most (at least 3 runs; each process is also killed
# after time-limit + 300 s); --rounds: the whole per-model sequence is
# repeated and the median of the rounds reported. The optimized graph comes
# from `tsopt optimize --builtin NAME -o FILE` (the shipped proved rules,
# oneDNN costs measured single-threaded on the CPU clock, minimum of the
# timed batches: load only ever adds time); without the optimize command
# the optimized column is n/a. Needs ./build/tsopt (or --tsopt) (cmake --build build
# --target tsopt), PyTorch + torchvision for --torch-python and onnxruntime
# for --ort-python (Debian: python3-torch python3-torchvision
# libopenblas0-openmp, installed below when missing and run as root; pip:
# onnxruntime). Raw JSON/text of every measurement: OUT/log.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

peer_packages=(python3-torch python3-torchvision libopenblas0-openmp)
for p in "${peer_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    if [[ $(id -u) -eq 0 ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${peer_packages[@]}"
    else
      echo "bench_peers: install ${peer_packages[*]} first" >&2; exit 2
    fi
    break
  fi
done

models="resnet50 resnext50 inception_v3 squeezenet1_1 mobilenet_v2 nasnet_a nasrnn bert_base"
repeat=20 rounds=1 time_limit=60 threads=2 clock=wall budget=1000 search_limit=60
torch_py=/usr/bin/python3 ort_py=python3 out=build/peers tsopt=./build/tsopt
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) models="$2" ;;
    --repeat) repeat="$2" ;;
    --rounds) rounds="$2" ;;
    --time-limit) time_limit="$2" ;;
    --threads) threads="$2" ;;
    --clock) clock="$2" ;;
    --budget) budget="$2" ;;
    --search-time-limit) search_limit="$2" ;;
    --torch-python) torch_py="$2" ;;
    --ort-python) ort_py="$2" ;;
    --out) out="$2" ;;
    --tsopt) tsopt="$2" ;;
    *) echo "unknown flag $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift 2
done
peers=bench/peers
[[ -x $tsopt ]] || { echo "missing $tsopt: build it first" >&2; exit 1; }
mkdir -p "$out"
log="$out/log.txt"
: > "$log"
kill_after=$(awk -v t="$time_limit" 'BEGIN { print int(t + 300) }')

# Median of the numbers on stdin ("n/a" if none).
median() { sort -g | awk '{ v[NR] = $1 } END {
  if (NR == 0) { print "n/a"; exit }
  printf "%.2f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Runs a measurement command; prints its time in ms or nothing.
tsopt_ms() {
  timeout "$kill_after" "$tsopt" run --model "$1" --threads "$threads" \
    --clock "$clock" --repeat "$repeat" 2>>"$log" | tee -a "$log" |
    sed -n 's/.* on onednn: [a-z]* \([0-9.]*\) ms.*/\1/p' || true
}
peer_ms() {
  timeout "$kill_after" "$@" --threads "$threads" --clock "$clock" \
    --repeat "$repeat" --time-limit "$time_limit" 2>>"$log" | tee -a "$log" |
    sed -n 's/.*"median_ms": \([0-9.e+-]*\).*/\1/p' || true
}

echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; threads $threads, clock $clock"
echo "torch: $($torch_py -c 'import torch; print(torch.__version__)' 2>/dev/null || echo missing) ($torch_py)"
echo "onnxruntime: $($ort_py -c 'import onnxruntime; print(onnxruntime.__version__)' 2>/dev/null || echo missing) ($ort_py)"
echo
printf '| model | load | tsopt orig ms | tsopt opt ms | opt speedup | torch eager ms | torch frozen ms | ORT ms | opt/frozen | opt/ORT | orig/frozen | orig/ORT |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for m in $models; do
  echo "== $m" >> "$log"
  opt="$out/$m.opt.txt"
  rm -f "$opt"
  timeout "$kill_after" "$tsopt" optimize --builtin "$m" -o "$opt" \
    --budget "$budget" --time-limit "$search_limit" --cost onednn --cost-threads 1 --clock cpu \
    --stat min --quiet >>"$log" 2>&1 || rm -f "$opt"
  onnx="$out/$m.onnx"
  if [[ ! -s $onnx ]]; then
    timeout "$kill_after" "$torch_py" "$peers/pytorch_peer.py" \
      --model "$m" --export-onnx "$onnx" >>"$log" 2>&1 || rm -f "$onnx"
  fi
  load=$(cut -d' ' -f1 /proc/loadavg)
  declare -A t=([orig]= [opt]= [eager]= [frozen]= [ort]=)
  for ((r = 0; r < rounds; ++r)); do
    t[orig]+="$(tsopt_ms "$m") "
    if [[ -s $opt ]]; then t[opt]+="$(tsopt_ms "$opt") "; fi
    t[eager]+="$(peer_ms "$torch_py" "$peers/pytorch_peer.py" --model "$m" --mode eager) "
    t[frozen]+="$(peer_ms "$torch_py" "$peers/pytorch_peer.py" --model "$m" --mode frozen) "
    if [[ -s $onnx ]]; then
      t[ort]+="$(peer_ms "$ort_py" "$peers/ort_peer.py" --onnx "$onnx" --model "$m") "
    fi
  done
  declare -A med
  for k in orig opt eager frozen ort; do
    med[$k]=$(tr ' ' '\n' <<<"${t[$k]}" | { grep . || true; } | median)
  done
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
    if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$m" "$load" \
    "${med[orig]}" "${med[opt]}" "$(ratio "${med[orig]}" "${med[opt]}")" \
    "${med[eager]}" "${med[frozen]}" "${med[ort]}" \
    "$(ratio "${med[opt]}" "${med[frozen]}")" "$(ratio "${med[opt]}" "${med[ort]}")" \
    "$(ratio "${med[orig]}" "${med[frozen]}")" "$(ratio "${med[orig]}" "${med[ort]}")"
  unset t med
done
