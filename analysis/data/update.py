"""``briefing update``: fetch what public sources publish, rebuild the derived datasets, say what
is stale.

1. **Fetch.** The registry's sources (``external/sources.yaml``: the default entries, or those
   named with ``only``) are retrieved with pooch into the cache folder (the external data folder
   of ``make data``); live pages (``mutable``) are fetched again, files present and matching are
   not (:func:`analysis.data.external.download.fetch_all`).
2. **Rebuild.** Each builder of :data:`BUILDERS` whose inputs are at hand writes its datasets into
   a temporary folder inside ``data/``, beside copies of every other dataset.
3. **Validate.** That folder is loaded whole (:func:`analysis.data.loader.load_all`: every file
   against its sidecar, and the references between files). Only then are the rebuilt files that
   differ renamed into ``data/``: all or none.
4. **Report.** A change table per rebuilt dataset (rows before and after, added, removed,
   changed by primary key, last observation before and after), the last date each fetched source
   reaches, and every curated dataset (never edited here) with its last observation and its lag
   in days behind the newest source (:func:`analysis.data.freshness.freshness`).

Outcomes (:class:`Outcome`): ``status`` 0 done; 1 some sources could not be downloaded (listed;
builders that needed them were skipped, the rest went ahead); 2 a source or a rebuilt file does
not read or validate (one line naming the file and the failure; ``data/`` untouched); 3 no network
(one line; nothing changed).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.external.download import fetch_all, load_registry, select
from analysis.data.freshness import dated, freshness, last_observation
from analysis.data.loader import DataError, load, load_all, read_meta
from analysis.data.schema import coverage_columns
from analysis.sidecars import dataset_names


class UpdateFailed(Exception):
    """A source or a rebuilt file does not read or validate; the message is one line."""


class Skipped(Exception):
    """A builder's inputs are not at hand (not a failure: its datasets stay as they are)."""


@dataclass(frozen=True)
class Builder:
    """A builder: the datasets it writes, the registry datasets it reads, and how to run it
    (``run(out_dir, cache_dir, source_dir)`` writes the CSVs and sidecars into ``out_dir``)."""

    name: str
    datasets: tuple[str, ...]
    inputs: tuple[str, ...]
    run: Callable[[Path, Path, Path], None]


def _unga_record(out_dir: Path, cache_dir: Path, source_dir: Path) -> None:
    from analysis.data.builders import unga_record
    from analysis.data.builders.unga_record_read import SourceError, locate

    try:
        files = locate(source_dir, cache_dir / "unvotes")
    except SourceError as exc:
        raise Skipped(str(exc)) from None
    try:
        frames = unga_record.build(files)
        unga_record.write(frames, out_dir)
    except (SourceError, RuntimeError) as exc:  # RuntimeError: a rebuilt file does not validate
        raise UpdateFailed(" ".join(str(exc).split())) from None


#: The builders ``briefing update`` runs (``make derived`` runs the first on its own).
BUILDERS: tuple[Builder, ...] = (
    Builder(
        "unga_record",
        ("unga_record_roll_calls", "unga_record_votes", "unga_session_scores"),
        ("unvotes",),
        _unga_record,
    ),
)


CHANGE_COLUMNS = ["dataset", "rows_before", "rows_after", "added", "removed", "changed"]
CHANGE_COLUMNS += ["last_before", "last_after"]


@dataclass
class Outcome:
    """What an update did; :func:`report` turns it into text."""

    status: int = 0
    message: str = ""  # the one line of a failure (status 2) or of no network (status 3)
    fetched: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    changes: pd.DataFrame | None = None
    sources: pd.DataFrame | None = None
    curated: pd.DataFrame | None = None
    written: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# What changed, and how far each source reaches
# --------------------------------------------------------------------------------------------


