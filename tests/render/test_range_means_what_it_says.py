"""Issue #12, "a range means what it says", over random ranges and as-of dates (hypothesis).

- A briefing with ``as_of=D`` on the full data quotes exactly the numbers of the same briefing
  built on a copy of ``data/`` cut at D (the loader's cut written back to CSV, sidecars' coverage
  ending at D): the vintage is the data, not a parallel mechanism.
- For random ranges, no key-event or designation row and no quoted year or month lies outside
  the range (the designation in force at the start is the one row of context, labelled).
- A year of yearly data is never in both the range and its preceding period.

Every section is rendered in-process (no Chromium); example counts are small.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.data import load_all
from analysis.data.loader import data_end, read_meta
from analysis.model.facts import range_facts
from analysis.model.periods import whole_years
from analysis.render.briefing import Briefing
from analysis.sections import metric_functions

END = data_end()


def write_cut_copy(day: pd.Timestamp, dest: Path) -> Path:
    """``data/`` as it stood on ``day``: every frame cut by the loader, written back to CSV in
    its original column order, every sidecar copied with its coverage ending at ``day``."""
    ds = load_all()
    cut = ds.cut(day)
    dest.mkdir(parents=True, exist_ok=True)
    for path in config.DATA_DIR.iterdir():
        if path.suffix in (".yaml", ".md") and not path.name.endswith(".meta.yaml"):
            shutil.copy(path, dest / path.name)
    for name, frame in cut.items():
        if frame.empty:  # nothing of it existed yet (a CSV needs rows): left out of the copy
            continue
        original = pd.read_csv(config.DATA_DIR / f"{name}.csv", nrows=0).columns
        frame[list(original)].to_csv(dest / f"{name}.csv", index=False, date_format="%Y-%m-%d")
        meta = read_meta(name, ds.data_dir)
        text = (config.DATA_DIR / f"{name}.meta.yaml").read_text(encoding="utf-8")
        cov = meta.get("coverage") or {}
        if cov.get("end") is not None and pd.Timestamp(cov["end"]) > day:
            doc = yaml.safe_load(text)
            doc["coverage"]["end"] = day.date()
            text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        (dest / f"{name}.meta.yaml").write_text(text, encoding="utf-8")
    return dest


def every_dataset_begun() -> pd.Timestamp:
    """The first day on which every dataset has a row (the latest declared coverage start; a
    calendar of scheduled events covers the future, so it does not count)."""
    ds = load_all()
    names = [n for n in ds.names() if read_meta(n, ds.data_dir).get("kind") != "calendar"]
    starts = [ds.coverage(n)[0] for n in names]
    return max(pd.Timestamp(s) for s in starts if s is not None)


def rendered(brief: Briefing) -> dict[str, str]:
    return {key: brief.section(key).data for key in brief.section_keys()}


def quoted(brief: Briefing) -> dict:
    rendered(brief)
    return {k: v["text"] for k, v in brief.numbers().values.items()}


RANGES = st.tuples(
    st.dates(
        min_value=pd.Timestamp("1992-01-01").date(), max_value=pd.Timestamp("2024-06-30").date()
    ),
    st.integers(min_value=60, max_value=12 * 365),
)


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],  # a briefing per example: no shrinking
)
@given(
    end=st.dates(
        min_value=pd.Timestamp("2010-01-01").date(), max_value=pd.Timestamp("2024-12-31").date()
    ),
    lag=st.integers(min_value=0, max_value=400),
    years=st.integers(min_value=1, max_value=12),
)
def test_as_of_equals_a_copy_of_the_data_cut_at_that_day(tmp_path_factory, end, lag, years):
    end = pd.Timestamp(end)
    # a copy of data/ cut before a dataset's first row would lack that file (a CSV needs rows),
    # which no real data folder of the project does: the vintage starts once every dataset has one
    day = min(max(end + pd.Timedelta(days=lag), every_dataset_begun()), END)
    start = max(end - pd.DateOffset(years=years) + pd.Timedelta(days=1), pd.Timestamp("1989-05-15"))
    folder = tmp_path_factory.mktemp("cut")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(config, "CACHE_DIR", folder / "cache")
        copy = write_cut_copy(day, folder / "data")
        a = quoted(Briefing(f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", as_of=f"{day:%Y-%m-%d}"))
        mp.setenv("BRIEFING_DATA_DIR", str(copy))
        b = quoted(Briefing(f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}", data_dir=copy))
    assert a.keys() == b.keys()
    diff = {k: (a[k], b[k]) for k in a if a[k] != b[k]}
    assert not diff, diff


def _dates(html_table: str) -> list[tuple[pd.Timestamp, str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", html_table, flags=re.S)
    out = []
    for row in rows:
        m = re.search(r"<td>(\d{4}-\d{2}-\d{2})([^<]*)</td>", row)
        if m:
            out.append((pd.Timestamp(m.group(1)), m.group(2)))
    return out


@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
@given(rng=RANGES)
def test_no_row_and_no_quoted_year_outside_the_range(rng):
    start = pd.Timestamp(rng[0])
    end = min(start + pd.Timedelta(days=rng[1]), END)
    brief = Briefing(f"{start:%Y-%m-%d}", f"{end:%Y-%m-%d}")
    html = rendered(brief)
    for date, _ in _dates(html["key_events"]):
        assert start <= date <= end
    for date, label in _dates(html["diplomatic"].split("official designations in the range")[-1]):
        assert (start <= date <= end) or ("in force at the start" in label and date < start)
    values = brief.numbers().values
    for key in ("composite.first_year", "composite.last_year", "economic.first_value"):
        if key in values and key.endswith("_year"):
            year = values[key]["value"]
            assert start.year <= year <= end.year, key
    comp = brief.facts.composite
    if comp.get("resolution") == "year" and comp["years"]:
        years = whole_years(brief.facts.period)
        assert years[0] <= comp["first_year"] <= comp["last_year"] <= years[1]
    if comp.get("resolution") == "month" and comp["years"]:
        first = pd.Timestamp(comp["first_label"]) + pd.offsets.MonthEnd(0)
        assert start <= first - pd.offsets.MonthBegin(1) and first <= end


@pytest.fixture(scope="module")
def ds():
    return load_all()


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(rng=RANGES)
def test_a_year_of_yearly_data_is_never_in_both_the_range_and_the_preceding_period(ds, rng):
    from analysis.model.composite import composite_index

    start = pd.Timestamp(rng[0])
    end = min(start + pd.Timedelta(days=rng[1]), END)
    facts = range_facts(ds, composite_index(ds), start, end, metric_functions())

    def years(section: dict, first: str, last: str) -> set[int]:
        if section.get(first) is None:
            return set()
        return set(range(section[first], section[last] + 1))

    now, before = facts.current, facts.prior
    assert not years(now["economic"], "first_year", "last_year") & years(
        before["economic"], "first_year", "last_year"
    )
    arms = [s.get("arms_years") for s in (now["military"], before["military"])]
    if all(arms):
        spans = [set(range(int(a[:4]), int(a[-4:]) + 1)) for a in arms]
        assert not spans[0] & spans[1]
