"""models/MODEL_CARD.md from the template beside this package and the training run's metadata."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .spec import FeatureSpec

TEMPLATE = Path(__file__).resolve().parents[1] / "MODEL_CARD.template.md"
AUC_TARGET = 0.95


def pct(v: float, digits: int = 1) -> str:
    return f"{100 * v:.{digits}f} %"


def interval(i: dict, digits: int = 4) -> str:
    return f"{i['low']:.{digits}f}-{i['high']:.{digits}f}"


def metrics_table(test: dict) -> str:
    cols = [("model", "the model (ONNX)")]
    if "oracle" in test:
        cols += [("oracle", "true hazard, next 15 min (oracle)"), ("stateNow", "true hazard of the scored minute")]
    head = "| metric | " + " | ".join(c[1] for c in cols) + " |\n|---|" + "---:|" * len(cols) + "\n"
    ci = test.get("aucBootstrap") or {}
    # The bootstrap covers the model and the oracle (the ratio's two terms), not the scored minute's hazard.
    intervals = {"model": ci.get("model"), "oracle": ci.get("reference")}
    rows = [
        ("ROC AUC", lambda k, m: f"{m['rocAuc']:.4f}"),
        ("ROC AUC, 95 % interval", lambda k, m: interval(intervals[k]) if intervals.get(k) else "-"),
        ("sensitivity at 10 % false alarms", lambda k, m: pct(m["sensitivityAt10PctFalseAlarms"])),
        ("sensitivity at 20 % false alarms", lambda k, m: pct(m["sensitivityAt20PctFalseAlarms"])),
        ("Brier score", lambda k, m: f"{m['brier']:.5f}"),
        ("log loss", lambda k, m: f"{m['logLoss']:.5f}"),
        ("mean predicted probability", lambda k, m: f"{m['meanPredicted']:.4f}"),
        ("observed rate of positives", lambda k, m: f"{m['observedRate']:.4f}"),
    ]
    return head + "\n".join("| " + label + " | " + " | ".join(f(k, test[k]) for k, _ in cols) + " |" for label, f in rows) + "\n"


def calibration_table(m: dict) -> str:
    out = "| decile | rows | predicted (range) | mean predicted | observed rate | positives |\n|---:|---:|---|---:|---:|---:|\n"
    for r in m["calibration"]:
        out += f"| {r['bin']} | {r['rows']:,} | {r['predictedMin']:.4f}-{r['predictedMax']:.4f} | {r['predictedMean']:.4f} | {r['observedRate']:.4f} | {r['positives']:,} |\n"
    return out


def importance_table(meta: dict, spec: FeatureSpec) -> str:
    units = {f["name"]: f["unit"] for f in spec.doc["features"]}
    out = "| feature | unit | share of the gain |\n|---|---|---:|\n"
    for r in meta["featureImportance"]:
        out += f"| `{r['feature']}` | {units.get(r['feature'], '')} | {pct(r['gainShare'])} |\n"
    return out


def bootstrap_method(ci: dict) -> str:
    unit = "whole held-out segment-days" if ci["by"] == "cluster" else "held-out rows"
    kind = "paired resamples" if "reference" in ci or "ratio" in ci else "resamples"
    return (
        f"{ci['used']:,} of {ci['resamples']:,} {kind} of the {ci['units']:,} {unit}, those holding a crash and those "
        f"without ({ci['strata'][0]:,} and {ci['strata'][1]:,}) drawn apart, seed {ci['seed']}"
    )


def target_line(test: dict) -> str:
    ci = test.get("aucBootstrap")
    if "oracle" not in test:
        auc = f" Model AUC {test['model']['rocAuc']:.4f}, 95 % interval {interval(ci['model'])} ({bootstrap_method(ci)})." if ci else ""
        return "No oracle: the data has no true hazard (a road authority's own history), so the target does not apply." + auc
    r = test["aucRatio"]
    ratio = ci["ratio"]
    if ratio["low"] >= AUC_TARGET:
        verdict = f"the interval's lower bound clears the target of at least {AUC_TARGET}: **met**"
    elif r >= AUC_TARGET:
        verdict = f"the estimate reaches the target of at least {AUC_TARGET} but the interval's lower bound does not: **not shown**"
    else:
        verdict = f"the target of at least {AUC_TARGET} is **not met**"
    return f"Model AUC / oracle AUC = **{r:.4f}**, 95 % interval **{interval(ratio)}** ({bootstrap_method(ci)}): {verdict}."


def values(meta: dict, spec: FeatureSpec) -> dict[str, str]:
    t = meta["training"]
    test = meta["metrics"]["test"]
    src = t["data"]
    if src["kind"] == "simulated":
        data = (
            f"Simulated by `{src['command']}`: {src['runs']} runs of {src['minutesPerRun']} minutes on the bundled A13 Brenner "
            f"network (72 segments), {t['rows']['total']:,} segment-minutes, {pct(t['positiveRate'], 2)} of them followed by a crash "
            f"within {spec.horizon_minutes} minutes."
        )
    elif src["kind"] == "history":
        files = ", ".join(f"{k} `{v}`" for k, v in src.items() if k != "kind")
        data = f"A road authority's history ({files}): {t['rows']['total']:,} segment-minutes, {pct(t['positiveRate'], 2)} of them followed by a crash within {spec.horizon_minutes} minutes."
    else:
        data = f"Files {', '.join(f'`{f}`' for f in src['files'])}: {t['rows']['total']:,} segment-minutes, {pct(t['positiveRate'], 2)} of them followed by a crash within {spec.horizon_minutes} minutes."
    return {
        "version": meta["modelVersion"],
        "spec_version": meta["spec"]["specVersion"],
        "spec_fingerprint": meta["spec"]["fingerprint"],
        "n_features": str(meta["input"]["shape"][1]),
        "sha256": meta["model"]["sha256"],
        "trees": str(meta["model"]["trees"]),
        "producer": ", ".join(f"{k} {v}" for k, v in meta["model"]["producer"].items()),
        "rate_scale": f"{meta['crashRateScale']:g}",
        "data": data,
        "split": t["split"],
        "rows_train": f"{t['rows']['train']:,}",
        "rows_validation": f"{t['rows']['validation']:,}",
        "rows_test": f"{t['rows']['test']:,}",
        "test_positives": f"{test['model']['positives']:,}",
        "params": ", ".join(f"{k} {v}" for k, v in t["params"].items() if k not in ("objective",)),
        "metrics_table": metrics_table(test),
        "target_line": target_line(test),
        "calibration_model": calibration_table(test["model"]),
        "calibration_oracle": calibration_table(test["oracle"]) if "oracle" in test else "(no oracle in this data)\n",
        "importance_table": importance_table(meta, spec),
        "onnx_diff": f"{meta['metrics']['onnxMaxAbsDifference']:.1e}",
        "vectors": str(len(meta["testVectors"]["inputs"])),
        "command": t["command"],
    }


def render(template: str, vals: dict[str, str], kind: str = "simulated") -> str:
    """Fills {{name}} placeholders, and keeps only the `<!-- if <kind> -->` blocks of this kind
    of training data (simulated for simulated data and dataset files, history otherwise)."""
    template = re.sub(r"<!-- if (\w+) -->\n(.*?)<!-- end -->\n", lambda m: m.group(2) if m.group(1) == kind else "", template, flags=re.S)

    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key not in vals:
            raise KeyError(f"model card template: no value for {{{{{key}}}}}")
        return vals[key]

    return re.sub(r"\{\{(\w+)\}\}", sub, template)


def write(path: Path, meta: dict, spec: FeatureSpec) -> None:
    kind = "history" if meta["training"]["data"]["kind"] == "history" else "simulated"
    path.write_text(render(TEMPLATE.read_text(encoding="utf-8"), values(meta, spec), kind), encoding="utf-8")


def dump_json(value: dict) -> str:
    """Indented JSON with every list of numbers on one line (test vectors stay readable)."""
    text = json.dumps(value, indent=1)
    return re.sub(r"\[\s*\n\s*([-0-9.eE+,\s]+?)\s*\]", lambda m: "[" + ", ".join(s.strip() for s in m.group(1).split(",")) + "]", text) + "\n"