def _text(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _last(name: str, data_dir: Path) -> pd.Timestamp | None:
    meta = read_meta(name, data_dir)
    return last_observation(load(name, data_dir), coverage_columns(meta))[0]


def change_row(name: str, old_dir: Path, new_dir: Path) -> dict:
    """Rows before and after, added, removed and changed (by the sidecar's primary key, else by
    whole rows), and the last observation before and after, of one dataset."""
    new = _text(new_dir / f"{name}.csv")
    old_path = old_dir / f"{name}.csv"
    old = _text(old_path) if old_path.exists() else new.iloc[0:0]
    key = list(read_meta(name, new_dir).get("primary_key") or [])
    if not key or not set(key) <= set(old.columns) & set(new.columns):
        key = [c for c in new.columns if c in old.columns]
    both = old.merge(new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    shared = [c for c in new.columns if c in old.columns and c not in key]
    matched = both[both["_merge"] == "both"]
    differs = pd.Series(False, index=matched.index)
    for col in shared:
        differs |= matched[f"{col}_old"] != matched[f"{col}_new"]
    last_old = _last(name, old_dir) if old_path.exists() else None
    last_new = _last(name, new_dir)
    return {
        "dataset": name,
        "rows_before": len(old),
        "rows_after": len(new),
        "added": int((both["_merge"] == "right_only").sum()),
        "removed": int((both["_merge"] == "left_only").sum()),
        "changed": int(differs.sum()),
        "last_before": _day(last_old),
        "last_after": _day(last_new),
    }


def _day(when: pd.Timestamp | None) -> str:
    return "n/a" if when is None or pd.isna(when) else f"{when:%Y-%m-%d}"


def source_dates(cache_dir: Path, fetched: Sequence[str], data_dir: Path) -> pd.DataFrame:
    """The last date each fetched source reaches that can be read without a builder: the veto
    list (and how many of its rows are later than ``unsc_vetoes``' last) and UN Digital Library
    voting data saved in ``<cache>/undl/`` (its ``date`` column). Raises :class:`UpdateFailed`
    when such a file does not read in its layout."""
    rows = []
    page = cache_dir / "vetolist" / "veto.html"
    if "veto_list" in fetched and page.is_file():
        from analysis.data.external.vetolist import read_veto_list

        try:
            vetoes = read_veto_list(page)
        except (DataError, ValueError) as exc:
            raise UpdateFailed(" ".join(str(exc).split())) from None
        if not vetoes.empty:
            last = vetoes["date"].max()
            mine = (
                _last("unsc_vetoes", data_dir) if (data_dir / "unsc_vetoes.csv").exists() else None
            )
            later = int((vetoes["date"] > mine).sum()) if mine is not None else len(vetoes)
            note = f"{later} rows after unsc_vetoes' last ({_day(mine)}); unsc_vetoes is curated"
            rows.append(
                {"source": "veto_list", "file": "vetolist/veto.html", "last": last, "note": note}
            )
    for path in sorted((cache_dir / "undl").glob("*.csv")):
        try:
            days = pd.read_csv(path, usecols=["date"], dtype=str)["date"]
            last = pd.to_datetime(days, format="mixed").max()
        except (ValueError, KeyError) as exc:
            raise UpdateFailed(f"{path}: no readable 'date' column ({exc})") from None
        rows.append({"source": "undl", "file": f"undl/{path.name}", "last": last, "note": ""})
    return pd.DataFrame(rows, columns=["source", "file", "last", "note"])


def curated_lags(data_dir: Path, derived: Sequence[str], sources: pd.DataFrame) -> pd.DataFrame:
    """Each curated (not derived) dated dataset with its last observation and its lag in days
    behind the newest source: the latest last observation of any dataset or fetched source."""
    ds = load_all(data_dir)
    everything = freshness(ds, dated(ds, ds.names()))
    newest = everything.attrs["end"]
    if not sources.empty and (pd.isna(newest) or sources["last"].max() > newest):
        newest = sources["last"].max()
    curated = [n for n in dated(ds, ds.names()) if n not in derived]
    table = freshness(ds, curated, newest)
    table.attrs["newest"] = newest
    return table


# --------------------------------------------------------------------------------------------
# The update
# --------------------------------------------------------------------------------------------


def update(
    data_dir: Path,
    cache_dir: Path,
    source_dir: Path,
    *,
    registry: Path | None = None,
    only: Sequence[str] | None = None,
    url_base: str | None = None,
    timeout: float = 30.0,
) -> Outcome:
    """Fetch, rebuild, validate, install and measure; see the module docstring."""
    data_dir, cache_dir = Path(data_dir), Path(cache_dir)
    if not dataset_names(data_dir):
        return Outcome(2, f"{data_dir}: no dataset (no <name>.csv beside a <name>.meta.yaml)")
    try:
        sources = select(load_registry(*([registry] if registry else [])), only)
    except (OSError, ValueError) as exc:
        return Outcome(2, " ".join(str(exc).split()))
    got = fetch_all(sources, cache_dir, url_base=url_base, refresh=None, timeout=timeout)
    if got.no_network:
        return Outcome(3, f"no network: nothing fetched, {data_dir} unchanged ({got.no_network})")
    out = Outcome(1 if got.errors else 0, fetched=got.lines, errors=got.errors)
    ready = {s.dataset for s in sources} - {s.dataset for s in sources if s.name not in got.ok}
    stage = Path(tempfile.mkdtemp(prefix=".update.", dir=data_dir))
    try:
        rebuilt: list[str] = []
        for builder in BUILDERS:
            if not set(builder.inputs) <= ready:
                out.skipped.append(f"{builder.name}: its sources were not fetched")
                continue
            try:
                builder.run(stage, cache_dir, Path(source_dir))
            except Skipped as exc:
                out.skipped.append(f"{builder.name}: {exc}")
                continue
            rebuilt += builder.datasets
        for name in dataset_names(data_dir):
            if name not in rebuilt:
                for suffix in (".csv", ".meta.yaml"):
                    shutil.copy2(data_dir / f"{name}{suffix}", stage / f"{name}{suffix}")
        load_all(stage)  # every file against its sidecar, and the references between them
        out.changes = pd.DataFrame(
            [change_row(n, data_dir, stage) for n in rebuilt],
            columns=CHANGE_COLUMNS,
        )
        out.sources = source_dates(cache_dir, got.ok, stage)
        for name in rebuilt:
            for suffix in (".csv", ".meta.yaml"):
                new, old = stage / f"{name}{suffix}", data_dir / f"{name}{suffix}"
                if not old.exists() or new.read_bytes() != old.read_bytes():
                    out.written.append(old.name)
        for file_name in out.written:
            (stage / file_name).replace(data_dir / file_name)
    except (UpdateFailed, DataError) as exc:
        return Outcome(2, f"{' '.join(str(exc).split())}; {data_dir} unchanged")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    out.curated = curated_lags(data_dir, [n for b in BUILDERS for n in b.datasets], out.sources)
    return out


def report(out: Outcome) -> str:
    """The text ``briefing update`` prints on stdout (errors go to stderr, see the command)."""
    lines = [*out.fetched]
    lines += [f"not rebuilt: {s}" for s in out.skipped]
    if out.changes is not None and not out.changes.empty:
        lines += ["", "derived datasets, rebuilt and validated:"]
        lines += [out.changes.to_string(index=False)]
        where = ", ".join(out.written) if out.written else "nothing (no file differs)"
        lines += [f"written into data/: {where}"]
    if out.sources is not None and not out.sources.empty:
        src = out.sources.assign(last=out.sources["last"].map(_day))
        lines += ["", "sources:", src.to_string(index=False)]
    if out.curated is not None:
        newest = out.curated.attrs.get("newest")
        lines += [
            "",
            f"curated datasets (not edited), lag behind the newest source ({_day(newest)}):",
        ]
        table = pd.DataFrame(
            {
                "dataset": out.curated["dataset"],
                "last_observation": out.curated["last_observation"].map(_day),
                "lag_days": [
                    "calendar"
                    if k == "calendar"
                    else ("n/a" if d is None or pd.isna(d) else int(d))
                    for k, d in zip(
                        out.curated["kind"], out.curated["days_before_end"], strict=True
                    )
                ],
            }
        )
        lines += [table.to_string(index=False)]
    return "\n".join(lines)


__all__ = ["BUILDERS", "Builder", "Outcome", "UpdateFailed", "report", "update"]
