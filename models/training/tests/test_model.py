"""The float32 thresholds keep every float32 row's path (python -m pytest models/training/tests)."""
import lightgbm as lgb
import numpy as np
import pytest

from saferoads_risk.model import float32_thresholds, floor32


def test_floor32():
    assert floor32(0.5) == 0.5
    assert floor32(0.1) < 0.1
    assert np.float32(floor32(0.1)) == np.float32(floor32(0.1))  # a float32
    assert floor32(0.1) == float(np.nextafter(np.float32(0.1), np.float32(0)))
    assert floor32(-0.1) == float(np.float32(-0.1))  # float32(-0.1) is below -0.1 already


def test_a_booster_with_float32_thresholds_predicts_the_same_on_float32_rows():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(4000, 4)).astype(np.float32)
    X[:, 3] = np.round(X[:, 3], 1)  # coarse values that thresholds fall between
    y = ((X[:, 0] + X[:, 3] + rng.normal(scale=0.5, size=4000)) > 0).astype(int)
    b = lgb.train({"objective": "binary", "verbose": -1, "num_leaves": 8, "deterministic": True, "num_threads": 1}, lgb.Dataset(X, y), 30)
    text = b.model_to_string()
    fixed = lgb.Booster(model_str=float32_thresholds(text))
    assert fixed.model_to_string() != text
    np.testing.assert_array_equal(fixed.predict(X), b.predict(X))
    thresholds = [float(v) for line in fixed.model_to_string().split("\n") if line.startswith("threshold=") for v in line[10:].split(" ")]
    assert all(float(np.float32(t)) == t for t in thresholds)


def test_the_card_keeps_the_blocks_of_its_kind_of_data():
    from saferoads_risk.card import render

    t = "a {{x}}\n<!-- if simulated -->\nsim\n<!-- end -->\n<!-- if history -->\nhist\n<!-- end -->\nz\n"
    assert render(t, {"x": "1"}) == "a 1\nsim\nz\n"
    assert render(t, {"x": "2"}, "history") == "a 2\nhist\nz\n"



@pytest.mark.parametrize(
    "ratio,low,high,verdict",
    [
        (0.9748, 0.9701, 0.9795, "the interval's lower bound clears the target of at least 0.95: **met**"),
        (0.9550, 0.9420, 0.9680, "the estimate reaches the target of at least 0.95 but the interval's lower bound does not: **not shown**"),
        (0.9300, 0.9100, 0.9500, "the target of at least 0.95 is **not met**"),
    ],
)
def test_the_cards_verdict_goes_by_the_intervals_lower_bound(ratio, low, high, verdict):
    from saferoads_risk.card import target_line

    ci = {"by": "cluster", "units": 576, "strata": [574, 2], "seed": 1, "resamples": 1000, "used": 1000, "ratio": {"estimate": ratio, "low": low, "high": high}}
    assert target_line({"oracle": {}, "aucRatio": ratio, "aucBootstrap": ci}) == (
        f"Model AUC / oracle AUC = **{ratio:.4f}**, 95 % interval **{low:.4f}-{high:.4f}** (1,000 of 1,000 paired resamples of the 576 whole held-out "
        f"segment-days, those holding a crash and those without (574 and 2) drawn apart, seed 1): {verdict}."
    )


def test_the_card_without_an_oracle_gives_the_models_interval():
    from saferoads_risk.card import metrics_table, target_line

    ci = {"by": "cluster", "units": 90, "strata": [80, 10], "seed": 3, "resamples": 200, "used": 200, "model": {"estimate": 0.58, "low": 0.55, "high": 0.61}}
    m = {"rocAuc": 0.58, "sensitivityAt10PctFalseAlarms": 0.2, "sensitivityAt20PctFalseAlarms": 0.3, "brier": 0.01, "logLoss": 0.05, "meanPredicted": 0.01, "observedRate": 0.01}
    assert target_line({"model": m, "aucBootstrap": ci}).endswith("Model AUC 0.5800, 95 % interval 0.5500-0.6100 (200 of 200 resamples of the 90 whole held-out segment-days, those holding a crash and those without (80 and 10) drawn apart, seed 3).")
    assert "| ROC AUC, 95 % interval | 0.5500-0.6100 |" in metrics_table({"model": m, "aucBootstrap": ci})

def test_reference_values_are_medians_of_the_rows_in_reference_conditions():
    from saferoads_risk.model import reference_values

    names = ["flowVehH_1m", "harmonicMeanSpeedKmh_1m", "speedLimitKmh", "dark", "precipitationMmH", "visibilityM", "lengthM"]
    X = np.array(
        [
            [1200, 95, 100, 0, 0, 9000, 800],  # in
            [1800, 90, 100, 0, 0, 20000, 900],  # in
            [2400, 100, 100, 0, 0, 10000, 1000],  # in
            [600, 95, 100, 1, 0, 9000, 700],  # dark
            [2000, 40, 100, 0, 0, 9000, 700],  # congested
            [1500, 95, 100, 0, 2.5, 9000, 700],  # rain
            [1500, 95, 100, 0, 0, 300, 700],  # fog
            [0, 0, 100, 0, 0, 9000, 700],  # empty
        ],
        dtype=np.float32,
    )
    ref, rows = reference_values(X, names)
    assert rows == 3
    assert ref == {"flowVehH_1m": 1800.0, "harmonicMeanSpeedKmh_1m": 95.0, "speedLimitKmh": 100.0, "dark": 0.0, "precipitationMmH": 0.0, "visibilityM": 10000.0, "lengthM": 900.0}
