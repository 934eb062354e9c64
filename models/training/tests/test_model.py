"""The float32 thresholds keep every float32 row's path (python -m pytest models/training/tests)."""
import lightgbm as lgb
import numpy as np

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
