#!/usr/bin/env python3
"""The full check of the generated models: tsopt imports each one, optimizes
it with the shipped rules and exports it; the result must pass the ONNX
checker (full check), keep the original's input and output names and types,
load in ONNX Runtime and give the original model's outputs (in ONNX Runtime)
within tolerance: |tsopt - original| <= atol * max(1, max |original|) for
float outputs (default atol 1e-4), exactly for integer outputs.

    python3 tests/onnx/data/check_onnxruntime.py --tsopt build/tsopt \
        [--dir tests/onnx/data/generated] [--atol 1e-4] [names]

Exit code 1 if any model fails, 77 (ctest's skip) if there are no models.
Needs numpy, onnx and onnxruntime (scripts/setup_python_peers.sh).
"""
import argparse
import glob
import os
import subprocess
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort

# Analytic costs (deterministic, no measuring); a small search per model.
OPTIMIZE_FLAGS = ["--cost", "analytic", "--budget", "20", "--time-limit", "20",
                  "--quiet"]


def signature(model):
    def info(v):
        t = v.type.tensor_type
        return (v.name, t.elem_type)
    return ([info(i) for i in model.graph.input],
            [info(o) for o in model.graph.output])


def check(tsopt, path, atol, rng):
    name = os.path.basename(path)
    out = path[:-len(".onnx")] + ".tsopt.onnx"
    start = time.time()
    proc = subprocess.run([tsopt, "optimize", path, "-o", out] + OPTIMIZE_FLAGS,
                          capture_output=True, text=True)
    seconds = time.time() - start
    if proc.returncode != 0:
        return f"tsopt optimize exit {proc.returncode}: {proc.stderr.strip()}"
    rewrites = [l for l in proc.stdout.splitlines() if l.startswith("rewrites:")]
    optimized = onnx.load(out)
    onnx.checker.check_model(optimized, full_check=True)
    original = onnx.load(path)
    if signature(optimized) != signature(original):
        return (f"inputs/outputs differ: {signature(optimized)} vs "
                f"{signature(original)}")
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    feeds = {i.name: rng.uniform(-1, 1, i.shape).astype(np.float32)
             for i in sess.get_inputs()}
    want = sess.run(None, feeds)
    got = ort.InferenceSession(
        out, providers=["CPUExecutionProvider"]).run(None, feeds)
    worst = 0.0
    for k, (a, b) in enumerate(zip(got, want)):
        if a.shape != b.shape or a.dtype != b.dtype:
            return f"output {k}: {a.dtype}{a.shape} vs {b.dtype}{b.shape}"
        if np.issubdtype(b.dtype, np.integer):
            if not np.array_equal(a, b):
                return f"output {k}: {np.sum(a != b)} integers differ"
            continue
        diff = float(np.max(np.abs(a - b))) if a.size else 0.0
        scale = max(1.0, float(np.max(np.abs(b))) if b.size else 0.0)
        worst = max(worst, diff / scale)
        if diff > atol * scale:
            return (f"output {k}: max |tsopt - original| = {diff:.3g} "
                    f"> {atol} * {scale:.3g}")
    print(f"ok   {name}: max |tsopt - original| / max(1, scale) = "
          f"{worst:.3g} (tolerance {atol}); optimize {seconds:.1f} s; "
          f"{rewrites[0] if rewrites else ''}")
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--tsopt", required=True)
    parser.add_argument("--dir", default=os.path.join(here, "generated"))
    parser.add_argument("--atol", type=float, default=1e-4)
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    models = sorted(p for p in glob.glob(os.path.join(args.dir, "*.onnx"))
                    if not p.endswith(".tsopt.onnx"))
    if args.names:
        models = [p for p in models
                  if os.path.basename(p)[:-len(".onnx")] in args.names]
    if not models:
        print(f"SKIP: no models in {args.dir} (the export_models.py fixture "
              "did not run or was skipped)")
        return 77
    failed = 0
    rng = np.random.default_rng(0)
    for path in models:
        try:
            error = check(args.tsopt, path, args.atol, rng)
        except Exception as e:  # the checker or ONNX Runtime refused it
            error = f"{type(e).__name__}: {e}"
        if error:
            print(f"FAIL {os.path.basename(path)}: {error}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
