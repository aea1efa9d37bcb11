#!/bin/bash
# Split as a view on one BERT layer (sequence 128): the layer optimized by
# each build's analytic model (BEFORE: biased matmuls; AFTER: the same plus
# the Q/K/V merge, merge-matmuls-bias x2), each run on both builds'
# executors, alternating, ROUNDS rounds (1 thread, process CPU clock, the
# minimum of 20 executions per process). The merged graph on BEFORE copies
# its splits on the reference kernel; on AFTER they are views.
#
#   bench/split_view_layer.sh BEFORE/tsopt AFTER/tsopt OUTDIR [ROUNDS]
set -euo pipefail
before=$1 after=$2 out=$3 rounds=${4:-6}
mkdir -p "$out"
"$before" optimize --builtin bert_layer --cost analytic --budget 300 --quiet \
  -o "$out/bert_layer_before.txt" > /dev/null
"$after" optimize --builtin bert_layer --cost analytic --budget 300 --quiet \
  -o "$out/bert_layer_after.txt" > /dev/null
echo "round graph executor min_ms" | tee "$out/layer_times.txt"
for r in $(seq 1 "$rounds"); do
  for graph in before after; do
    for exe in before after; do
      bin=$before
      [[ $exe == after ]] && bin=$after
      t=$("$bin" run --model "$out/bert_layer_$graph.txt" --threads 1 \
            --clock cpu --stat min --repeat 20 |
          sed -n 's/.* on onednn: min \([0-9.]*\) ms.*/\1/p')
      echo "$r $graph $exe $t" | tee -a "$out/layer_times.txt"
    done
  done
done
