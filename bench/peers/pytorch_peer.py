#!/usr/bin/env python3
"""PyTorch peer: times one zoo model (bench/peers/torch_models.py) on the CPU,
eager or frozen (torch.jit.trace + torch.jit.freeze +
torch.jit.optimize_for_inference), and prints one JSON line; or exports it
to ONNX for the ONNX Runtime peer (bench/peers/ort_peer.py).

    pytorch_peer.py --model resnet50 --mode frozen --threads 2 --repeat 30
    pytorch_peer.py --model resnet50 --export-onnx /tmp/resnet50.onnx
"""

import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_models  # noqa: E402
from timing import time_runs  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True, choices=torch_models.MODELS)
    p.add_argument("--mode", choices=["eager", "frozen"], default="frozen")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                   help="cpu: process CPU time (use with --threads 1)")
    p.add_argument("--time-limit", type=float, default=60.0,
                   help="seconds of timed runs at most (>= 3 runs)")
    p.add_argument("--export-onnx", metavar="PATH")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    model, inputs = torch_models.build(args.model)
    with torch.no_grad():
        if args.export_onnx:
            torch.onnx.export(model, inputs, args.export_onnx,
                              opset_version=13,
                              input_names=[f"in{i}" for i in range(len(inputs))])
            return
        if args.mode == "frozen":
            model = torch.jit.optimize_for_inference(
                torch.jit.freeze(torch.jit.trace(model, inputs)))
        result = time_runs(lambda: model(*inputs), args.repeat,
                           args.time_limit, args.clock)
    result.update(peer=f"pytorch-{args.mode}", model=args.model,
                  threads=args.threads, torch=torch.__version__)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
