#!/usr/bin/env python3
"""ONNX Runtime peer: times an ONNX file (exported by pytorch_peer.py) on the
CPU execution provider with every graph optimization enabled, and prints one
JSON line. Inputs are random floats of the file's input shapes.

    ort_peer.py --onnx /tmp/resnet50.onnx --model resnet50 --threads 2
"""

import argparse
import json
import os
import sys

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from timing import time_runs  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--onnx", required=True)
    p.add_argument("--model", default="", help="name for the report")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="cpu: process CPU time (use with --threads 1)")
    p.add_argument("--time-limit", type=float, default=60.0)
    args = p.parse_args()
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(args.onnx, so,
                                providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    feeds = {i.name: rng.uniform(-1, 1, i.shape).astype(np.float32)
             for i in sess.get_inputs()}
    result = time_runs(lambda: sess.run(None, feeds), args.repeat,
                       args.time_limit, args.clock)
    result.update(peer="onnxruntime", model=args.model, threads=args.threads,
                  onnxruntime=ort.__version__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
