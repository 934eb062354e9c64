"""Labels from a crash list, defaults for missing columns, and the splits (python -m pytest models/training/tests)."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from saferoads_risk.data import label_from_crashes, read_rows, split_rows
from saferoads_risk.spec import load_spec

SPEC = load_spec(Path(__file__).resolve().parents[2] / "feature-spec.json")
T0 = 1_773_126_000_000  # a whole minute
MIN = 60_000


def test_a_row_is_labelled_by_crashes_in_the_15_minutes_after_its_window(tmp_path):
    feats = pd.DataFrame({"segmentId": ["A"] * 20 + ["B"] * 2, "windowEndMs": [T0 + k * MIN for k in range(20)] + [T0, T0 + MIN], "flowVehH_1m": 600})
    feats.to_csv(tmp_path / "f.csv", index=False)
    # A crash at T0 + 15 min (epoch ms) and one at T0 + 16 min 30 s (ISO, +01:00); none on B.
    iso = pd.Timestamp(T0 + 16 * MIN + 30_000, unit="ms", tz="UTC").tz_convert("Europe/Vienna").isoformat()
    pd.DataFrame({"segmentId": ["A", "A", "C"], "time": [str(T0 + 15 * MIN), iso, str(T0)]}).to_csv(tmp_path / "c.csv", index=False)
    out = pd.read_csv(label_from_crashes(tmp_path / "f.csv", tmp_path / "c.csv", 15, tmp_path / "l.csv"))
    a = out[out.segmentId == "A"]
    # Window end E counts crashes in [E, E + 15 min): ends T0+1 .. T0+15 see the crash at 15,
    # ends T0+2 .. T0+16 the one at 16:30.
    # The records end at T0 + 19 min: rows ending after T0 + 4 min lack part of their future.
    assert list(a.windowEndMs) == [T0 + k * MIN for k in range(5)]
    assert list(a.crashesAhead) == [0, 1, 2, 2, 2]
    assert list(a.label) == [0, 1, 1, 1, 1]
    assert list(out[out.segmentId == "B"].label) == [0, 0]


def test_missing_columns_and_empty_cells_take_the_spec_defaults(tmp_path):
    pd.DataFrame({"segmentId": ["A", "A"], "windowEndMs": [T0, T0 + MIN], "flowVehH_1m": [1200.0, None], "meanGapS_1m": [2.5, None], "label": [0, 1]}).to_csv(tmp_path / "h.csv", index=False)
    ds = read_rows([tmp_path / "h.csv"], SPEC)
    names = SPEC.names
    assert ds.X.shape == (2, len(names))
    assert ds.X[:, names.index("flowVehH_1m")].tolist() == [1200.0, 0.0]
    assert ds.X[:, names.index("meanGapS_1m")].tolist() == [2.5, 60.0]
    assert ds.X[:, names.index("visibilityM")].tolist() == [10000.0, 10000.0]
    assert ds.filled["meanGapS_1m"] == 1 and ds.filled["visibilityM"] == 2
    assert ds.truth is None
    assert list(ds.y) == [0, 1]


def test_a_label_column_is_required(tmp_path):
    pd.DataFrame({"segmentId": ["A"], "windowEndMs": [T0]}).to_csv(tmp_path / "n.csv", index=False)
    with pytest.raises(ValueError, match="no column label"):
        read_rows([tmp_path / "n.csv"], SPEC)


def test_simulated_runs_split_whole_and_history_splits_by_time():
    keys = pd.DataFrame({"run": [f"1-{k}" for k in range(16) for _ in range(3)], "segmentId": "A", "windowEndMs": np.arange(48)})
    s = split_rows(keys)
    runs = lambda idx: sorted({int(keys.run[i].split("-")[1]) for i in idx})  # noqa: E731
    assert runs(s.test) == [3, 7, 11, 15]
    assert runs(s.validation) == [2, 10]
    assert runs(s.train) == [0, 1, 4, 5, 6, 8, 9, 12, 13, 14]
    h = split_rows(pd.DataFrame({"run": "history", "segmentId": "A", "windowEndMs": np.arange(100)}))
    assert (h.test.min(), len(h.test), h.validation.min(), len(h.validation), len(h.train)) == (75, 25, 65, 10, 65)
