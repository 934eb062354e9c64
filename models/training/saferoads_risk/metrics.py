"""The model card's metrics: ROC AUC, sensitivity at fixed false-alarm rates, calibration."""
from __future__ import annotations

import numpy as np
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score, roc_curve

FALSE_ALARM_RATES = (0.10, 0.20)


def sensitivity_at_fpr(y: np.ndarray, score: np.ndarray, fpr_target: float) -> float:
    """True-positive rate where the ROC curve reaches the false-positive rate `fpr_target`.

    The ROC curve is piecewise linear between its thresholds (ties in the score are one step),
    so the value is interpolated along it: what a threshold between two scores, randomised on
    the tie, would give.
    """
    fpr, tpr, _ = roc_curve(y, score)
    # fpr never decreases; where it repeats the curve is vertical, and its top counts.
    i = int(np.searchsorted(fpr, fpr_target, side="right"))
    if i >= len(fpr):
        return float(tpr[-1])
    frac = (fpr_target - fpr[i - 1]) / (fpr[i] - fpr[i - 1])
    return float(tpr[i - 1] + frac * (tpr[i] - tpr[i - 1]))


def threshold_at_fpr(y: np.ndarray, score: np.ndarray, fpr_target: float) -> float:
    """The lowest score threshold whose false-positive rate does not exceed `fpr_target`."""
    negatives = np.sort(score[y == 0])[::-1]
    k = int(np.floor(fpr_target * len(negatives)))
    return float(negatives[k]) if k < len(negatives) else float(negatives[-1])


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
    """Rows sorted by predicted probability, cut into `bins` groups of equal size (deciles by default):
    each group's mean prediction beside its observed rate of positives."""
    order = np.argsort(p, kind="stable")
    groups = np.array_split(order, bins)
    out = []
    for k, g in enumerate(groups):
        if len(g) == 0:
            continue
        out.append(
            {
                "bin": k + 1,
                "rows": int(len(g)),
                "predictedMin": float(p[g].min()),
                "predictedMax": float(p[g].max()),
                "predictedMean": float(p[g].mean()),
                "observedRate": float(y[g].mean()),
                "positives": int(y[g].sum()),
            }
        )
    return out


def score_metrics(y: np.ndarray, score: np.ndarray, probability: bool = True) -> dict:
    """ROC AUC, sensitivity at 10 % and 20 % false alarms and, for probabilities, Brier score,
    log loss, mean prediction and the calibration table."""
    y = np.asarray(y, dtype=np.int8)
    score = np.asarray(score, dtype=np.float64)
    m: dict = {
        "rows": int(len(y)),
        "positives": int(y.sum()),
        "rocAuc": float(roc_auc_score(y, score)),
    }
    for fa in FALSE_ALARM_RATES:
        m[f"sensitivityAt{int(round(fa * 100))}PctFalseAlarms"] = sensitivity_at_fpr(y, score, fa)
    if probability:
        clipped = np.clip(score, 1e-7, 1 - 1e-7)
        m["brier"] = float(brier_score_loss(y, clipped))
        m["logLoss"] = float(log_loss(y, clipped))
        m["meanPredicted"] = float(score.mean())
        m["observedRate"] = float(y.mean())
        m["calibration"] = calibration_table(y, score)
    return m

