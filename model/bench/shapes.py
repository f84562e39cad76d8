"""Synthetic float32 CNNs of the shipped model's family, for timing only.

Each graph is what model/train/train.py exports, minus the quantization:
blocks of Conv 3x3 (pad 1, stride s) - Relu - MaxPool 2x2, a global
average pool and a 1x1 Conv head, on the 3x64x128 window, with the shipped
model's metadata so that model.Load accepts it. The weights are random:
the files say how long a shape takes, not how well it classifies.

    /usr/bin/python3 model/bench/shapes.py OUT_DIR

writes OUT_DIR/<name>.onnx and OUT_DIR/shapes.json (name, widths, strides,
multiply-adds, im2col values). BenchmarkShapes in model/ times them:

    EMOTION_SHAPES=OUT_DIR go test -run='^$' -bench=Shapes ./model
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SHIPPED = os.path.join(HERE, "..", "emotion.onnx")

# name: (widths, first conv stride)
SHAPES = {
    "w16-32-48-64": ([16, 32, 48, 64], 1),  # the shipped shape
    "w8-16-32-64": ([8, 16, 32, 64], 1),
    "w8-24-40-64": ([8, 24, 40, 64], 1),
    "w12-24-48-64": ([12, 24, 48, 64], 1),
    "w16-32-48-64-s2": ([16, 32, 48, 64], 2),
    "w16-32-64-96": ([16, 32, 64, 96], 1),
    "w16-32-64-128": ([16, 32, 64, 128], 1),
    "w24-48-72-96": ([24, 48, 72, 96], 1),  # wider, affordable since the wasm SIMD kernels
    "w32-64-96-128": ([32, 64, 96, 128], 1),
}


def build(widths, stride, meta, classes, rng):
    h, w = 64, 128
    nodes, inits = [], []
    cin, prev = 3, "input"
    macs = im2col = 0
    for i, cout in enumerate(widths):
        s = stride if i == 0 else 1
        ho, wo = (h + 2 - 3) // s + 1, (w + 2 - 3) // s + 1
        macs += ho * wo * cout * cin * 9
        im2col += ho * wo * cin * 9
        wt = (rng.standard_normal((cout, cin, 3, 3)) * np.sqrt(2 / (cin * 9))).astype(np.float32)
        inits += [numpy_helper.from_array(wt, f"l{i}_w"),
                  numpy_helper.from_array((rng.standard_normal(cout) * 0.1).astype(np.float32), f"l{i}_b")]
        nodes += [
            helper.make_node("Conv", [prev, f"l{i}_w", f"l{i}_b"], [f"l{i}_conv"],
                             kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[s, s]),
            helper.make_node("Relu", [f"l{i}_conv"], [f"l{i}_relu"]),
            helper.make_node("MaxPool", [f"l{i}_relu"], [f"l{i}_pool"], kernel_shape=[2, 2], strides=[2, 2]),
        ]
        h, w, cin, prev = ho // 2, wo // 2, cout, f"l{i}_pool"
    wt = (rng.standard_normal((classes, cin, 1, 1)) * 0.1).astype(np.float32)
    inits += [numpy_helper.from_array(wt, "head_w"),
              numpy_helper.from_array(np.zeros(classes, np.float32), "head_b")]
    nodes += [helper.make_node("GlobalAveragePool", [prev], ["gap"]),
              helper.make_node("Conv", ["gap", "head_w", "head_b"], ["head"], kernel_shape=[1, 1]),
              helper.make_node("Flatten", ["head"], ["logits"], axis=1)]
    macs += cin * classes
    graph = helper.make_graph(
        nodes, "synthetic",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, 64, 128])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, classes])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="emotion/model/bench/shapes.py")
    model.ir_version = 7
    for k, v in meta.items():
        model.metadata_props.add(key=k, value=v)
    onnx.checker.check_model(model)
    return model, macs, im2col


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    shipped = onnx.load(SHIPPED)
    keep = ("labels", "features", "input_shape", "window_hop", "trim")
    meta = {p.key: p.value for p in shipped.metadata_props if p.key in keep}
    meta["model_version"] = "synthetic"
    classes = len(json.loads(meta["labels"]))
    rng = np.random.default_rng(1)
    index = []
    for name, (widths, stride) in SHAPES.items():
        model, macs, im2col = build(widths, stride, meta, classes, rng)
        onnx.save(model, os.path.join(out, name + ".onnx"))
        index.append({"name": name, "widths": widths, "stride": stride, "macs": macs, "im2col": im2col})
    with open(os.path.join(out, "shapes.json"), "w") as f:
        json.dump(index, f, indent=1)
    for s in index:
        print(f"{s['name']:18} {s['macs'] / 1e6:6.2f} M multiply-adds, {s['im2col'] / 1e3:6.1f} k im2col values")


if __name__ == "__main__":
    main()
