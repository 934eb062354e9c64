"""Known answers for the model card's metrics (python -m pytest models/training/tests)."""
import numpy as np
import pytest

from saferoads_risk.metrics import calibration_table, score_metrics, sensitivity_at_fpr, threshold_at_fpr


def test_perfect_and_useless_scores():
    y = np.array([0, 0, 0, 0, 1, 1])
    assert score_metrics(y, np.array([0.1, 0.2, 0.3, 0.4, 0.8, 0.9]))["rocAuc"] == 1.0
    assert score_metrics(y, np.full(6, 0.5))["rocAuc"] == 0.5


def test_auc_of_a_hand_counted_ranking():
    # Pairs (positive above negative): 0.35 beats 0.1, 0.3; 0.8 beats all four: 6 of 8.
    y = np.array([0, 0, 0, 0, 1, 1])
    s = np.array([0.1, 0.3, 0.4, 0.7, 0.35, 0.8])
    assert score_metrics(y, s, probability=False)["rocAuc"] == pytest.approx(6 / 8)


def test_sensitivity_at_false_alarm_rates_interpolates_the_roc_curve():
    # 10 negatives 0.00..0.09, positives at 0.085 (above 9 negatives, below 1) and 0.5.
    y = np.array([0] * 10 + [1, 1])
    s = np.concatenate([np.arange(10) / 100, [0.085, 0.5]])
    # The curve: (0, 0.5) above 0.09, flat to (0.1, 0.5) at the false alarm 0.09, up to (0.1, 1)
    # at 0.085, then flat to (1, 1).
    assert sensitivity_at_fpr(y, s, 0.0) == pytest.approx(0.5)
    assert sensitivity_at_fpr(y, s, 0.05) == pytest.approx(0.5)
    assert sensitivity_at_fpr(y, s, 0.1) == pytest.approx(1.0)
    # A positive tied with a negative (0.06) makes a diagonal step from (0.3, 0.5) to (0.4, 1).
    s2 = np.concatenate([np.arange(10) / 100, [0.06, 0.5]])
    assert sensitivity_at_fpr(y, s2, 0.35) == pytest.approx(0.75)
    assert threshold_at_fpr(y, s, 0.1) == pytest.approx(0.08)


def test_calibration_deciles():
    p = np.linspace(0.01, 1.0, 100)
    y = (np.arange(100) % 10 == 0).astype(int)  # 1 in every 10 rows, one per decile
    table = calibration_table(y, p)
    assert len(table) == 10
    assert [r["rows"] for r in table] == [10] * 10
    assert [r["positives"] for r in table] == [1] * 10
    assert table[0]["predictedMean"] == pytest.approx(0.055)
    assert table[9]["predictedMax"] == pytest.approx(1.0)


def test_brier_and_log_loss():
    m = score_metrics(np.array([0, 1]), np.array([0.2, 0.6]))
    assert m["brier"] == pytest.approx((0.04 + 0.16) / 2)
    assert m["logLoss"] == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    assert m["meanPredicted"] == pytest.approx(0.4)

