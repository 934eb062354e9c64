"""Train the Saferoads risk model and export it to ONNX, with its metadata, test vectors and model card.

One command, reproducible from a seed (docs/model.md, models/training/README.md):

    models/.venv/bin/python models/training/train.py --seed 1

simulates the training data with `saferoads dataset` (cached under models/data/), trains LightGBM,
checks the ONNX export against the booster, and writes models/risk-v1.onnx, models/risk-v1.json
and models/MODEL_CARD.md. On a road authority's own history (docs/model.md, Training on your own history):

    models/.venv/bin/python models/training/train.py --stats stats.csv --weather weather.ndjson --network roads.geojson --crashes crashes.csv --version my-v1
    models/.venv/bin/python models/training/train.py --features features.csv --crashes crashes.csv --version my-v1
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import lightgbm
import numpy as np
import onnxmltools
import onnxruntime

sys.path.insert(0, str(Path(__file__).resolve().parent))

from saferoads_risk import bootstrap, card, data, export, metrics, model  # noqa: E402
from saferoads_risk.spec import load_spec  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
#: The simulated crash process's rate scale (DATASET_RATE_SCALE in @saferoads/crashes).
SIMULATED_RATE_SCALE = 200
PARITY_TOLERANCE = 1e-5


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1, help="seed of the simulated data and of training (default 1)")
    ap.add_argument("--runs", type=int, default=32, help="simulated day-long runs (default 32)")
    ap.add_argument("--minutes", type=int, default=1440, help="minutes per simulated run (default 1440)")
    ap.add_argument("--jobs", type=int, default=2, help="saferoads dataset processes in parallel (default 2)")
    ap.add_argument("--version", default="v1", help="model version: files are <out>/risk-<version>.onnx and .json (default v1)")
    ap.add_argument("--out-dir", type=Path, default=REPO / "models", help="where the model files go (default models/)")
    ap.add_argument("--data-dir", type=Path, default=REPO / "models" / "data", help="where simulated data is cached (default models/data/)")
    ap.add_argument("--spec", type=Path, default=REPO / "models" / "feature-spec.json")
    ap.add_argument("--data", type=Path, nargs="+", help="dataset CSVs to train on instead of simulating (saferoads dataset's format)")
    ap.add_argument("--stats", type=Path, help="your own history: traffic-stats records (CSV or NDJSON), made into feature rows by saferoads dataset --from-stats")
    ap.add_argument("--weather", type=Path, help="with --stats: the weather observations of the same period (NDJSON or CSV)")
    ap.add_argument("--network", type=Path, help="with --stats: your road network GeoJSON (default: the bundled A13)")
    ap.add_argument("--features", type=Path, help="your own history as feature rows already: segmentId, windowEndMs and the spec's feature columns")
    ap.add_argument("--crashes", type=Path, help="with --stats or --features: your crash records, segmentId,time")
    ap.add_argument("--rate-scale", type=float, help="crash-rate scale of the data (default: 200 simulated, 1 otherwise)")
    ap.add_argument("--resamples", type=int, default=bootstrap.DEFAULT_RESAMPLES, help="bootstrap resamples of whole segment-days for the AUC intervals (default 1000)")
    ap.add_argument("--no-card", action="store_true", help="do not write models/MODEL_CARD.md")
    ap.add_argument("--card-only", action="store_true", help="only render models/MODEL_CARD.md again from risk-<version>.json (after editing the template)")
    a = ap.parse_args(argv)
    history = [x for x in (a.stats, a.features) if x is not None]
    if len(history) > 1:
        ap.error("--stats and --features are alternatives")
    if bool(history) != (a.crashes is not None):
        ap.error("--crashes goes with --stats or --features, and they need it")
    if history and a.data is not None:
        ap.error("--data is simulated or labelled data: not with --stats or --features")
    if (a.weather is not None or a.network is not None) and a.stats is None:
        ap.error("--weather and --network go with --stats")
    if a.resamples < 1:
        ap.error(f"--resamples must be at least 1, got {a.resamples}")
    return a


def main(argv: list[str]) -> int:
    a = parse_args(argv)
    t0 = time.time()
    spec = load_spec(a.spec)
    name = f"risk-{a.version}"
    if a.card_only:
        meta = json.loads((a.out_dir / f"{name}.json").read_text(encoding="utf-8"))
        card.write(a.out_dir / "MODEL_CARD.md", meta, spec)
        log(f"wrote {a.out_dir / 'MODEL_CARD.md'}")
        return 0
    simulated = a.data is None and a.features is None and a.stats is None
    if simulated:
        paths = data.generate_simulated(REPO, a.data_dir, spec, a.seed, a.runs, a.minutes, a.jobs, log)
        source = {"kind": "simulated", "seed": a.seed, "runs": a.runs, "minutesPerRun": a.minutes, "command": f"saferoads dataset --seed {a.seed} --runs {a.runs} --minutes {a.minutes}"}
    elif a.data is not None:
        paths = a.data
        source = {"kind": "files", "files": [p.name for p in paths]}
    else:
        a.data_dir.mkdir(parents=True, exist_ok=True)
        features = a.features
        if a.stats is not None:
            features = data.features_from_stats(REPO, spec, a.stats, a.weather, a.network, a.data_dir / f"{a.stats.name.split('.')[0]}.features.csv.gz", log)
        labelled = a.data_dir / f"{features.name.split('.')[0]}.labelled.csv"
        paths = [data.label_from_crashes(features, a.crashes, spec.horizon_minutes, labelled)]
        source = {"kind": "history", "stats" if a.stats else "features": (a.stats or a.features).name, "crashes": a.crashes.name}
        if a.weather is not None:
            source["weather"] = a.weather.name
    rate_scale = a.rate_scale if a.rate_scale is not None else (SIMULATED_RATE_SCALE if simulated else 1.0)

    t = time.time()
    ds = data.read_rows(paths, spec)
    log(f"data: {len(ds.y)} rows, {int(ds.y.sum())} positive ({ds.y.mean():.2%}) in {time.time() - t:.0f} s")
    if ds.filled:
        log("data: defaults filled: " + ", ".join(f"{k} ({v})" for k, v in sorted(ds.filled.items())))
    split = data.split_rows(ds.keys)
    log(f"data: split {split.how}: {len(split.train)} / {len(split.validation)} / {len(split.test)} rows")

    t = time.time()
    trained = model.train(ds.X, ds.y, split.train, split.validation, spec.names, a.seed, log)
    log(f"train: {time.time() - t:.0f} s")

    Xt, yt = ds.X[split.test], ds.y[split.test]
    p = model.predict(trained.booster, Xt)
    test_metrics: dict = {"model": metrics.score_metrics(yt, p)}
    oracle = None
    if ds.truth is not None:
        truth = ds.truth.iloc[split.test]
        oracle = truth["oracleRisk"].to_numpy()
        now = -np.expm1(-spec.horizon_minutes * truth["hazardNow"].to_numpy())
        test_metrics["oracle"] = metrics.score_metrics(yt, oracle)
        test_metrics["stateNow"] = metrics.score_metrics(yt, now)
        test_metrics["aucRatio"] = test_metrics["model"]["rocAuc"] / test_metrics["oracle"]["rocAuc"]
    t = time.time()
    keys = ds.keys.iloc[split.test]
    clusters = bootstrap.segment_days(keys["run"].to_numpy(), keys["segmentId"].to_numpy(), keys["windowEndMs"].to_numpy())
    test_metrics["aucBootstrap"] = bootstrap.auc_bootstrap(yt, p, oracle, clusters=clusters, resamples=a.resamples, seed=a.seed)
    m = test_metrics["model"]
    ci = test_metrics["aucBootstrap"]
    log(f"test: ROC AUC {m['rocAuc']:.4f} (95 % {ci['model']['low']:.4f}-{ci['model']['high']:.4f}), sensitivity {m['sensitivityAt10PctFalseAlarms']:.3f} / {m['sensitivityAt20PctFalseAlarms']:.3f} at 10 / 20 % false alarms")
    if "oracle" in test_metrics:
        log(f"test: oracle ROC AUC {test_metrics['oracle']['rocAuc']:.4f} (95 % {ci['reference']['low']:.4f}-{ci['reference']['high']:.4f}); model / oracle = {test_metrics['aucRatio']:.4f} (95 % {ci['ratio']['low']:.4f}-{ci['ratio']['high']:.4f})")
    log(f"test: bootstrap, {ci['used']} of {ci['resamples']} resamples of {ci['units']} segment-days, in {time.time() - t:.0f} s")

    doc = f"Saferoads risk model {name}: {spec.output['description']}. Feature spec {spec.version} ({spec.fingerprint()[:12]}); docs/model.md."
    onnx_model = export.to_onnx(trained.booster, len(spec.names), spec.input_tensor, spec.output["name"], doc)
    sess = export.session(onnx_model)
    p_onnx = export.run_onnx(sess, Xt)
    worst = float(np.max(np.abs(p_onnx - p)))
    log(f"onnx: largest difference to the booster on {len(p)} test rows: {worst:.2e}")
    if worst > PARITY_TOLERANCE:
        raise SystemExit(f"onnx export differs from the booster by {worst:.2e} > {PARITY_TOLERANCE}")

    a.out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = a.out_dir / f"{name}.onnx"
    sha = export.save(onnx_model, onnx_path)
    reference, reference_rows = model.reference_values(ds.X[split.train], spec.names)
    log(f"reference: medians of {reference_rows} training rows in reference conditions")
    pick = export.pick_test_vectors(Xt, p, yt, a.seed)
    vectors = {
        "tolerance": PARITY_TOLERANCE,
        "note": "inputs are float32 rows in the spec's order; expected is the LightGBM booster's probability in float64, onnx the Python onnxruntime's",
        "inputs": export.vector_inputs(Xt[pick]),
        "expected": [float(v) for v in p[pick]],
        "onnx": [float(v) for v in p_onnx[pick]],
    }
    meta = {
        "modelVersion": name,
        "model": {
            "file": onnx_path.name,
            "sha256": sha,
            "format": "onnx",
            "opsets": export.opsets(onnx_model),
            "algorithm": "LightGBM gradient-boosted trees, binary log loss",
            "trees": trained.best_iteration,
            "producer": {"lightgbm": lightgbm.__version__, "onnxmltools": onnxmltools.__version__, "onnxruntime": onnxruntime.__version__},
        },
        "spec": {"file": a.spec.name, "specVersion": spec.version, "fingerprint": spec.fingerprint()},
        "input": {"tensor": spec.input_tensor, "dtype": "float32", "shape": [None, len(spec.names)]},
        "output": {"tensor": spec.output["name"], "dtype": "float32", "shape": [None], "horizonMinutes": spec.horizon_minutes, "definition": spec.output["description"]},
        "features": spec.names,
        "reference": reference,
        "referenceConditions": {"definition": model.REFERENCE_CONDITIONS, "rows": reference_rows},
        "crashRateScale": rate_scale,
        "training": {
            "data": source,
            "split": split.how,
            "rows": {"total": int(len(ds.y)), "train": trained.train_rows, "validation": int(len(split.validation)), "test": int(len(split.test))},
            "positiveRate": float(ds.y.mean()),
            "params": {k: v for k, v in trained.params.items() if k not in ("verbose",)},
            "negativeShare": model.NEGATIVE_SHARE,
            "defaultsFilled": ds.filled,
            "command": "models/.venv/bin/python models/training/train.py " + " ".join(argv),
        },
        "metrics": {"test": test_metrics, "onnxMaxAbsDifference": worst},
        "featureImportance": model.feature_importance(trained.booster, spec.names),
        "testVectors": vectors,
    }
    meta_path = a.out_dir / f"{name}.json"
    meta_path.write_text(card.dump_json(meta), encoding="utf-8")
    log(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes) and {meta_path}")
    if not a.no_card:
        card_path = a.out_dir / "MODEL_CARD.md"
        card.write(card_path, meta, spec)
        log(f"wrote {card_path}")
    log(f"done in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
