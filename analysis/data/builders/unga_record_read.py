"""Reading the sources of the full-record UN voting files: their locations and layouts, the
checks that give one line per bad file, and the title rules (see
:mod:`analysis.data.builders.unga_record`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

#: The Dataverse dataset of the Voeten/Bailey–Strezhnev–Voeten data (roll calls and estimates).
HANDLE_URL = "https://hdl.handle.net/1902.1/12379"
#: When the shared copies were read for this builder (constant: no clock in the outputs).
ACCESSED = "2026-12-01"
UNVOTES_COMMIT = "dgrtwo/unvotes@7eb7034"
DL3_COMMIT = "HZloto/unga-2025@501f0e9"
BSV_FILE = "IdealpointestimatesAll_Jun2024"
UN_TERMS = "https://www.un.org/en/about-us/terms-of-use"
DL_VOTING_DATA = "https://digitallibrary.un.org/search?cc=Voting+Data&ln=en"

NAMES = ("unga_record_roll_calls", "unga_record_votes", "unga_session_scores")
ISSUE_CODES = ("me", "nu", "di", "hr", "co", "ec")
ISSUE_NAMES = {
    "me": "Palestinian conflict",
    "nu": "nuclear weapons and nuclear material",
    "di": "arms control and disarmament",
    "hr": "human rights",
    "co": "colonialism",
    "ec": "economic development",
}
MEMBERS = {"CN": "CHN", "RU": "RUS", "US": "USA"}
BSV_MEMBERS = ("CHN", "RUS", "USA")
TITLE_MAX = 150
FLOAT_FORMAT = ".7g"
#: names_target rules, tried in this order on the title (case-insensitive).
TARGET_PATTERNS: tuple[tuple[str, str], ...] = (
    ("ukraine", r"\bukrain|\bcrimea|\bsevastopol"),
    ("russia", r"\brussia|\bsoviet\b|\bussr\b"),
    ("china", r"\bchina\b|\bchinese\b|\btibet|\btaiwan"),
)
_DL_SUFFIX = "resolution / adopted by the General Assembly"
#: Symbols of the eleventh emergency special session (on Ukraine, since 2022).
UKRAINE_SESSION = r"^A/RES/ES-11/"

UNVOTES_COLUMNS = {
    "votes": ("rcid", "country_code", "vote"),
    "roll_calls": (
        "rcid",
        "session",
        "importantvote",
        "date",
        "unres",
        "amend",
        "para",
        "short",
        "descr",
    ),
    "issues": ("rcid", "short_name"),
}
BSV_COLUMNS = (
    "session",
    "NVotesAll",
    "IdealPointAll",
    "iso3c",
    "USAgree",
    "RUSSAgree",
    "ChinaAgree",
)
DL_COLUMNS = ("resolution", "date", "title", "vote_chn", "vote_rus", "vote_usa")
BSV_PATTERNS = (
    "unga_ideal_points_all_countries_sessions1_78_bsv_jun2024.csv",
    "unga_ideal_points_chn_rus_usa_sessions1_78_bsv_jun2024.csv",
)
DL_FILE = "unga_2025_votes_chn_rus_usa_3dl.csv"


class SourceError(Exception):
    """A source file is missing or has another layout; the message is one line."""

    def __init__(
        self, path: Path | str, problem: str, *, column: str | None = None, row: int | None = None
    ) -> None:
        where = str(path)
        if row is not None:
            where += f", row {row} (line {row + 1})"
        if column is not None:
            where += f", column '{column}'"
        super().__init__(" ".join(f"{where}: {problem}".split()))


# --------------------------------------------------------------------------------------------
# Reading and checking the sources
# --------------------------------------------------------------------------------------------


def _read(path: Path, required: Sequence[str]) -> pd.DataFrame:
    """A source CSV as text (only empty cells missing), with its required columns checked."""
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding="utf-8", encoding_errors="replace"
        )
    except pd.errors.EmptyDataError:
        raise SourceError(path, "is empty") from None
    except pd.errors.ParserError as exc:
        raise SourceError(path, f"cannot be read as CSV: {exc}") from None
    for col in required:
        if col not in frame.columns:
            raise SourceError(path, f"is missing (expected: {', '.join(required)})", column=col)
    return frame


def _check(frame: pd.DataFrame, path: Path, column: str, ok: pd.Series, what: str) -> None:
    bad = frame.index[~ok.to_numpy()]
    if len(bad):
        first = int(bad[0])
        value = frame.at[first, column]
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise SourceError(path, f"{value!r} {what}{more}", column=column, row=first + 1)


def _whole(s: pd.Series) -> pd.Series:
    return s.str.fullmatch(r"\d+(?:\.0+)?")


def _flag(s: pd.Series) -> pd.Series:
    """0/1 flags as '0'/'1' ('1.0' and R's 'NA' accepted; empty stays empty)."""
    s = s.replace({"NA": ""})
    return s.str.replace(r"\.0+$", "", regex=True)


def locate(source_dir: Path, unvotes_dir: Path | None = None) -> dict[str, Path]:
    """The five input files: unvotes ``votes``, ``roll_calls``, ``issues``, ``bsv``, ``dl2025``."""
    from analysis.data.external import external_dir, find_files

    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise SourceError(source_dir, "is not a folder (pass --source-dir)")
    candidates = [unvotes_dir] if unvotes_dir else [source_dir, external_dir() / "unvotes"]
    files: dict[str, Path] = {}
    problem = ""
    for cand in candidates:
        try:
            files = dict(find_files(cand))
            break
        except (FileNotFoundError, ValueError) as exc:
            problem = str(exc)
    if not files:
        raise SourceError(candidates[0], f"no unvotes tables: {problem}")
    bsv = next((source_dir / n for n in BSV_PATTERNS if (source_dir / n).is_file()), None)
    if bsv is None:
        raise SourceError(source_dir / BSV_PATTERNS[0], "not found (nor its chn_rus_usa subset)")
    dl = source_dir / DL_FILE
    if not dl.is_file():
        raise SourceError(dl, "not found")
    files["bsv"] = bsv
    files["dl2025"] = dl
    return files


# --------------------------------------------------------------------------------------------
# Building the frames
# --------------------------------------------------------------------------------------------


def _cut(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


def names_target(title: str, symbol: str = "") -> str:
    """``ukraine``, ``russia``, ``china`` or '' for a title, by :data:`TARGET_PATTERNS`; any
    vote of the eleventh emergency special session (``A/RES/ES-11/…``) is ``ukraine``."""
    if re.match(UKRAINE_SESSION, symbol or ""):
        return "ukraine"
    for name, pattern in TARGET_PATTERNS:
        if re.search(pattern, title, flags=re.IGNORECASE):
            return name
    return ""


def strip_dl_suffix(title: str) -> tuple[str, bool]:
    """(title, found): the title before " : resolution / adopted by the General Assembly".

    The phrase may be cut by the source ("… : resolution / adopted by the Gen"), and a decision
    reads " : decision …"; a colon inside a title ("Our Ocean, Our Future : United …") stays.
    """
    text = " ".join(title.split())
    i = text.find(" : ")
    while i != -1:
        rest = text[i + 3 :]
        if rest.startswith(("resolution", "decision")) or _DL_SUFFIX.startswith(rest):
            return text[:i].strip(), True
        i = text.find(" : ", i + 1)
    return text, False


def _unvotes_title(short: str, descr: str) -> tuple[str, bool]:
    """(title, is_a_title): the DL-style title in ``descr``, else ``short``, else an excerpt."""
    head, found = strip_dl_suffix(descr)
    if found and head:
        return head, True
    if short.strip():
        return strip_dl_suffix(short)[0], True
    return " ".join(descr.split()), False


def _dl_session(frame: pd.DataFrame) -> pd.Series:
    """Session of each 2025 vote: from the symbol, else that of the nearest numbered vote before
    (or, for the first votes of the year, after)."""
    num = frame["resolution"].str.extract(r"^A/(?:RES|DEC)/(\d+)/")[0]
    order = frame.assign(_num=pd.to_numeric(num)).sort_values(["date"], kind="stable")
    filled = order["_num"].ffill().bfill()
    return filled.reindex(frame.index)


def _fmt_float(value: str) -> str:
    if value in ("", "NA"):
        return ""
    return format(float(value), FLOAT_FORMAT)
