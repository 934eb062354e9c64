"""The paired percentile bootstrap of the model's and the oracle's ROC AUC and of their ratio.

services/risk-scorer/src/offline/bootstrap.ts in numpy: the same plan (rows, or clusters numbered in
order of first appearance, stratified by whether they hold a positive), the same random draws (a
pure function of seed, resample and draw, so a whole resample is drawn at once), the same integer
sums and the same percentile, hence the same numbers to the last bit as `saferoads backtest`
(cli/backtest/fixtures pins both languages to one file). Why stratified and why clusters: see the
TypeScript module.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_RESAMPLES = 1000
LEVEL = 0.95
DAY_MS = 86_400_000


def mix32(x) -> np.ndarray:
    """splitmix32's finaliser on uint32 (wrapping arithmetic, as Math.imul)."""
    z = np.atleast_1d(np.asarray(x, dtype=np.uint32))
    with np.errstate(over="ignore"):
        z = z + np.uint32(0x9E3779B9)
        z = (z ^ (z >> np.uint32(16))) * np.uint32(0x85EBCA6B)
        z = (z ^ (z >> np.uint32(13))) * np.uint32(0xC2B2AE35)
    return z ^ (z >> np.uint32(16))


def resample_key(seed: int, b: int) -> np.ndarray:
    s = mix32(mix32(seed & 0xFFFFFFFF) ^ mix32(seed >> 32))
    return mix32(s ^ mix32(b))


def resample_uniforms(seed: int, b: int, k: np.ndarray) -> np.ndarray:
    """Draws `k` of resample `b`: uniform in [0, 1) with 53 bits, as resampleUniform."""
    key = resample_key(seed, b)
    lo = mix32(key ^ mix32(np.asarray(k, dtype=np.uint32)))
    hi = mix32(lo ^ np.uint32(0x5BD1E995) ^ key)
    return ((hi >> np.uint32(11)).astype(np.float64) * 4294967296.0 + lo.astype(np.float64)) / 2.0**53


@dataclass
class Plan:
    by: str
    units: int
    unit_of_row: np.ndarray
    #: units holding a positive, then the others, each ascending
    strata: tuple[np.ndarray, np.ndarray]


def resample_plan(y: np.ndarray, clusters: np.ndarray | None = None) -> Plan:
    y = np.asarray(y)
    if clusters is None:
        unit_of_row = np.arange(len(y), dtype=np.int64)
        units = len(y)
    else:
        if len(clusters) != len(y):
            raise ValueError(f"labels and clusters differ in length: {len(y)} and {len(clusters)}")
        codes, uniques = pd.factorize(np.asarray(clusters), sort=False)
        unit_of_row = codes.astype(np.int64)
        units = len(uniques)
    positive = np.zeros(units, dtype=bool)
    positive[unit_of_row[y == 1]] = True
    return Plan("row" if clusters is None else "cluster", units, unit_of_row, (np.flatnonzero(positive), np.flatnonzero(~positive)))


def resample_counts(plan: Plan, seed: int, b: int) -> np.ndarray:
    """How often resample `b` draws each unit: draws 0 .. |first stratum| - 1 from the first stratum, the rest from the second."""
    m1, m0 = len(plan.strata[0]), len(plan.strata[1])
    u = resample_uniforms(seed, b, np.arange(m1 + m0))
    picked = np.concatenate([plan.strata[0][np.floor(u[:m1] * m1).astype(np.int64)], plan.strata[1][np.floor(u[m1:] * m0).astype(np.int64)]])
    return np.bincount(picked, minlength=plan.units).astype(np.int64)


@dataclass
class Ranked:
    unit: np.ndarray
    label: np.ndarray
    #: first sorted position of each run of equal scores
    starts: np.ndarray


def rank(y: np.ndarray, score: np.ndarray, unit_of_row: np.ndarray) -> Ranked:
    order = np.argsort(score, kind="stable")
    s = score[order]
    starts = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1]])) if len(s) else np.zeros(0, dtype=np.int64)
    return Ranked(unit_of_row[order], np.asarray(y, dtype=np.int64)[order], starts)


