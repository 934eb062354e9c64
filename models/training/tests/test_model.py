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
