"""Training data: simulated by `saferoads dataset`, or a road authority's own history."""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .spec import FeatureSpec

KEY_COLUMNS = ["run", "segmentId", "windowEndMs"]
TRUTH_COLUMNS = ["hazardNow", "oracleRisk", "crashesAhead"]
MINUTE_MS = 60_000


@dataclass
class Dataset:
    """Rows of segment-minutes: features in spec order (float32), labels, and what is known about them."""

    keys: pd.DataFrame
    X: np.ndarray
    y: np.ndarray
    #: The simulator's truth (hazardNow, oracleRisk, crashesAhead) or None for real history.
    truth: pd.DataFrame | None
    #: Defaults filled in, by feature: columns the file did not have count every row.
    filled: dict[str, int]


def simulated_paths(data_dir: Path, seed: int, runs: int, minutes: int, jobs: int) -> list[Path]:
    return [data_dir / f"sim-s{seed}-r{runs}-m{minutes}-p{i}of{jobs}.csv.gz" for i in range(1, jobs + 1)]


def generate_simulated(repo: Path, data_dir: Path, spec: FeatureSpec, seed: int, runs: int, minutes: int, jobs: int, log) -> list[Path]:
    """Runs `saferoads dataset` in `jobs` processes (--part i/jobs) unless their files exist for this spec.

    A file counts as done when its `.done` marker names the spec's fingerprint: an interrupted
    run, or a changed spec, generates afresh.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    paths = simulated_paths(data_dir, seed, runs, minutes, jobs)
    marker = lambda p: p.with_name(p.name + ".done")  # noqa: E731
    todo = [(i, p) for i, p in enumerate(paths, 1) if not (p.exists() and marker(p).exists() and json.loads(marker(p).read_text()).get("specFingerprint") == spec.fingerprint())]
    if not todo:
        log(f"data: reusing {', '.join(str(p) for p in paths)}")
        return paths
    procs = []
    for i, p in todo:
        cmd = ["node", str(repo / "bin" / "saferoads.js"), "dataset", "--seed", str(seed), "--runs", str(runs), "--minutes", str(minutes), "--part", f"{i}/{jobs}", "--spec", str(spec.path), "--out", str(p)]
        log("data: " + " ".join(cmd[1:]))
        procs.append((p, subprocess.Popen(cmd, cwd=repo, stderr=sys.stderr)))
    failed = [str(p) for p, proc in procs if proc.wait() != 0]
    if failed:
        raise RuntimeError(f"saferoads dataset failed for {', '.join(failed)}")
    for _, p in todo:
        marker(p).write_text(json.dumps({"specFingerprint": spec.fingerprint(), "seed": seed, "runs": runs, "minutes": minutes}))
    return paths


def features_from_stats(repo: Path, spec: FeatureSpec, stats: Path, weather: Path | None, network: Path | None, out: Path, log) -> Path:
    """Feature rows from recorded traffic-stats (and weather) by `saferoads dataset --from-stats`:
    the scorer's own row building, so the model trains on the rows it will be given."""
    cmd = ["node", str(repo / "bin" / "saferoads.js"), "dataset", "--from-stats", str(stats.resolve()), "--spec", str(spec.path), "--out", str(out)]
    if weather is not None:
        cmd += ["--weather", str(weather.resolve())]
    if network is not None:
        cmd += ["--network", str(network.resolve())]
    log("data: " + " ".join(cmd[1:]))
    if subprocess.run(cmd, cwd=repo, stderr=sys.stderr).returncode != 0:
        raise RuntimeError("saferoads dataset --from-stats failed")
    return out


def read_rows(paths: list[Path], spec: FeatureSpec, label_column: str = "label") -> Dataset:
    """Reads dataset CSVs (as `saferoads dataset` writes them; .gz is fine).

    Feature columns are matched by name, in any order; a feature the file lacks, and an empty
    cell, take the spec's default. Other columns are ignored. The label column is required.
    """
    names = spec.names
    defaults = spec.defaults
    frames = []
    for p in paths:
        header = pd.read_csv(p, nrows=0).columns
        missing = [c for c in ("segmentId", "windowEndMs", label_column) if c not in header]
        if missing:
            raise ValueError(f"{p}: no column {', '.join(missing)} (docs/model.md, Training on your own history)")
        dtypes = {n: "float32" for n in names if n in header}
        dtypes.update({"segmentId": "string", "windowEndMs": "int64", label_column: "int8"})
        if "run" in header:
            dtypes["run"] = "string"
        frames.append(pd.read_csv(p, dtype=dtypes, engine="pyarrow"))
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    if "run" not in df.columns:
        df["run"] = "history"
    filled: dict[str, int] = {}
    X = np.empty((len(df), len(names)), dtype=np.float32)
    for k, n in enumerate(names):
        if n in df.columns:
            col = df[n].to_numpy(dtype=np.float32, na_value=np.nan)
            nan = np.isnan(col)
            if nan.any():
                col = np.where(nan, np.float32(defaults[n]), col)
                filled[n] = int(nan.sum())
            X[:, k] = col
        else:
            X[:, k] = defaults[n]
            filled[n] = len(df)
    y = df[label_column].to_numpy(dtype=np.int8)
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"the {label_column} column must hold 0 and 1 only")
    truth = df[TRUTH_COLUMNS].copy() if all(c in df.columns for c in TRUTH_COLUMNS) else None
    return Dataset(keys=df[KEY_COLUMNS].copy(), X=X, y=y, truth=truth, filled=filled)


