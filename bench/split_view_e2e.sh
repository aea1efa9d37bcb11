#!/bin/bash
# Split as a view, before/after, end to end: BERT-base and NasNet-A, the
# original graph and each build's optimized graphs, each run on both
# builds' oneDNN executors, alternating in one run (1 thread, process CPU
# clock, the minimum of 10 executions per process, ROUNDS rounds).
#
#   bench/split_view_e2e.sh BEFORE/tsopt AFTER/tsopt OUTDIR [ROUNDS]
#
# BEFORE is a build without the change (Split copies on the reference
# kernel), AFTER one with it. Each build optimizes each model with its own
# cost models: the analytic one (deterministic: the graphs differ only by
# how each build prices Split) and its measured oneDNN one (minimum per
# signature, cache OUTDIR/cost_cache.txt; the two builds' entries have
# different environment keys, layouts=v2 and v3). BERT-base with the
# shipped rules, budget 300, 60 s; NasNet-A with rules/taso_handwritten.rules
# (whose conv merges the search reaches on it), 90 s.
set -euo pipefail
before=$1 after=$2 out=$3 rounds=${4:-3}
mkdir -p "$out"
onednn=(--cost onednn --cost-threads 1 --clock cpu --stat min
        --cache "$out/cost_cache.txt")
for tag in before after; do
  bin=$before
  [[ $tag == after ]] && bin=$after
  for cost in analytic onednn; do
    args=(--cost analytic)
    [[ $cost == onednn ]] && args=("${onednn[@]}")
    "$bin" optimize --builtin bert_base "${args[@]}" --quiet --budget 300 --time-limit 60 \
      -o "$out/bert_base_${tag}_${cost}.txt" \
      --report "$out/bert_base_${tag}_${cost}.json"
    "$bin" optimize --builtin nasnet_a "${args[@]}" --quiet --budget 1000 \
      --time-limit 90 --rules rules/taso_handwritten.rules \
      -o "$out/nasnet_a_${tag}_${cost}.txt" \
      --report "$out/nasnet_a_${tag}_${cost}.json"
  done
done

run() {  # bin model-or-file -> "min_ms"
  "$1" run --model "$2" --threads 1 --clock cpu --stat min --repeat 10 |
    sed -n 's/.* on onednn: min \([0-9.]*\) ms.*/\1/p'
}
echo "round model graph executor min_ms" | tee "$out/times.txt"
for r in $(seq 1 "$rounds"); do
  for model in bert_base nasnet_a; do
    graphs=(original)
    for tag in before after; do
      graphs+=("${model}_${tag}_analytic" "${model}_${tag}_onednn")
    done
    for graph in "${graphs[@]}"; do
      src=$model
      [[ $graph != original ]] && src="$out/$graph.txt"
      for exe in before after; do
        bin=$before
        [[ $exe == after ]] && bin=$after
        echo "$r $model $graph $exe $(run "$bin" "$src")" | tee -a "$out/times.txt"
      done
    done
  done
done
