"""The UN Dag Hammarskjöld Library veto list, refreshed from the page or a CSV export of it.

Source: United Nations Dag Hammarskjöld Library, "Security Council - Veto List",
https://research.un.org/en/docs/sc/quick/veto (formerly
https://www.un.org/depts/dhl/resguide/scact_veto_table_en.htm). The page holds one HTML table
with the columns **Date**, **Draft**, **Meeting record**, **Agenda item** and **Permanent member
casting veto**; several vetoing members (and several letter symbols in the meeting-record cell)
are separated by line breaks (``<br>``) inside one cell, and title/year rows sit above the data
(``../shared/reference-data/unsc_vetoes_*.csv`` are other layouts of the same list).

:func:`read_veto_list` turns a saved copy of the page (``.html``/``.htm``) or a CSV with those
five columns into rows of the project's ``data/unsc_vetoes.csv`` schema (one row per member per
vetoed draft), with the rules of ``data/README.md`` (unsc_vetoes):

- **member**: USSR/Russia/Russian Federation → ``SUN`` up to 1991-12-24, ``RUS`` from
  1991-12-25; China → ``CHN`` from 1971-10-25 (``TWN`` before, the Republic of China's seat);
  United Kingdom/UK → ``GBR``; United States/US/USA → ``USA``; France → ``FRA``.
- **date**: "16 February 1946", "February 16, 1946", "16 Feb. 1946", ISO or M/D/YYYY; a day
  range "22-23 June 1987" gives the first day (the day the meeting, and its record, opened).
- **draft**: a meeting-record symbol in the draft column (the list's early entries without an
  S/ draft) becomes ``unnumbered draft (S/PV.N)``, or ``unnumbered draft k (S/PV.N)`` numbered in
  page order when the same date and meeting has several; cells with several lines are joined
  with ``"; "`` (as are meeting records).
- **source**: "UN Dag Hammarskjöld Library, Security Council Veto List; meeting record S/PV.N"
  with ``https://undocs.org/S/PV.N`` (or "record <symbols>" and the first symbol's URL; the page
  URL when the row has no meeting record).

:func:`diff_vetoes` compares the curated file with a refreshed list.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from analysis.data.loader import DataError

VETO_LIST_URL = "https://research.un.org/en/docs/sc/quick/veto"
PUBLISHER = "UN Dag Hammarskjöld Library, Security Council Veto List"
COLUMNS = ["date", "draft", "meeting_record", "agenda_item", "member", "source", "source_url"]
KEY = ["date", "member", "draft"]
COMPARED = ["draft", "meeting_record", "agenda_item"]
USSR_END = pd.Timestamp("1991-12-24")
PRC_SEAT = pd.Timestamp("1971-10-25")
_NAMES = {
    "SOVIET": ("ussr", "soviet union", "union of soviet socialist republics", "russia",
               "russian federation"),
    "CHINA": ("china", "people's republic of china"),
    "GBR": ("uk", "united kingdom", "great britain",
            "united kingdom of great britain and northern ireland"),
    "USA": ("us", "usa", "united states", "united states of america"),
    "FRA": ("france",),
}  # fmt: skip
_MEMBERS = {name: code for code, names in _NAMES.items() for name in names}
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, start=1)}
_MONTHS |= {m[:3]: i for m, i in list(_MONTHS.items())} | {"sept": 9}


# ---- reading the page or a CSV --------------------------------------------------------------


class _Tables(HTMLParser):
    """Collect every table as rows of cells: (text with '\\n' for <br>/<p>, rowspan, colspan)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int]]]] = []
        self._stack: list[list[list[tuple[str, int, int]]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            self._close_cell()
            self._cell = []
            span = [int(re.sub(r"\D", "", a.get(k) or "1") or 1) for k in ("rowspan", "colspan")]
            self._span = (span[0], span[1])
        elif tag in ("br", "p", "div", "li") and self._cell is not None:
            self._cell.append("\n")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "table" and self._stack:
            self._close_cell()
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self):
        if self._cell is not None and self._stack:
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._stack[-1][-1].append(("".join(self._cell), *self._span))
        self._cell = None


def _clean(text: str) -> str:
    """Trim each line, collapse spaces (incl. non-breaking), drop empty lines."""
    lines = (re.sub(r"\s+", " ", line.replace("\xa0", " ")).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    """Expand rowspan/colspan into a rectangular grid of cleaned texts."""
    out: list[list[str]] = []
    pending: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for row in rows:
        cells: list[str] = []
        queue = list(row)
        col = 0
        while queue or any(c >= col for c in pending):
            if col in pending:
                text, left = pending[col]
                cells.append(text)
                pending[col] = (text, left - 1)
                if left - 1 == 0:
                    del pending[col]
                col += 1
                continue
            if not queue:
                break
            text, rowspan, colspan = queue.pop(0)
            for _ in range(max(colspan, 1)):
                cells.append(_clean(text))
                if rowspan > 1:
                    pending[col] = (_clean(text), rowspan - 1)
                col += 1
        out.append(cells)
    return out


def _header_map(cells: list[str]) -> dict[str, int] | None:
    """Column positions from a header row, or None when the row is not the list's header."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = cell.lower().replace("\n", " ")
        for key, test in (
            ("date", name.startswith("date")),
            ("draft", name.startswith("draft")),
            ("meeting_record", "meeting" in name),
            ("agenda_item", "agenda" in name),
            ("member", "member" in name or "veto" in name),
        ):
            if test and key not in found:
                found[key] = i
                break
    return found if len(found) == 5 else None


def _html_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    parser = _Tables()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    for table in parser.tables:
        grid = _grid(table)
        for h, cells in enumerate(grid[:6]):
            cols = _header_map(cells)
            if cols:
                return [
                    (n + 1, {k: (r[i] if i < len(r) else "") for k, i in cols.items()})
                    for n, r in enumerate(grid[h + 1 :], start=h + 1)
                ]
    raise DataError(
        path,
        "no table with the columns Date, Draft, Meeting record, Agenda item, "
        "Permanent member casting veto; save the veto-list page as HTML again",
    )


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    raw = pd.read_csv(
        path, dtype=str, keep_default_na=False, encoding="utf-8", encoding_errors="replace"
    )
    cols = _header_map([str(c) for c in raw.columns])
    if cols is None:
        raise DataError(
            path,
            f"columns {list(raw.columns)} are not the veto list's (Date, Draft, "
            "Meeting record, Agenda item, Permanent member casting veto)",
        )
    return [
        (n + 1, {k: _clean(str(row.iloc[i])) for k, i in cols.items()})
        for n, (_, row) in enumerate(raw.iterrows())
    ]


def parse_date(text: str) -> pd.Timestamp | None:
    """The (first) day of a veto-list date cell, or None when it is not a date."""
    t = text.strip().replace("\u2013", "-")
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t):
        y, mo, d = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
        mo, d, y = map(int, m.groups())
    elif m := re.fullmatch(r"(\d{1,2})(?:\s*-\s*\d{1,2})?\s+([A-Za-z]+)\.?,?\s+(\d{4})", t):
        d, mo, y = int(m[1]), _MONTHS.get(m[2].lower(), 0), int(m[3])
    elif m := re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:\s*-\s*\d{1,2})?,?\s+(\d{4})", t):
        mo, d, y = _MONTHS.get(m[1].lower(), 0), int(m[2]), int(m[3])
    else:
        return None
    try:
        return pd.Timestamp(year=y, month=mo, day=d)
    except ValueError:
        return None


def _members(text: str, date: pd.Timestamp) -> list[str] | None:
    out = []
    for part in re.split(r"\n|,|;|\band\b|&", text):
        name = part.replace(".", "").strip().lower()
        if not name:
            continue
        code = _MEMBERS.get(name)
        if code is None:
            return None
        if code == "SOVIET":
            code = "SUN" if date <= USSR_END else "RUS"
        elif code == "CHINA":
            code = "CHN" if date >= PRC_SEAT else "TWN"
        if code not in out:
            out.append(code)
    return out or None


def _source(record: str) -> tuple[str, str]:
    if not record:
        return PUBLISHER, VETO_LIST_URL
    first = record.split(";")[0].split()[0]  # the symbol, without "(resumption)" and the like
    if re.fullmatch(r"S/PV\.\d+(?:\s*\(.*\))?", record):
        return f"{PUBLISHER}; meeting record {record}", f"https://undocs.org/{first}"
    return f"{PUBLISHER}; record {record}", f"https://undocs.org/{first}"


def read_veto_list(path: Path | str, *, relabel_unnumbered: bool = True) -> pd.DataFrame:
    """Rows of the veto list (saved HTML page or CSV export) in the ``unsc_vetoes`` schema.

    Returns the columns of ``data/unsc_vetoes.csv`` (``date`` as datetime), one row per member
    per vetoed draft, sorted by date, draft and member; see the module docstring for the rules.
    Title, year and note rows (no date in the Date column and no member) are skipped and
    counted in ``attrs["skipped_rows"]``. A row with a member but no readable date, or a member
    name that is not a permanent member, raises :class:`analysis.data.DataError` naming the
    table row and column. ``attrs["date_ranges"]``: rows whose date cell was a day range.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(path, "file not found; save the veto-list page (HTML) or a CSV export")
    is_html = path.suffix.lower() in (".html", ".htm")
    rows = _html_rows(path) if is_html else _csv_rows(path)
    drafts: list[dict[str, object]] = []
    skipped, ranges = 0, []
    for n, cells in rows:
        date = parse_date(cells["date"].split("\n")[0]) if cells["date"] else None
        if date is None:
            if not cells["member"] or len(set(cells.values())) == 1:
                skipped += 1
                continue
            raise DataError(
                path,
                f"{cells['date']!r} is not a date (expected e.g. '16 February 1946')",
                row=n,
                column="Date",
            )
        members = _members(cells["member"], date)
        if members is None:
            raise DataError(
                path,
                f"{cells['member']!r} is not a permanent member (expected "
                "China, France, USSR/Russian Federation, UK, US)",
                row=n,
                column="Permanent member casting veto",
            )
        if "-" in cells["date"].replace("\u2013", "-") and not re.match(r"\d{4}-", cells["date"]):
            ranges.append(cells["date"])
        drafts.append(
            {
                "date": date,
                "draft": cells["draft"].replace("\n", "; "),
                "meeting_record": cells["meeting_record"].replace("\n", "; "),
                "agenda_item": cells["agenda_item"].replace("\n", " "),
                "members": members,
            }
        )
    frame = pd.DataFrame(
        drafts, columns=["date", "draft", "meeting_record", "agenda_item", "members"]
    )
    if relabel_unnumbered and len(frame):
        pv = frame["draft"].str.fullmatch(r"S/PV\.\d+")
        sub = frame[pv]
        size = sub.groupby(["date", "draft"])["draft"].transform("size")
        rank = sub.groupby(["date", "draft"]).cumcount() + 1
        frame.loc[pv, "draft"] = [
            f"unnumbered draft {r} ({d})" if s > 1 else f"unnumbered draft ({d})"
            for d, s, r in zip(sub["draft"], size, rank, strict=True)
        ]
    out = frame.explode("members").rename(columns={"members": "member"})
    src = out["meeting_record"].map(_source)
    out["source"] = src.str[0]
    out["source_url"] = src.str[1]
    out["meeting_record"] = out["meeting_record"].where(out["meeting_record"] != "")
    out = out[COLUMNS].sort_values(["date", "draft", "member"], kind="stable")
    out = out.reset_index(drop=True)
    out.attrs.update(path=str(path), skipped_rows=skipped, date_ranges=ranges)
    return out


# ---- comparing with the curated file -------------------------------------------------------------


def _prepared(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in KEY + COMPARED if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{name} lacks the column(s) {missing}; pass frames in the unsc_vetoes "
            "schema (analysis.data.load('unsc_vetoes') or read_veto_list())"
        )
    out = frame[list(dict.fromkeys(KEY + COMPARED))].copy()
    out["date"] = pd.to_datetime(out["date"])
    for col in ("member", *COMPARED):
        out[col] = out[col].fillna("").astype(str).map(lambda s: re.sub(r"\s+", " ", s).strip())
    dups = out[out.duplicated(KEY, keep=False)]
    if not dups.empty:
        first = dups.iloc[0]
        raise ValueError(
            f"{name} has {len(dups)} rows sharing a key (date, member, draft), e.g. "
            f"{first['date']:%Y-%m-%d} {first['member']} {first['draft']!r}; "
            "make the drafts distinct first"
        )
    return out.reset_index(drop=True)


def diff_vetoes(curated: pd.DataFrame, refreshed: pd.DataFrame) -> pd.DataFrame:
    """Rows added to, missing from, or changed in ``refreshed`` relative to ``curated``.

    Key: date + member + draft. Rows with the same key whose ``meeting_record`` or
    ``agenda_item`` differ (whitespace ignored) are ``changed``. Rows left unmatched on both
    sides are then paired by date + member when each side has exactly one such row: also
    ``changed`` (the draft text differs). The rest are ``added`` (only in ``refreshed``) or
    ``missing`` (only in ``curated``). Columns: ``status``, ``date``, ``member``, ``draft``
    (curated's, refreshed's for added rows), ``changed`` (the differing columns,
    comma-separated), and ``<column>_curated`` / ``<column>_refreshed`` for draft, meeting_record
    and agenda_item. Sorted by date, member and status; empty when the lists agree.
    """
    cur, new = _prepared(curated, "curated"), _prepared(refreshed, "refreshed")
    both = cur.merge(new, on=KEY, how="outer", suffixes=("_curated", "_refreshed"), indicator=True)
    both["draft_curated"] = both["draft"].where(both["_merge"] != "right_only")
    both["draft_refreshed"] = both["draft"].where(both["_merge"] != "left_only")
    matched = both[both["_merge"] == "both"].copy()
    left = both[both["_merge"] == "left_only"]
    right = both[both["_merge"] == "right_only"]
    counts_l = left.groupby(["date", "member"]).size()
    counts_r = right.groupby(["date", "member"]).size()
    single = set(counts_l[counts_l == 1].index) & set(counts_r[counts_r == 1].index)
    lk = pd.Series(list(zip(left["date"], left["member"], strict=True)), index=left.index)
    rk = pd.Series(list(zip(right["date"], right["member"], strict=True)), index=right.index)
    pl, pr = left[lk.isin(single)], right[rk.isin(single)]
    cols = [f"{c}_{s}" for c in COMPARED for s in ("curated", "refreshed")]
    paired = pl[["date", "member"] + [c for c in cols if c.endswith("_curated")]].merge(
        pr[["date", "member"] + [c for c in cols if c.endswith("_refreshed")]],
        on=["date", "member"],
    )
    parts = []
    for frame in (matched, paired):
        frame = frame.copy()
        diff = [
            frame[f"{c}_curated"].fillna("") != frame[f"{c}_refreshed"].fillna("") for c in COMPARED
        ]
        frame["changed"] = (
            [
                ", ".join(c for c, d in zip(COMPARED, flags, strict=True) if d)
                for flags in zip(*diff, strict=True)
            ]
            if len(frame)
            else []
        )
        parts.append(frame[frame["changed"] != ""].assign(status="changed"))
    parts.append(left[~lk.isin(single)].assign(status="missing", changed=""))
    parts.append(right[~rk.isin(single)].assign(status="added", changed=""))
    out = pd.concat(
        [p[["status", "date", "member", "changed", *cols]] for p in parts], ignore_index=True
    )
    out["draft"] = out["draft_curated"].fillna(out["draft_refreshed"])
    out = out[["status", "date", "member", "draft", "changed", *cols]]
    return out.sort_values(["date", "member", "status"], kind="stable").reset_index(drop=True)


__all__ = ["VETO_LIST_URL", "diff_vetoes", "parse_date", "read_veto_list"]
