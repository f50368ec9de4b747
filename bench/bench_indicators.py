"""Benchmark: every indicator over the bundled data and over 1,000,000 synthetic events.

Run as ``python -m bench.bench_indicators [--events N] [--repeat K]`` (part of ``make bench``).
Targets on 2 cores: all indicators over the full bundled data ≤ 0.3 s; the event indicators
over 1,000,000 events ≤ 2 s. The synthetic frame has the curated chronology's columns with
dates spread over 1989–2026 and CAMEO codes drawn from the lookup table. Not a test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.data import load_all
from analysis.indicators import (
    agreements_per_year,
    arms_tiv,
    attach_goldstein,
    event_scores,
    exercises_per_year,
    meetings_per_year,
    partnership_level,
    rolling_event_scores,
    trade_cagr,
    trade_indicators,
    unga_agreement,
    veto_summary,
    vetoes_per_year,
    votes_long,
)
from analysis.model.change_points import change_points
from analysis.model.composite import composite_index
from analysis.model.phases import trend

TARGET_FULL = 0.3
TARGET_1M = 2.0
#: 1,000 chain-linked draws of the composite over 37 years (issue 16: the draws must not move
#: the briefing's timings).
TARGET_DRAWS = 0.5


def _best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def all_indicators(ds) -> None:
    votes = votes_long(ds.unga_roll_calls, ds.unga_votes)
    coded = attach_goldstein(ds.events, ds.cameo_goldstein)
    vetoes_per_year(ds.unsc_vetoes)
    veto_summary(ds.unsc_vetoes)
    unga_agreement(votes)
    unga_agreement(votes, by_issue=True)
    trade_indicators(ds.trade)
    trade_cagr(ds.trade)
    exercises_per_year(ds.military_cooperation)
    arms_tiv(ds.arms_transfers, series="sipri_register_2026-02-12")
    meetings_per_year(ds.events)
    agreements_per_year(ds.events)
    partnership_level(ds.partnership_designations)
    partnership_level(ds.partnership_designations, freq="MS")
    event_scores(coded)
    event_scores(coded, freq="MS")
    rolling_event_scores(coded)


def synthetic_events(n: int, cameo: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("1989-05-15", "2026-05-20", freq="D")
    cats = [
        "state_visit",
        "official_visit",
        "summit_meeting",
        "phone_call",
        "agreement",
        "joint_statement",
        "military",
        "friction",
        "other",
    ]
    return pd.DataFrame(
        {
            "event_id": np.arange(n).astype(str),
            "date": days[rng.integers(0, len(days), n)],
            "actor1": rng.choice(["CHN", "RUS"], n),
            "actor2": rng.choice(["CHN", "RUS"], n),
            "cameo_code": rng.choice(cameo["cameo_code"].to_numpy(), n),
            "category": rng.choice(cats, n),
            "leader_level": rng.choice(["yes", "no"], n),
            "significance": rng.integers(1, 4, n),
        }
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--events", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args(argv)
    ds = load_all()
    full = _best(lambda: all_indicators(ds), args.repeat)
    result = composite_index(ds)
    comp = _best(lambda: composite_index(ds), args.repeat)
    phases = _best(lambda: (change_points(result.series()), trend(result.series())), args.repeat)
    events = synthetic_events(args.events, ds.cameo_goldstein)

    def big() -> None:
        coded = attach_goldstein(events, ds.cameo_goldstein)
        event_scores(coded)
        event_scores(coded, freq="MS")
        rolling_event_scores(coded)
        meetings_per_year(events)
        agreements_per_year(events)

    million = _best(big, args.repeat)
    from analysis.model.uncertainty import Resampling, draw_composites

    rng = np.random.default_rng(0)
    raw = pd.DataFrame(rng.poisson(3, size=(37, 7)).astype(float), columns=list("abcdefg"))
    weights = dict.fromkeys(raw.columns, 1 / 7)
    spec = {c: Resampling("poisson") for c in raw.columns}
    draws = _best(
        lambda: draw_composites(raw, weights=weights, resample=spec, chain=True), args.repeat
    )
    print(f"{'measurement':<58}{'seconds':>9}{'target':>9}  ok")
    rows = [
        ("all indicators, full bundled data", full, TARGET_FULL),
        ("composite index over the full history (7 components)", comp, None),
        ("change points (PELT) + Theil–Sen trend", phases, None),
        (f"event indicators over {args.events:,} synthetic events", million, TARGET_1M),
        ("1,000 chain-linked composite draws × 37 years", draws, TARGET_DRAWS),
    ]
    for name, secs, target in rows:
        ok = "" if target is None else ("yes" if secs <= target else "NO")
        print(f"{name:<58}{secs:>9.3f}{'' if target is None else f'≤{target}':>9}  {ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
