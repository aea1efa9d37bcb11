#!/usr/bin/env python3
"""Exports the test models to ONNX (random weights, nothing downloaded).

    python3 tests/onnx/data/export_models.py [--out DIR] [--opset N] [names]

Writes DIR/<name>.onnx (default DIR: tests/onnx/data/generated, ignored by
git) for torchvision ResNet-18, MobileNetV2, SqueezeNet 1.0, Inception v3
(small inputs where the architecture allows, batch 1), a small BERT encoder
(transformers, random config), and "opaque_ops": a conv net around two
standard operators tsopt does not support (Hardmax, TopK; built with
onnx.helper). Needs torch, torchvision (Debian's python3-torch works),
transformers and onnx; scripts/setup_python_peers.sh installs them. ctest
runs it as a fixture into the build tree (tests/CMakeLists.txt).
"""
import argparse
import inspect
import os
import sys

import numpy as np
import torch


def resnet():
    import torchvision
    return torchvision.models.resnet18(weights=None), (1, 3, 64, 64)


def mobilenet():
    import torchvision
    return torchvision.models.mobilenet_v2(weights=None), (1, 3, 64, 64)


def squeezenet():
    import torchvision
    return torchvision.models.squeezenet1_0(weights=None), (1, 3, 64, 64)


def inception():
    import torchvision
    model = torchvision.models.inception_v3(weights=None, aux_logits=False,
                                           init_weights=True)
    return model, (1, 3, 96, 96)  # at least 75x75


class BertEncoder(torch.nn.Module):
    """The encoder stack of BERT on embedded input (float [1, 32, 128])."""

    def __init__(self):
        super().__init__()
        from transformers import BertConfig, BertModel
        config = BertConfig(hidden_size=128, num_hidden_layers=2,
                            num_attention_heads=2, intermediate_size=512,
                            attn_implementation="eager")
        self.encoder = BertModel(config).encoder

    def forward(self, hidden):
        return self.encoder(hidden)[0]


def bert():
    return BertEncoder(), (1, 32, 128)


def write_opaque_ops(path, opset):
    """conv -> relu -> Hardmax -> conv -> relu -> TopK(k=3): outputs the
    relu of the values and the INT64 indices."""
    from onnx import TensorProto, helper, numpy_helper, save
    rng = np.random.default_rng(0)
    init = [numpy_helper.from_array(
                rng.uniform(-0.3, 0.3, (8, 4, 3, 3)).astype(np.float32), "w1"),
            numpy_helper.from_array(
                rng.uniform(-0.5, 0.5, (8, 8, 1, 1)).astype(np.float32), "w2"),
            numpy_helper.from_array(np.array([3], dtype=np.int64), "k")]
    nodes = [
        helper.make_node("Conv", ["input", "w1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Hardmax", ["r1"], ["h"], axis=-1),
        helper.make_node("Conv", ["h", "w2"], ["c2"]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("TopK", ["r2", "k"], ["values", "indices"], axis=-1),
        helper.make_node("Relu", ["values"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes, "opaque_ops",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       [1, 4, 16, 16])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT,
                                       [1, 8, 16, 3]),
         helper.make_tensor_value_info("indices", TensorProto.INT64,
                                       [1, 8, 16, 3])],
        init)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    save(model, path)


MODELS = {"resnet18": resnet, "mobilenet_v2": mobilenet,
          "squeezenet": squeezenet, "inception_v3": inception,
          "bert_encoder": bert, "opaque_ops": None}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(here, "generated"))
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("names", nargs="*", default=list(MODELS))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    # The TorchScript exporter (newer torch versions default to dynamo).
    extra = ({"dynamo": False}
             if "dynamo" in inspect.signature(torch.onnx.export).parameters
             else {})
    for name in args.names:
        path = os.path.join(args.out, name + ".onnx")
        if MODELS[name] is None:
            write_opaque_ops(path, args.opset)
        else:
            model, shape = MODELS[name]()
            model.eval()
            x = torch.rand(*shape)
            with torch.no_grad():
                torch.onnx.export(model, (x,), path, opset_version=args.opset,
                                  input_names=["input"],
                                  output_names=["output"],
                                  do_constant_folding=True, **extra)
        print(f"{name}: {path} ({os.path.getsize(path) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
