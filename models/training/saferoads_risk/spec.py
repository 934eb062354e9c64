"""The feature specification (models/feature-spec.json) as the training pipeline reads it."""
from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no spaces, numbers as JavaScript's JSON.stringify writes them.

    The fingerprint must be the one @saferoads/model-spec computes (featureSpecFingerprint), so
    a scorer can check a model against the spec it builds rows with. Whole numbers print without
    a fraction; other numbers as their shortest round-trip text, which Python and JavaScript
    agree on between 1e-6 and 1e21 (the spec's numbers are refused outside that).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        text = repr(value)
        if "e" in text or "E" in text:
            raise ValueError(f"{value} would print differently in JavaScript: keep spec numbers between 1e-6 and 1e21")
        return text
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{canonical_json(v)}" for k, v in items) + "}"
    raise TypeError(f"cannot encode {type(value).__name__}")


@dataclass(frozen=True)
class FeatureSpec:
    path: Path
    doc: dict

    @property
    def version(self) -> str:
        return self.doc["specVersion"]

    @property
    def names(self) -> list[str]:
        return [f["name"] for f in self.doc["features"]]

    @property
    def defaults(self) -> dict[str, float]:
        return {f["name"]: float(f["default"]) for f in self.doc["features"]}

    @property
    def input_tensor(self) -> str:
        return self.doc["input"]["tensor"]

    @property
    def output(self) -> dict:
        return self.doc["output"]

    @property
    def horizon_minutes(self) -> int:
        return int(self.doc["output"]["horizonMinutes"])

    def fingerprint(self) -> str:
        """sha256 of the input tensor, the output's definition and each feature's name, default and source."""
        d = self.doc
        essence = {
            "input": {"tensor": d["input"]["tensor"], "dtype": d["input"]["dtype"]},
            "output": {k: d["output"][k] for k in ("name", "kind", "event", "horizonMinutes")},
            "features": [{"name": f["name"], "default": f["default"], "source": f["source"]} for f in d["features"]],
        }
        return hashlib.sha256(canonical_json(essence).encode("utf-8")).hexdigest()


def load_spec(path: Path) -> FeatureSpec:
    doc = json.loads(path.read_text(encoding="utf-8"))
    names = [f["name"] for f in doc["features"]]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: feature names repeat")
    return FeatureSpec(path=path, doc=doc)
