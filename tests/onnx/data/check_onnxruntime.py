#!/usr/bin/env python3
"""Round-trips the generated models through tsopt and checks them in ONNX
Runtime: the tsopt output must pass the ONNX checker (full check) and give
the same outputs as the original model, within tolerance.

    python3 tests/onnx/data/check_onnxruntime.py --tsopt build/tsopt \
        [--dir tests/onnx/data/generated] [--command convert] [--atol 1e-4]

--command picks the tsopt subcommand that writes the output model
("convert": import + export; "optimize" once it exists). Exit code 1 if
any model fails. Needs pip onnx and onnxruntime.
"""
import argparse
import glob
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort


def run(path, feeds):
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--tsopt", required=True)
    parser.add_argument("--dir", default=os.path.join(here, "generated"))
    parser.add_argument("--command", default="convert")
    parser.add_argument("--atol", type=float, default=1e-4)
    args = parser.parse_args()
    models = sorted(p for p in glob.glob(os.path.join(args.dir, "*.onnx"))
                    if not p.endswith(".tsopt.onnx"))
    if not models:
        print(f"no models in {args.dir}; run export_models.py first")
        return 1
    failed = 0
    rng = np.random.default_rng(0)
    for path in models:
        out = path[:-len(".onnx")] + ".tsopt.onnx"
        proc = subprocess.run([args.tsopt, args.command, path, "-o", out],
                              capture_output=True, text=True)
        name = os.path.basename(path)
        if proc.returncode != 0:
            print(f"FAIL {name}: tsopt exit {proc.returncode}: "
                  f"{proc.stderr.strip()}")
            failed += 1
            continue
        onnx.checker.check_model(onnx.load(out), full_check=True)
        sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        feeds = {i.name: rng.uniform(-1, 1, i.shape).astype(np.float32)
                 for i in sess.get_inputs()}
        want = sess.run(None, feeds)
        got = run(out, feeds)
        diff = max(float(np.max(np.abs(a - b))) for a, b in zip(got, want))
        scale = max(float(np.max(np.abs(b))) for b in want)
        ok = diff <= args.atol * max(1.0, scale)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name}: max |tsopt - original| = "
              f"{diff:.3g} (output scale {scale:.3g})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
