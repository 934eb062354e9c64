"""The AUC bootstrap: known answers, the same numbers as TypeScript, and against sklearn (python -m pytest models/training/tests)."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from saferoads_risk.bootstrap import auc_bootstrap, percentile, rank, resample_counts, resample_plan, resample_uniforms, segment_days, weighted_auc

FIXTURES = Path(__file__).resolve().parents[3] / "cli" / "backtest" / "fixtures"
Y = np.array([0, 0, 0, 0, 1, 1])
MODEL = np.array([0.1, 0.3, 0.4, 0.7, 0.35, 0.8])
PERFECT = np.array([0.1, 0.2, 0.3, 0.4, 0.8, 0.9])


@pytest.mark.parametrize(
    "seed,b,k,u",
    [(1, 0, 0, 0.9084446762293659), (1, 0, 1, 0.025870151723560664), (1, 0, 2, 0.7612250630903694), (2**40 + 5, 7, 123456, 0.5484172524093691)],
)
def test_the_draws_are_typescripts_to_the_last_bit(seed, b, k, u):
    # The same doubles as services/risk-scorer/src/offline/bootstrap.test.ts asserts.
    assert resample_uniforms(seed, b, np.array([k]))[0] == u


def test_six_rows_counted_by_hand():
    plan = resample_plan(Y)
    assert [s.tolist() for s in plan.strata] == [[4, 5], [0, 1, 2, 3]]
    assert resample_counts(plan, 1, 0).tolist() == [1, 1, 0, 2, 1, 1]
    assert resample_counts(plan, 1, 1).tolist() == [1, 2, 1, 0, 1, 1]
    r = auc_bootstrap(Y, MODEL, PERFECT, resamples=20, seed=1)
    # Replicates 0.25, 0.625, ... sorted; h = 19 x 0.025 = 0.475: 0.25 + 0.475 x 0.375.
    assert r == {
        "by": "row",
        "units": 6,
        "strata": [2, 4],
        "seed": 1,
        "resamples": 20,
        "used": 20,
        "level": 0.95,
        "model": {"estimate": 0.75, "low": 0.42812500000000014, "high": 1.0},
        "reference": {"estimate": 1.0, "low": 1.0, "high": 1.0},
        "ratio": {"estimate": 0.75, "low": 0.42812500000000014, "high": 1.0},
    }


def test_clusters_in_order_of_first_appearance_and_resamples_without_a_class_left_out():
    plan = resample_plan(np.array([0, 0, 1, 0, 0, 0]), np.array(["b", "b", "a", "a", "c", "b"]))
    assert plan.unit_of_row.tolist() == [0, 0, 1, 1, 2, 0]
    assert [s.tolist() for s in plan.strata] == [[1], [0, 2]]
    # Both clusters hold a positive, only b a negative: resamples drawing a twice have no negative.
    r = auc_bootstrap(np.array([1, 1, 0]), np.array([0.9, 0.5, 0.1]), clusters=np.array(["a", "b", "b"]), resamples=40)
    assert (r["strata"], r["used"]) == ([2, 0], 28)


def test_a_model_equal_to_the_oracle_has_a_ratio_of_one():
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 0.3, 4000)
    y = (rng.uniform(0, 1, 4000) < p).astype(int)
    r = auc_bootstrap(y, p, p, clusters=np.arange(4000) // 40, resamples=50)
    assert r["ratio"] == {"estimate": 1.0, "low": 1.0, "high": 1.0}
    assert r["model"]["low"] < r["model"]["estimate"] < r["model"]["high"]


def test_each_resample_is_sklearns_auc_of_the_materialised_rows():
    rng = np.random.default_rng(5)
    for trial in range(30):
        n = int(rng.integers(4, 60))
        y = rng.integers(0, 2, n)
        if y.min() == y.max():
            continue
        s = rng.integers(0, 8, n) / 8  # ties
        clusters = rng.integers(0, 6, n) if trial % 2 else None
        plan = resample_plan(y, clusters)
        ranked = rank(y, s, plan.unit_of_row)
        for b in range(5):
            counts = resample_counts(plan, trial, b)
            rows = np.repeat(np.arange(n), counts[plan.unit_of_row])
            got = weighted_auc(ranked, counts)
            if y[rows].min() == y[rows].max():
                assert got is None
            else:
                assert got == pytest.approx(roc_auc_score(y[rows], s[rows]), abs=1e-12)


def test_percentile_is_numpys_linear_method():
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 999, 1000):
        v = np.sort(rng.normal(size=n))
        for q in (0.0, 0.025, 0.5, 0.975, 1.0):
            assert percentile(v, q) == pytest.approx(float(np.percentile(v, q * 100)), abs=1e-12)


def test_the_fixture_gives_what_typescript_gives():
    # cli/backtest/backtest.test.ts expects the same JSON from aucBootstrap in Node.
    want = json.loads((FIXTURES / "scored-5-40min.bootstrap-py.json").read_text())
    df = pd.read_csv(FIXTURES / "scored-5-40min.csv")
    y, p, o = df["label"].to_numpy(), df["risk"].to_numpy(), df["oracleRisk"].to_numpy()
    assert auc_bootstrap(y, p, o, resamples=1000, seed=1) == want["rows"]
    assert auc_bootstrap(y, p, o, clusters=np.arange(len(y)) // 8, resamples=1000, seed=1) == want["clustersOf8"]


def test_segment_days():
    keys = segment_days(np.array(["1-3", "1-3", "history", "history"]), np.array(["A", "B", "A", "A"]), np.array([0, 0, 86_399_999, 86_400_000]))
    assert keys.tolist() == ["1-3\u0000A", "1-3\u0000B", "A\u00000", "A\u00001"]
