"""ONNX export of the trained booster, checked against it, and the test vectors for the parity check."""
from __future__ import annotations

import hashlib
from pathlib import Path

import lightgbm as lgb
import numpy as np
import onnx
import onnxmltools
import onnxruntime as ort
from onnx import TensorProto, helper
from onnxmltools.convert.common.data_types import FloatTensorType

#: The newest opset onnxmltools converts LightGBM to; onnxruntime-node 1.30 (the scorer's runtime) runs it.
TARGET_OPSET = 15
PROBABILITIES = "probabilities"


def to_onnx(booster: lgb.Booster, n_features: int, input_name: str, output_name: str, doc: str) -> onnx.ModelProto:
    """The booster as an ONNX graph with one float32 input [N, n_features] and one output: the
    probability of the event, float32 [N] (the converter's class probabilities, column 1)."""
    model = onnxmltools.convert_lightgbm(
        booster,
        name="saferoads-risk",
        initial_types=[(input_name, FloatTensorType([None, n_features]))],
        target_opset=TARGET_OPSET,
        zipmap=False,
    )
    g = model.graph
    probs = next(o.name for o in g.output if o.name.startswith(PROBABILITIES))
    g.initializer.append(helper.make_tensor("positive_class", TensorProto.INT64, dims=[], vals=[1]))
    g.node.append(helper.make_node("Gather", [probs, "positive_class"], [output_name], axis=1, name="risk_of_positive_class"))
    del g.output[:]
    g.output.append(helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [None]))
    model.doc_string = doc
    onnx.checker.check_model(model)
    return model


def opsets(model: onnx.ModelProto) -> dict[str, int]:
    return {(o.domain or "ai.onnx"): int(o.version) for o in model.opset_import}


def session(model: onnx.ModelProto) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])


def run_onnx(sess: ort.InferenceSession, X: np.ndarray, batch: int = 200_000) -> np.ndarray:
    name = sess.get_inputs()[0].name
    out = [sess.run(None, {name: X[i : i + batch].astype(np.float32, copy=False)})[0] for i in range(0, len(X), batch)]
    return np.concatenate(out).astype(np.float64)


def save(model: onnx.ModelProto, path: Path) -> str:
    data = model.SerializeToString()
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def pick_test_vectors(X: np.ndarray, p: np.ndarray, y: np.ndarray, seed: int, n_random: int = 24) -> np.ndarray:
    """Rows for the parity check: the 8 highest and 8 lowest predictions, 8 positives and
    `n_random` others, so that both tails and the middle of the model are exercised."""
    rng = np.random.default_rng(seed)
    order = np.argsort(p, kind="stable")
    chosen = list(order[-8:]) + list(order[:8])
    positives = np.flatnonzero(y == 1)
    if len(positives):
        chosen += list(rng.choice(positives, size=min(8, len(positives)), replace=False))
    chosen += list(rng.choice(len(p), size=n_random, replace=False))
    seen: set[int] = set()
    return np.array([int(i) for i in chosen if not (int(i) in seen or seen.add(int(i)))])


def vector_inputs(X: np.ndarray) -> list[list[float]]:
    """float32 rows as JSON numbers: each float32 converts to a double exactly, and JavaScript's
    Float32Array gives back the same float32 from it."""
    return [[float(v) for v in row] for row in X.astype(np.float32)]
