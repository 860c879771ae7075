#!/usr/bin/env python3
"""Makes the ONNX and safetensors fixtures that OnnxImportTest reads, with PyTorch 2.x, onnx and safetensors.

    python3 -m venv V && V/bin/pip install torch onnx onnxruntime onnxscript safetensors numpy
    V/bin/python tools/make_onnx_fixtures.py [--data /usr/share/datasets/fashion-mnist]

Writes into core/src/test/resources/onnx/:
  fashion_mlp_torchscript.onnx   nn.Sequential(Flatten, Linear(784, 32), ReLU, Dropout(0.2), Linear(32, 10)),
                                 trained by PyTorch on Fashion-MNIST, exported by the TorchScript exporter
                                 (torch.onnx.export(dynamo=False), opset 17: Flatten, Gemm)
  fashion_mlp_dynamo.onnx        the same model, exported by the default (dynamo) exporter, opset 18
                                 (Reshape, Gemm)
  fashion_mlp.safetensors        its state_dict, written by safetensors.torch.save_file
  act_<name>_opset<N>.onnx       Flatten, Linear(12, 16), BatchNorm1d(16), <activation>, Dropout, Linear(16, 5),
                                 one per activation, opsets 17 and 20 (TorchScript exporter)
  rank3_linear.onnx              Linear(4, 6) on [batch, 3, 4] inputs (MatMul + Add), ReLU, Flatten, Linear(18, 3)
  gemm_variants.onnx             made with onnx.helper: Gemm with transB=0, alpha=0.5, beta=2, a [1, out] bias
  conv.onnx                      a Conv1d model, which the importer must refuse
  expected.safetensors           inputs and PyTorch's outputs for all of the above; metadata: PyTorch's test
                                 accuracy of the Fashion-MNIST model ("fashion_accuracy")
"""
import argparse
import gzip
import json
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "core", "src", "test", "resources", "onnx")

ACTIVATIONS = {
    "relu": nn.ReLU(), "prelu": nn.PReLU(), "leaky_relu": nn.LeakyReLU(0.2), "elu": nn.ELU(), "selu": nn.SELU(),
    "celu": nn.CELU(), "gelu": nn.GELU(), "gelu_tanh": nn.GELU(approximate="tanh"), "silu": nn.SiLU(),
    "mish": nn.Mish(), "softplus": nn.Softplus(), "softsign": nn.Softsign(), "hardtanh": nn.Hardtanh(-2, 3),
    "relu6": nn.ReLU6(), "hardsigmoid": nn.Hardsigmoid(), "hardswish": nn.Hardswish(),
    "logsigmoid": nn.LogSigmoid(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(),
}


def idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def export(model, x, path, opset, dynamo=False):
    kw = dict(input_names=["input"], output_names=["logits"], opset_version=opset, dynamo=dynamo)
    if dynamo:
        kw["dynamic_shapes"] = ({0: torch.export.Dim("batch")},)
        kw["external_data"] = False
    else:
        kw["dynamic_axes"] = {"input": {0: "batch"}, "logits": {0: "batch"}}
    torch.onnx.export(model, (x,), path, **kw)
    onnx.checker.check_model(onnx.load(path), full_check=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    args = parser.parse_args()
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    expected = {}
    meta = {}

    # A model trained by PyTorch on the real data (2 epochs of SGD, as d2l trains).
    train_x = torch.tensor(idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)) / 255.0
    train_y = torch.tensor(idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"), 8).astype(np.int64))
    test_x = torch.tensor(idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"), 16).reshape(-1, 1, 28, 28)) / 255.0
    test_y = torch.tensor(idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz"), 8).astype(np.int64))
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 10))
    sgd = torch.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(2):
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), 256):
            b = order[i:i + 256]
            sgd.zero_grad()
            nn.functional.cross_entropy(net(train_x[b]), train_y[b]).backward()
            sgd.step()
    net.eval()
    with torch.no_grad():
        logits = net(test_x)
    meta["fashion_accuracy"] = repr((logits.argmax(1) == test_y).float().mean().item())
    expected["fashion.logits"] = logits[:200].contiguous()
    export(net, test_x[:2], os.path.join(OUT, "fashion_mlp_torchscript.onnx"), 17)
    export(net, test_x[:2], os.path.join(OUT, "fashion_mlp_dynamo.onnx"), 18, dynamo=True)
    save_file({k: v.contiguous() for k, v in net.state_dict().items()}, os.path.join(OUT, "fashion_mlp.safetensors"))

    # One small model per activation, with pre-activations spread over about [-12, 12].
    x = torch.rand(32, 3, 4) * 2 - 1
    expected["act.input"] = x
    for name, act in ACTIVATIONS.items():
        m = nn.Sequential(nn.Flatten(), nn.Linear(12, 16), nn.BatchNorm1d(16), act, nn.Dropout(0.5), nn.Linear(16, 5))
        with torch.no_grad():
            m[1].weight.mul_(8)
            m[2].running_mean.fill_(0.3)
            m[2].running_var.fill_(2.0)
            m[2].weight.uniform_(0.5, 1.5)
            m[2].bias.uniform_(-0.5, 0.5)
        m.eval()
        with torch.no_grad():
            expected[f"act_{name}.logits"] = m(x)
        for opset in (17, 20):
            export(m, x[:2], os.path.join(OUT, f"act_{name}_opset{opset}.onnx"), opset)

    # A Linear layer on a rank-3 input: MatMul + Add.
    m = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Flatten(), nn.Linear(18, 3)).eval()
    with torch.no_grad():
        expected["rank3.logits"] = m(x)
    export(m, x[:2], os.path.join(OUT, "rank3_linear.onnx"), 17)

    # Gemm attributes that PyTorch never writes: y = 0.5 * x @ B + 2 * C, B stored [in, out], C [1, out].
    b = np.random.default_rng(0).standard_normal((12, 5)).astype(np.float32)
    c = np.random.default_rng(1).standard_normal((1, 5)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Flatten", ["input"], ["flat"], name="flatten", axis=1),
         helper.make_node("Gemm", ["flat", "B", "C"], ["logits"], name="gemm", alpha=0.5, beta=2.0, transB=0)],
        "gemm_variants",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 4])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 5])],
        [numpy_helper.from_array(b, "B"), numpy_helper.from_array(c, "C")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(OUT, "gemm_variants.onnx"))
    expected["gemm.logits"] = torch.tensor(0.5 * x.reshape(32, 12).numpy() @ b + 2 * c)

    # Something that is not an MLP.
    conv = nn.Sequential(nn.Conv1d(3, 2, 3), nn.Flatten(), nn.Linear(4, 2)).eval()
    export(conv, x[:2], os.path.join(OUT, "conv.onnx"), 17)

    save_file({k: v.contiguous().float() for k, v in expected.items()}, os.path.join(OUT, "expected.safetensors"),
              metadata=meta)
    print(json.dumps(meta), "->", OUT)


if __name__ == "__main__":
    main()