def weighted_auc(r: Ranked, counts: np.ndarray) -> float | None:
    """The AUC of the rows each repeated counts[its unit] times, from whole-number sums (twice the wins)."""
    if len(r.unit) == 0:
        return None
    w = counts[r.unit]
    wp = w * r.label
    gp = np.add.reduceat(wp, r.starts)
    gn = np.add.reduceat(w - wp, r.starts)
    below = np.cumsum(gn) - gn
    twice = int(np.dot(gp, 2 * below + gn))
    p, n = int(gp.sum()), int(gn.sum())
    if p == 0 or n == 0:
        return None
    # Python's int / int is correctly rounded, as the double division of the same exact integers in TypeScript.
    return twice / (2 * p * n)


def percentile(sorted_values: np.ndarray, q: float) -> float:
    """numpy's linear method, written out as in TypeScript so that both do the same operations."""
    n = len(sorted_values)
    if n == 0:
        return float("nan")
    h = (n - 1) * q
    i = int(np.floor(h))
    if i + 1 >= n:
        return float(sorted_values[n - 1])
    return float(sorted_values[i] + (h - i) * (sorted_values[i + 1] - sorted_values[i]))


def _interval(estimate: float, values: np.ndarray) -> dict:
    kept = np.sort(values[~np.isnan(values)])
    tail = (1 - LEVEL) / 2
    return {"estimate": estimate, "low": percentile(kept, tail), "high": percentile(kept, 1 - tail)}


def auc_bootstrap(y: np.ndarray, model: np.ndarray, reference: np.ndarray | None = None, clusters: np.ndarray | None = None, resamples: int = DEFAULT_RESAMPLES, seed: int = 1) -> dict | None:
    """95 % percentile intervals of the model's AUC and, with a reference (the oracle), of the
    reference's and of model / reference, every resample reweighting the same rows for both.
    The keys of aucBootstrap's result in TypeScript; None when a class is absent."""
    y = np.asarray(y, dtype=np.int64)
    plan = resample_plan(y, clusters)
    m = rank(y, np.asarray(model, dtype=np.float64), plan.unit_of_row)
    r = None if reference is None else rank(y, np.asarray(reference, dtype=np.float64), plan.unit_of_row)
    once = np.ones(plan.units, dtype=np.int64)
    model_auc = weighted_auc(m, once)
    if model_auc is None:
        return None
    model_values = np.full(resamples, np.nan)
    reference_values = np.full(resamples, np.nan)
    used = 0
    for b in range(resamples):
        counts = resample_counts(plan, seed, b)
        a = weighted_auc(m, counts)
        if a is None:
            continue
        model_values[b] = a
        if r is not None:
            reference_values[b] = weighted_auc(r, counts)
        used += 1
    out = {
        "by": plan.by,
        "units": int(plan.units),
        "strata": [int(len(plan.strata[0])), int(len(plan.strata[1]))],
        "seed": seed,
        "resamples": resamples,
        "used": used,
        "level": LEVEL,
        "model": _interval(model_auc, model_values),
    }
    if r is None:
        return out
    reference_auc = weighted_auc(r, once)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(reference_values > 0, model_values / reference_values, np.nan)
    out["reference"] = _interval(reference_auc, reference_values)
    out["ratio"] = _interval(model_auc / reference_auc if reference_auc > 0 else float("nan"), ratios)
    return out


def segment_days(runs: np.ndarray, segment_ids: np.ndarray, window_end_ms: np.ndarray) -> np.ndarray:
    """The cluster of each row: its run and segment for a simulated day, its segment and UTC date
    for a road authority's history (run "history"), as `saferoads backtest` keys them."""
    days = (np.asarray(window_end_ms, dtype=np.int64) // DAY_MS).tolist()
    keys = [f"{s}\u0000{d}" if r == "history" else f"{r}\u0000{s}" for r, s, d in zip(map(str, runs), map(str, segment_ids), days)]
    return np.array(keys, dtype=object)
