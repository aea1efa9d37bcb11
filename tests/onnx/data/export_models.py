#!/usr/bin/env python3
"""Exports the test models to ONNX (random weights, nothing downloaded).

    python3 tests/onnx/data/export_models.py [--out DIR] [--opset N] [names]

Writes DIR/<name>.onnx (default DIR: tests/onnx/data/generated, ignored by
git) for torchvision ResNet-18, MobileNetV2, SqueezeNet 1.0, Inception v3
and a small BERT encoder (transformers). Needs pip torch, torchvision and
transformers. tests/onnx/models_test.cc imports these files when present
and skips otherwise.
"""
import argparse
import os
import sys

import torch


def resnet():
    import torchvision
    return torchvision.models.resnet18(weights=None), (1, 3, 224, 224)


def mobilenet():
    import torchvision
    return torchvision.models.mobilenet_v2(weights=None), (1, 3, 224, 224)


def squeezenet():
    import torchvision
    return torchvision.models.squeezenet1_0(weights=None), (1, 3, 224, 224)


def inception():
    import torchvision
    model = torchvision.models.inception_v3(weights=None, aux_logits=False,
                                           init_weights=True)
    return model, (1, 3, 299, 299)


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


MODELS = {"resnet18": resnet, "mobilenet_v2": mobilenet,
          "squeezenet": squeezenet, "inception_v3": inception,
          "bert_encoder": bert}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(here, "generated"))
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("names", nargs="*", default=list(MODELS))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(0)
    for name in args.names:
        model, shape = MODELS[name]()
        model.eval()
        x = torch.rand(*shape)
        path = os.path.join(args.out, name + ".onnx")
        with torch.no_grad():
            torch.onnx.export(model, (x,), path, opset_version=args.opset,
                              input_names=["input"], output_names=["output"],
                              do_constant_folding=True, dynamo=False)
        print(f"{name}: {path} ({os.path.getsize(path) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
