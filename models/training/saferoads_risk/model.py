"""The risk model: LightGBM gradient-boosted trees on the binary label."""
from __future__ import annotations

from dataclasses import dataclass

import lightgbm as lgb
import numpy as np

#: Shallow, heavily regularised trees: the label is a rare, noisy event (a crash labels 15 rows
#: and most rows with a high hazard see none), so deep trees memorise runs and weather spells.
#: deterministic + col-wise + a fixed thread count give the same model from the same seed.
BASE_PARAMS: dict = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 2000,
    "feature_fraction": 0.5,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 10.0,
    "max_bin": 255,
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 2,
    "verbose": -1,
}

MAX_ROUNDS = 2000
EARLY_STOPPING_ROUNDS = 60
#: Negatives kept for training (each weighted by the inverse): all positives stay. The weights
#: keep the probabilities calibrated; a third of the rows trains three times as fast.
NEGATIVE_SHARE = 1 / 3


@dataclass
class Trained:
    booster: lgb.Booster
    params: dict
    best_iteration: int
    train_rows: int
    train_positives: int


def subsample_negatives(y: np.ndarray, rng: np.random.Generator, share: float = NEGATIVE_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """Indices of all positives and a random `share` of negatives, with weights 1 and 1 / share."""
    keep = (y == 1) | (rng.uniform(size=len(y)) < share)
    idx = np.flatnonzero(keep)
    w = np.where(y[idx] == 1, 1.0, 1.0 / share)
    return idx, w


def train(X: np.ndarray, y: np.ndarray, train_idx: np.ndarray, valid_idx: np.ndarray, names: list[str], seed: int, log) -> Trained:
    rng = np.random.default_rng(seed)
    sub, w = subsample_negatives(y[train_idx], rng)
    rows = train_idx[sub]
    params = {**BASE_PARAMS, "seed": seed}
    dtrain = lgb.Dataset(X[rows], label=y[rows], weight=w, feature_name=names, free_raw_data=True)
    dvalid = lgb.Dataset(X[valid_idx], label=y[valid_idx], reference=dtrain, free_raw_data=True)
    log(f"train: {len(rows)} rows ({int(y[rows].sum())} positive, negatives 1 in {round(1 / NEGATIVE_SHARE)} weighted back), early stopping on {len(valid_idx)} rows")
    booster = lgb.train(
        params,
        dtrain,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[dvalid],
        valid_names=["validation"],
        callbacks=[lgb.early_stopping(EARLY_STOPPING_ROUNDS, verbose=False), lgb.log_evaluation(50)],
    )
    best = booster.best_iteration or booster.current_iteration()
    log(f"train: best iteration {best}, validation log loss {booster.best_score['validation']['binary_logloss']:.5f}")
    # Keep only the trees the model uses, with thresholds the ONNX runtime's float32 compares
    # exactly as LightGBM's doubles do.
    final = lgb.Booster(model_str=float32_thresholds(booster.model_to_string(num_iteration=best)))
    return Trained(booster=final, params=params, best_iteration=best, train_rows=len(rows), train_positives=int(y[rows].sum()))


def floor32(v: float) -> float:
    """The largest float32 at or below v."""
    f = np.float32(v)
    if float(f) > v:
        f = np.nextafter(f, np.float32(-np.inf))
    return float(f)


def float32_thresholds(model_text: str) -> str:
    """A LightGBM model text with every split threshold t replaced by the largest float32 <= t.

    ONNX tree ensembles compare float32 inputs with float32 thresholds. A double threshold
    rounded to the nearest float32 can land on an input value and flip `x <= t` for it (LightGBM
    puts thresholds between the values it saw). For a float32 x, `x <= t` holds exactly when
    `x <= floor32(t)`, so with these thresholds the booster gives the same answer on every
    float32 row as before, and the exported model gives the same as the booster.
    """
    out = []
    for line in model_text.split("\n"):
        # The byte sizes of the trees change with the thresholds' text: LightGBM reads the trees
        # one after another without them.
        if line.startswith("tree_sizes="):
            continue
        if line.startswith("threshold="):
            line = "threshold=" + " ".join(repr(floor32(float(v))) for v in line[len("threshold="):].split(" "))
        out.append(line)
    return "\n".join(out)


def predict(booster: lgb.Booster, X: np.ndarray) -> np.ndarray:
    """Probabilities of a crash in the horizon, float64, for float32 rows (as the scorer feeds them)."""
    return booster.predict(X.astype(np.float32, copy=False))


#: What "reference conditions" are, for the scorer's baseline and factors (docs/risk-scorer.md):
#: each feature's median over the rows where traffic flows freely by daylight on a dry road with
#: good visibility and fresh weather. Conditions on features the spec lacks are skipped.
REFERENCE_CONDITIONS = "medians over training rows with traffic flowing (at least 1 vehicle, space-mean speed at least 70 % of the limit), daylight (not dark, not twilight, no glare), no precipitation, a road that is not wet, icy or snowy, visibility of 1 km or more, and fresh weather"


def reference_values(X: np.ndarray, names: list[str]) -> tuple[dict[str, float], int]:
    """Each feature's median over the rows in reference conditions (REFERENCE_CONDITIONS), and how many rows that is."""
    idx = {n: k for k, n in enumerate(names)}
    keep = np.ones(len(X), dtype=bool)

    def where(name: str, test) -> None:
        nonlocal keep
        if name in idx:
            keep &= test(X[:, idx[name]])

    where("flowVehH_1m", lambda v: v > 0)
    if "harmonicMeanSpeedKmh_1m" in idx and "speedLimitKmh" in idx:
        keep &= X[:, idx["harmonicMeanSpeedKmh_1m"]] >= 0.7 * X[:, idx["speedLimitKmh"]]
    for flag in ("dark", "twilight", "roadWet", "roadIce", "roadSnow", "weatherMissing"):
        where(flag, lambda v: v == 0)
    where("sunGlare", lambda v: v == 0)
    where("precipitationMmH", lambda v: v == 0)
    where("visibilityM", lambda v: v >= 1000)
    rows = X[keep] if keep.any() else X
    med = np.median(rows, axis=0)
    return {n: float(np.float32(med[k])) for n, k in idx.items()}, int(keep.sum())


def feature_importance(booster: lgb.Booster, names: list[str], top: int = 15) -> list[dict]:
    gain = booster.feature_importance(importance_type="gain")
    total = gain.sum() or 1.0
    order = np.argsort(-gain, kind="stable")[:top]
    return [{"feature": names[k], "gainShare": float(gain[k] / total)} for k in order]