def label_from_crashes(features: Path, crashes: Path, horizon_minutes: int, out: Path) -> Path:
    """Adds `crashesAhead` and `label` to a features CSV from a crash list (segmentId, time).

    A row is the window [windowEndMs - 1 min, windowEndMs); its label is 1 when the segment has a
    crash at or after windowEndMs and before windowEndMs + horizon, as in the simulated data.
    `time` is epoch milliseconds or ISO 8601 with an offset. Rows within `horizon` of the end of
    the records are dropped: their future is not in the data.
    """
    df = pd.read_csv(features, engine="pyarrow")
    cr = pd.read_csv(crashes, dtype={"segmentId": "string"})
    for c in ("segmentId", "time"):
        if c not in cr.columns:
            raise ValueError(f"{crashes}: no column {c} (segmentId, time)")
    t = pd.to_numeric(cr["time"], errors="coerce")
    iso = t.isna()
    if iso.any():
        parsed = pd.to_datetime(cr.loc[iso, "time"], utc=True, format="ISO8601")
        if parsed.isna().any():
            bad = cr.loc[iso, "time"][parsed.isna()].iloc[0]
            raise ValueError(f"{crashes}: time {bad!r} is neither epoch ms nor ISO 8601")
        # Whatever resolution pandas parsed to, in milliseconds.
        t.loc[iso] = (parsed - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(milliseconds=1)
    cr = pd.DataFrame({"segmentId": cr["segmentId"], "ms": t.astype("int64")}).sort_values(["segmentId", "ms"])
    counts = np.zeros(len(df), dtype=np.int32)
    horizon = horizon_minutes * MINUTE_MS
    by_segment = {s: g["ms"].to_numpy() for s, g in cr.groupby("segmentId")}
    for s, idx in df.groupby("segmentId").indices.items():
        times = by_segment.get(s)
        if times is None:
            continue
        ends = df["windowEndMs"].to_numpy()[idx]
        counts[idx] = np.searchsorted(times, ends + horizon, side="left") - np.searchsorted(times, ends, side="left")
    df["crashesAhead"] = counts
    df["label"] = (counts > 0).astype(np.int8)
    # The last rows' 15 minutes run past the end of the records: whether a crash followed is
    # unknown, not "no", so they go.
    df = df[df["windowEndMs"] + horizon <= df["windowEndMs"].max()]
    df.to_csv(out, index=False)
    return out


@dataclass
class Split:
    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray
    how: str


def split_rows(keys: pd.DataFrame) -> Split:
    """Simulated data: whole runs, every 4th run for the test and every 8th (offset 2) for early
    stopping, so no day is seen in training and evaluation both. A single history: by time,
    the last quarter for the test, the 10 % before it for early stopping."""
    runs = keys["run"].astype(str)
    unique = sorted(runs.unique(), key=lambda r: (len(r), r))
    if len(unique) >= 8:
        number = runs.str.rsplit("-", n=1).str[-1].astype(int)
        test = (number % 4 == 3).to_numpy()
        validation = (number % 8 == 2).to_numpy()
        how = "whole runs: test = runs k with k mod 4 = 3, early stopping = k mod 8 = 2, training = the rest"
    else:
        t = keys["windowEndMs"].to_numpy()
        q75, q65 = np.quantile(t, 0.75), np.quantile(t, 0.65)
        test = t >= q75
        validation = (t >= q65) & ~test
        how = "by time: test = the last 25 % of windowEndMs, early stopping = the 10 % before it, training = the rest"
    train = ~(test | validation)
    return Split(train=np.flatnonzero(train), validation=np.flatnonzero(validation), test=np.flatnonzero(test), how=how)
