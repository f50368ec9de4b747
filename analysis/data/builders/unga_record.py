"""``make derived``: the full General Assembly voting record of China, Russia and the USA.

Usage::

    python -m analysis.data.builders.unga_record [--source-dir DIR] [--unvotes-dir DIR]
                                                 [--out-dir DIR]

Reads (``--source-dir``, default :data:`analysis.config.SHARED_REFERENCE_DIR`; see its
PROVENANCE.md, sections 8–11):

- the three unvotes tables (Voeten, Strezhnev & Bailey, "United Nations General Assembly Voting
  Data", Harvard Dataverse hdl:1902.1/12379, CC0, as packaged by the R package unvotes):
  ``unvotes_un_votes*.csv``, ``unvotes_un_roll_calls.csv``, ``unvotes_un_roll_call_issues.csv``
  (or the names of :data:`analysis.data.external.FILE_PATTERNS`). When ``--source-dir`` does not
  hold them, the upstream downloads of ``make data`` in ``<external dir>/unvotes/`` are used
  (``--unvotes-dir`` names another folder);
- the Bailey–Strezhnev–Voeten ideal points and agreement scores by session,
  ``unga_ideal_points_all_countries_sessions1_78_bsv_jun2024.csv`` (or its CHN/RUS/USA subset);
- the 2025 recorded votes, ``unga_2025_votes_chn_rus_usa_3dl.csv`` (a scrape of the UN Digital
  Library voting records by the 3DL database).

Writes, into ``--out-dir`` (default ``data/``), three CSVs and their sidecars:
``unga_record_roll_calls``, ``unga_record_votes`` and ``unga_session_scores``. Rules (so that the
files can be checked against the sources):

- **Roll calls.** One row per unvotes roll call (``roll_call`` = ``unvotes-<rcid>``) and per 2025
  recorded vote (``dl-<symbol>``). ``symbol`` is unvotes' ``unres`` as given (Voeten's ``R/68/262``
  is A/RES/68/262) or the 2025 symbol. ``title``: for unvotes, the title before
  " : resolution / adopted by the General Assembly" when ``descr`` has that UN Digital Library
  form, else ``short`` (cut before that phrase too), else the start of ``descr`` (an excerpt of the meeting record); for 2025,
  the title before " : resolution / adopted …" likewise (the source cut titles at 100
  characters, sometimes inside that phrase). Lettered 2025 symbols are
  written without the space (``A/RES/80/84 A`` → ``A/RES/80/84A``), as unvotes and
  ``unga_roll_calls.csv`` write them; their ``source_url`` keeps the official form. Titles longer than
  :data:`TITLE_MAX` characters are cut and end with "…".
- **Issues and flags.** ``issue_<code>`` is 1 when the unvotes issue table gives the roll call
  that code, else 0; ``important``, ``amend`` and ``para`` are unvotes' ``importantvote``,
  ``amend`` and ``para`` (empty where unvotes leaves them empty). The 2025 source has no issue
  coding and no important-vote list, so those cells are empty for 2025; every 2025 row is the
  vote on an adopted resolution or decision as a whole, so ``amend`` = ``para`` = 0.
- **names_target.** Matched, case-insensitively, on the title (not on meeting-record excerpts):
  :data:`TARGET_PATTERNS` in that order (``ukraine`` first, so "aggression against Ukraine" is a
  Ukraine vote), else empty. A vote of the eleventh emergency special session (symbol
  ``A/RES/ES-11/…``, the session convened in 2022 on Russia's invasion of Ukraine) is
  ``ukraine`` whatever its title ("The path to peace", A/RES/ES-11/8, names no country).
- **Session of a 2025 vote.** The number in its symbol (``A/RES/80/…`` → 80); an emergency
  special session vote (``A/RES/ES-11/…``) takes the session of the latest numbered 2025 vote on
  or before its date, or of the first one after (ES-11/7 and ES-11/8 of 24 February 2025
  precede every numbered 2025 vote: session 79).
- **Votes.** unvotes ``country_code`` CN → CHN, RU → RUS (the USSR before 1992, as unvotes codes
  it), US → USA; 2025 YES/NO/ABSTAIN → yes/no/abstain. Absences (no unvotes row; ``ABSENT`` in
  the 2025 source, which also merges non-voting with missing data) are not rows.
- **Session scores.** The BSV rows of CHN, RUS (USSR before 1992) and USA: ``NVotesAll``,
  ``IdealPointAll``, ``USAgree``, ``RUSSAgree``, ``ChinaAgree``, written with
  :data:`FLOAT_FORMAT`; ``opening_year`` = 1945 + session (session 1: 1946).

Rows are sorted (roll calls by date, basis, rcid or symbol; votes in that order by member;
scores by session and member), floats have a fixed format and nothing depends on the clock, so a
rerun reproduces the files byte for byte. All six files are written into a temporary folder,
validated with :func:`analysis.data.load`, then renamed into place: all or none. A source file
with another layout (a missing column, an unknown code) gets one line naming the file and the
column, exit status 2, and the bundled data are left untouched.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import yaml

from analysis import config

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


def build(files: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """The three derived tables, as text frames in their final row and column order."""
    rc_path, v_path, i_path = files["roll_calls"], files["votes"], files["issues"]
    rc = _read(rc_path, UNVOTES_COLUMNS["roll_calls"])
    votes = _read(v_path, UNVOTES_COLUMNS["votes"])
    issues = _read(i_path, UNVOTES_COLUMNS["issues"])
    bsv = _read(files["bsv"], BSV_COLUMNS)
    dl = _read(files["dl2025"], DL_COLUMNS)

    # unvotes roll calls --------------------------------------------------------------------
    _check(rc, rc_path, "rcid", _whole(rc["rcid"]), "is not a whole number")
    _check(rc, rc_path, "session", _whole(rc["session"]), "is not a whole number")
    iso = r"\d{4}-\d{2}-\d{2}"
    _check(rc, rc_path, "date", rc["date"].str.fullmatch(iso), "is not an ISO date (YYYY-MM-DD)")
    for col in ("importantvote", "amend", "para"):
        rc[col] = _flag(rc[col])
        _check(rc, rc_path, col, rc[col].isin(["", "0", "1"]), "is not 0, 1 or empty")
    rc["rcid"] = rc["rcid"].str.replace(r"\.0+$", "", regex=True)
    _check(rc, rc_path, "rcid", ~rc["rcid"].duplicated(keep="first"), "is a duplicate rcid")
    rc["session"] = rc["session"].str.replace(r"\.0+$", "", regex=True)

    _check(issues, i_path, "rcid", _whole(issues["rcid"]), "is not a whole number")
    issues["rcid"] = issues["rcid"].str.replace(r"\.0+$", "", regex=True)
    _check(
        issues,
        i_path,
        "short_name",
        issues["short_name"].isin(ISSUE_CODES),
        f"is not an unvotes issue code ({', '.join(ISSUE_CODES)})",
    )

    titles = [_unvotes_title(s, d) for s, d in zip(rc["short"], rc["descr"], strict=True)]
    un_rc = pd.DataFrame(
        {
            "roll_call": "unvotes-" + rc["rcid"],
            "date": rc["date"],
            "session": rc["session"],
            "symbol": rc["unres"].str.strip(),
            "title": [_cut(t) for t, _ in titles],
        }
    )
    for code in ISSUE_CODES:
        has = set(issues.loc[issues["short_name"] == code, "rcid"])
        un_rc[f"issue_{code}"] = rc["rcid"].isin(has).map({True: "1", False: "0"})
    un_rc["important"] = rc["importantvote"]
    un_rc["amend"] = rc["amend"]
    un_rc["para"] = rc["para"]
    un_rc["names_target"] = [
        names_target(t, sym) if real else names_target("", sym)
        for (t, real), sym in zip(titles, un_rc["symbol"], strict=True)
    ]
    un_rc["basis"] = "unvotes"
    un_rc["source"] = (
        "Voeten, Strezhnev & Bailey, UN General Assembly Voting Data (un_roll_calls, as packaged "
        f"by the R package unvotes, {UNVOTES_COMMIT}), rcid " + rc["rcid"]
    )
    un_rc["source_url"] = HANDLE_URL
    un_rc["_basis"] = 0
    un_rc["_key"] = rc["rcid"].astype(int).map("{:012d}".format)

    # unvotes votes -------------------------------------------------------------------------
    _check(votes, v_path, "rcid", _whole(votes["rcid"]), "is not a whole number")
    votes["rcid"] = votes["rcid"].str.replace(r"\.0+$", "", regex=True)
    _check(
        votes,
        v_path,
        "vote",
        votes["vote"].isin(["yes", "no", "abstain"]),
        "is not one of yes, no, abstain",
    )
    known = set(rc["rcid"])
    _check(votes, v_path, "rcid", votes["rcid"].isin(known), f"is not in {rc_path.name}")
    mine = votes[votes["country_code"].isin(MEMBERS)]
    un_votes = pd.DataFrame(
        {
            "roll_call": "unvotes-" + mine["rcid"],
            "member": mine["country_code"].map(MEMBERS),
            "vote": mine["vote"],
            "source": (
                "Voeten, Strezhnev & Bailey, UN General Assembly Voting Data (un_votes, as "
                f"packaged by the R package unvotes, {UNVOTES_COMMIT}), rcid " + mine["rcid"]
            ),
            "source_url": HANDLE_URL,
        }
    )
    dup = un_votes.duplicated(["roll_call", "member"])
    if dup.any():
        first = int(dup.to_numpy().nonzero()[0][0])
        raise SourceError(
            v_path,
            "two votes of one member on one roll call",
            column="rcid",
            row=int(mine.index[first]) + 1,
        )

    # 2025 (UN Digital Library voting records, 3DL scrape) -----------------------------------
    dl_path = files["dl2025"]
    _check(dl, dl_path, "date", dl["date"].str.fullmatch(iso), "is not an ISO date (YYYY-MM-DD)")
    _check(
        dl,
        dl_path,
        "resolution",
        dl["resolution"].str.fullmatch(r"A/(RES|DEC)/\S+( [A-Z])?"),
        "is not a General Assembly symbol (A/RES/… or A/DEC/…)",
    )
    official = dl["resolution"]
    dl["resolution"] = official.str.replace(" ", "", regex=False)  # A/RES/80/84 A -> A/RES/80/84A
    _check(dl, dl_path, "resolution", ~dl["resolution"].duplicated(), "is a duplicate symbol")
    for col in ("vote_chn", "vote_rus", "vote_usa"):
        _check(
            dl,
            dl_path,
            col,
            dl[col].isin(["YES", "NO", "ABSTAIN", "ABSENT"]),
            "is not one of YES, NO, ABSTAIN, ABSENT",
        )
    session = _dl_session(dl)
    _check(dl, dl_path, "resolution", session.notna(), "has no session (no numbered vote before)")
    placeholder = dl["resolution"].str.contains(r"/XX$")
    url = ("https://undocs.org/" + official.str.replace(" ", "%20", regex=False)).where(
        ~placeholder, DL_VOTING_DATA
    )
    dl_title = dl["title"].map(lambda t: strip_dl_suffix(t)[0])
    cite = (
        "UN Digital Library voting record of " + dl["resolution"] + " (" + dl["date"] + "), "
        f"as compiled by the 3DL UNGA voting database ({DL3_COMMIT})"
    )
    dl_rc = pd.DataFrame(
        {
            "roll_call": "dl-" + dl["resolution"],
            "date": dl["date"],
            "session": session.astype(int).astype(str),
            "symbol": dl["resolution"],
            "title": dl_title.map(_cut),
        }
    )
    for code in ISSUE_CODES:
        dl_rc[f"issue_{code}"] = ""
    dl_rc["important"] = ""
    dl_rc["amend"] = "0"
    dl_rc["para"] = "0"
    dl_rc["names_target"] = [
        names_target(t, sym) for t, sym in zip(dl_title, dl["resolution"], strict=True)
    ]
    dl_rc["basis"] = "dl2025"
    dl_rc["source"] = cite
    dl_rc["source_url"] = url
    dl_rc["_basis"] = 1
    dl_rc["_key"] = dl["resolution"]

    parts = []
    for col, member in (("vote_chn", "CHN"), ("vote_rus", "RUS"), ("vote_usa", "USA")):
        cast = dl[col] != "ABSENT"
        parts.append(
            pd.DataFrame(
                {
                    "roll_call": "dl-" + dl.loc[cast, "resolution"],
                    "member": member,
                    "vote": dl.loc[cast, col].str.lower(),
                    "source": cite[cast],
                    "source_url": url[cast],
                }
            )
        )
    dl_votes = pd.concat(parts, ignore_index=True)

    # together, sorted ------------------------------------------------------------------------
    roll_calls = pd.concat([un_rc, dl_rc], ignore_index=True)
    roll_calls = roll_calls.sort_values(["date", "_basis", "_key"], kind="stable")
    order = {rid: i for i, rid in enumerate(roll_calls["roll_call"])}
    roll_calls = roll_calls.drop(columns=["_basis", "_key"]).reset_index(drop=True)
    all_votes = pd.concat([un_votes, dl_votes], ignore_index=True)
    all_votes["_o"] = all_votes["roll_call"].map(order)
    all_votes = all_votes.sort_values(["_o", "member"], kind="stable").drop(columns="_o")
    all_votes = all_votes.reset_index(drop=True)

    # session scores ---------------------------------------------------------------------------
    b_path = files["bsv"]
    _check(bsv, b_path, "session", _whole(bsv["session"]), "is not a whole number")
    mine_b = bsv[bsv["iso3c"].isin(BSV_MEMBERS)].copy()
    for col in ("NVotesAll",):
        _check(mine_b, b_path, col, _whole(mine_b[col]), "is not a whole number")
    for col in ("IdealPointAll", "USAgree", "RUSSAgree", "ChinaAgree"):
        ok = pd.to_numeric(mine_b[col].replace({"NA": ""}), errors="coerce").notna() | mine_b[
            col
        ].isin(["", "NA"])
        _check(mine_b, b_path, col, ok, "is not a number")
    sess = mine_b["session"].str.replace(r"\.0+$", "", regex=True).astype(int)
    scores = pd.DataFrame(
        {
            "session": sess.astype(str),
            "opening_year": sess.map(lambda s: 1946 if s == 1 else 1945 + s).astype(str),
            "member": mine_b["iso3c"],
            "n_votes": mine_b["NVotesAll"].str.replace(r"\.0+$", "", regex=True),
            "ideal_point": mine_b["IdealPointAll"].map(_fmt_float),
            "agree_usa": mine_b["USAgree"].map(_fmt_float),
            "agree_rus": mine_b["RUSSAgree"].map(_fmt_float),
            "agree_chn": mine_b["ChinaAgree"].map(_fmt_float),
            "source_url": HANDLE_URL,
        }
    )
    _check(
        mine_b.reset_index(drop=True),
        b_path,
        "IdealPointAll",
        (scores["ideal_point"] != "").reset_index(drop=True),
        "is empty",
    )
    scores["source"] = [
        f"Bailey, Strezhnev & Voeten, UNGA ideal point estimates and agreement scores "
        f"({BSV_FILE}), {m}, session {s}"
        for m, s in zip(scores["member"], scores["session"], strict=True)
    ]
    scores = scores[[*(c for c in scores.columns if c != "source_url"), "source_url"]]
    scores = scores.assign(_s=sess.to_numpy()).sort_values(["_s", "member"], kind="stable")
    scores = scores.drop(columns="_s").reset_index(drop=True)
    if scores.duplicated(["session", "member"]).any():
        raise SourceError(b_path, "two rows for one member and session", column="session")
    return {
        "unga_record_roll_calls": roll_calls,
        "unga_record_votes": all_votes,
        "unga_session_scores": scores,
    }


# --------------------------------------------------------------------------------------------
# Sidecars
# --------------------------------------------------------------------------------------------

_UNVOTES_CITE = (
    'Erik Voeten, Anton Strezhnev and Michael Bailey, "United Nations General Assembly Voting '
    'Data", Harvard Dataverse, hdl:1902.1/12379 (https://hdl.handle.net/1902.1/12379), CC0; as '
    "packaged by the R package unvotes (David Robinson, github.com/dgrtwo/unvotes@7eb7034, "
    "downloaded from the Dataverse on 2021-02-21)"
)
_DL_CITE = (
    "United Nations Digital Library, General Assembly voting records, 2025 "
    "(https://digitallibrary.un.org, collection Voting Data; each resolution at "
    "https://undocs.org/<symbol>), the primary source; compiled by the 3DL (Data Driven Decision "
    "Lab) UNGA voting database, scraped from the Digital Library with "
    "data-driven-decision-lab/un-digital-library-scraper, as extracted by "
    "HZloto/unga-2025:analysis/4C/17_p1_resolution_vote_detail_2025.csv@501f0e9"
)
_BSV_CITE = (
    "Michael Bailey, Anton Strezhnev and Erik Voeten, ideal point estimates and agreement "
    'scores by session (file IdealpointestimatesAll_Jun2024), in "United Nations General '
    'Assembly Voting Data", Harvard Dataverse, hdl:1902.1/12379 '
    "(https://hdl.handle.net/1902.1/12379), CC0; method: Bailey, Strezhnev and Voeten (2017), "
    '"Estimating Dynamic State Preferences from United Nations Voting Data", Journal of '
    "Conflict Resolution 61(2): 430-456; read from the copy in "
    "tongyu03/DSE3101-Predictive-Modelling-of-Global-Trade-Flows@98ab7b6"
)
_DERIVED = (
    "DERIVED by code, not curated row by row: written by `python -m "
    "analysis.data.builders.unga_record` (`make derived`) from the public files named in the "
    "citation; a rerun on the same files reproduces this file byte for byte (see the builder's "
    "docstring for every rule, and data/README.md)."
)


def _col(description: str, kind: str, required: bool = True, **extra) -> dict:
    spec = {"description": " ".join(description.split()), "type": kind, "required": required}
    spec.update(extra)
    return spec


def _source_cols(what: str) -> dict:
    return {
        "source": _col(f"The dataset and the row's origin: {what}.", "string"),
        "source_url": _col(
            "The Dataverse handle of the dataset (https://hdl.handle.net/1902.1/12379) or, for "
            "2025, the undocs.org address of the resolution (the UN Digital Library voting "
            "data collection where the source gives no symbol).",
            "string",
            pattern=r"^https?://\S+$",
        ),
    }


def sidecars(frames: dict[str, pd.DataFrame]) -> dict[str, dict]:
    """The three sidecars, with coverage and counts taken from the frames."""
    rc = frames["unga_record_roll_calls"]
    votes = frames["unga_record_votes"]
    scores = frames["unga_session_scores"]
    start, end = rc["date"].min(), rc["date"].max()
    n_un = int((rc["basis"] == "unvotes").sum())
    n_dl = int((rc["basis"] == "dl2025").sum())
    last_un = rc.loc[rc["basis"] == "unvotes", "date"].max()
    first_dl = rc.loc[rc["basis"] == "dl2025", "date"].min()
    producers = [
        "United Nations General Assembly (recorded votes)",
        "Erik Voeten, Anton Strezhnev and Michael Bailey (UNGA voting data, Harvard Dataverse "
        "hdl:1902.1/12379)",
        "United Nations Dag Hammarskjöld Library (UN Digital Library voting records, 2025)",
        "3DL, Data Driven Decision Lab (compilation of the 2025 voting records)",
    ]
    licence = (
        f"Voeten, Strezhnev & Bailey data CC0 (unvotes data-raw/README); 2025 votes: United "
        f"Nations terms of use ({UN_TERMS}); the 3DL scraper code is MIT-licensed."
    )
    issue_cols = {
        f"issue_{c}": _col(
            f"1 if unvotes codes the roll call as {ISSUE_NAMES[c]} ('{c}'), else 0; empty for "
            "2025 (no issue coding in that source).",
            "integer",
            False,
            min=0,
            max=1,
        )
        for c in ISSUE_CODES
    }
    rc_meta = {
        "title": "UN General Assembly recorded votes (roll calls), 1946-2019 and 2025: attributes",
        "description": (
            f"One row per recorded roll call of the General Assembly: {n_un} roll calls of the "
            f"Voeten, Strezhnev & Bailey data as packaged by unvotes ({start} to {last_un}) and "
            f"{n_dl} recorded votes of 2025 from the UN Digital Library voting records "
            f"({first_dl} to {end}). Amendment and paragraph votes are roll calls too (`amend`, "
            "`para`). Join to unga_record_votes.csv on `roll_call`. Not covered: September 2020 "
            "(after the last unvotes roll call) to December 2024; unga_session_scores.csv gives "
            "session aggregates to September 2024. The unvotes dates of sessions 44-57 "
            "(1989-2002) have the right year and month but, for most rows, not the right day "
            "(see data/README.md, unga_votes). " + _DERIVED
        ),
        "producers": producers,
        "citation": f"{_UNVOTES_CITE}; {_DL_CITE} (accessed {ACCESSED}).",
        "url": HANDLE_URL,
        "date_accessed": ACCESSED,
        "licence": licence,
        "coverage": {"start": start, "end": end},
        "primary_key": ["roll_call"],
        "columns": {
            "roll_call": _col(
                "Stable id: unvotes-<rcid> (the unvotes roll-call id) or dl-<symbol> for 2025.",
                "string",
                pattern=r"(unvotes-\d+|dl-A/(RES|DEC)/\S+)",
            ),
            "date": _col(
                "Date of the vote as the source gives it (unvotes sessions 44-57: right year and "
                "month, not always the right day).",
                "date",
            ),
            "session": _col(
                "General Assembly regular session (for emergency special sessions, the regular "
                "session in progress).",
                "integer",
                min=1,
            ),
            "symbol": _col(
                "Resolution or decision symbol: unvotes' unres as given (R/68/262 = "
                "A/RES/68/262; empty where unvotes has none) or the 2025 symbol (A/RES/79/XX is "
                "the source's placeholder).",
                "string",
                False,
            ),
            "title": _col(
                f"Short title (at most {TITLE_MAX} characters, cut with an ellipsis): the UN "
                "Digital Library title in unvotes' descr, else unvotes' short title, else the "
                "start of descr (a meeting-record excerpt); for 2025 the title as scraped (cut "
                "at 100 characters by the source).",
                "string",
                False,
            ),
            **issue_cols,
            "important": _col(
                "1 if the US State Department's 'Voting Practices in the United Nations' lists it "
                "as an important vote (unvotes importantvote); empty where unvotes has no value "
                "and for 2025.",
                "integer",
                False,
                min=0,
                max=1,
            ),
            "amend": _col(
                "1 if the vote was on an amendment (unvotes amend); 0 for every 2025 row (votes "
                "on adopted resolutions and decisions as a whole); empty where unvotes has none.",
                "integer",
                False,
                min=0,
                max=1,
            ),
            "para": _col(
                "1 if the vote was on a paragraph rather than the whole text (unvotes para); 0 "
                "for 2025; empty where unvotes has none.",
                "integer",
                False,
                min=0,
                max=1,
            ),
            "names_target": _col(
                "ukraine if the title names Ukraine, Crimea or Sevastopol; else russia if it "
                "names Russia, the Soviet Union or the USSR; else china if it names China, "
                "Chinese, Tibet or Taiwan; else empty. Case-insensitive regular expressions on "
                "the title (not on meeting-record excerpts): "
                + "; ".join(f"{n}: {p}" for n, p in TARGET_PATTERNS)
                + ". Every vote of the eleventh emergency special session (symbol A/RES/ES-11/, "
                "convened on Ukraine in 2022) is ukraine whatever its title.",
                "string",
                False,
                allowed=[n for n, _ in TARGET_PATTERNS],
            ),
            "basis": _col(
                "unvotes (Voeten, Strezhnev & Bailey data) or dl2025 (UN Digital Library voting "
                "records of 2025, 3DL compilation).",
                "string",
                allowed=["unvotes", "dl2025"],
            ),
            **_source_cols(
                "unvotes un_roll_calls and the rcid, or the UN Digital Library "
                "voting record of the symbol and the 3DL compilation"
            ),
        },
    }
    counts = votes["member"].value_counts().sort_index()
    count_text = ", ".join(f"{m} {int(n)}" for m, n in counts.items())
    votes_meta = {
        "title": "China, USSR/Russia and United States votes on every recorded UN General "
        "Assembly roll call, 1946-2019 and 2025",
        "description": (
            f"One row per member per roll call of unga_record_roll_calls.csv on which that member "
            f"cast a vote ({len(votes)} rows: {count_text}). Absences and non-membership are not "
            "rows (unvotes has no row; the 2025 source's ABSENT, which also merges missing data, "
            "is dropped). RUS is the USSR before 1992, as unvotes codes it (country code RU), and "
            "the Russian Federation after: the project's SUN/RUS split (CONVENTIONS.md) is not "
            "applied, so the series is continuous; CHN is the People's Republic from 1971. "
            + _DERIVED
        ),
        "producers": producers,
        "citation": f"{_UNVOTES_CITE}; {_DL_CITE} (accessed {ACCESSED}).",
        "url": HANDLE_URL,
        "date_accessed": ACCESSED,
        "licence": licence,
        "coverage": {"start": start, "end": end},
        "primary_key": ["roll_call", "member"],
        "columns": {
            "roll_call": _col(
                "Key into unga_record_roll_calls.csv.",
                "string",
                pattern=r"(unvotes-\d+|dl-A/(RES|DEC)/\S+)",
            ),
            "member": _col(
                "CHN (People's Republic of China), RUS (the USSR before 1992, the Russian "
                "Federation after, as coded by unvotes), USA.",
                "string",
                allowed=["CHN", "RUS", "USA"],
            ),
            "vote": _col(
                "The vote cast: yes, no or abstain.", "string", allowed=["yes", "no", "abstain"]
            ),
            **_source_cols(
                "unvotes un_votes and the rcid, or the UN Digital Library voting "
                "record of the symbol and the 3DL compilation"
            ),
        },
    }
    agree = {
        "agree_usa": ("USAgree", "the United States"),
        "agree_rus": ("RUSSAgree", "the USSR/Russia"),
        "agree_chn": ("ChinaAgree", "China"),
    }
    first_s, last_s = (
        int(scores["session"].astype(int).min()),
        int(scores["session"].astype(int).max()),
    )
    scores_meta = {
        "title": "Bailey-Strezhnev-Voeten ideal points and agreement scores by session: China, "
        "USSR/Russia, United States, sessions 1-78",
        "description": (
            f"One row per member per General Assembly session ({len(scores)} rows, sessions "
            f"{first_s}-{last_s}; CHN from session 26, 1971; session 19 held no recorded "
            "vote): the member's number of votes, its ideal point and its agreement with the "
            "United States, the USSR/Russia and China in that session, as estimated by Bailey, "
            "Strezhnev & Voeten (June 2024 release). Agreement is the share of the session's "
            "votes on resolutions as a whole (not amendments, not paragraphs) on which both "
            "cast the same vote (yes, no or abstain) among those both cast; the builder's tests "
            "reproduce it from unga_record_votes.csv (data/README.md gives how closely). "
            "Session 78 ends in September 2024; nothing later. " + _DERIVED
        ),
        "producers": [
            "Michael Bailey, Anton Strezhnev and Erik Voeten (UNGA ideal point estimates, "
            "Harvard Dataverse hdl:1902.1/12379)"
        ],
        "citation": f"{_BSV_CITE} (accessed {ACCESSED}).",
        "url": HANDLE_URL,
        "date_accessed": ACCESSED,
        "licence": "CC0 (Voeten Dataverse data; unvotes data-raw/README)",
        "coverage": {"start": "1946-01-01", "end": "2024-09-09", "columns": ["opening_year"]},
        "primary_key": ["session", "member"],
        "columns": {
            "session": _col("General Assembly regular session.", "integer", min=1),
            "opening_year": _col(
                "Year the session opened: 1945 + session (session 1: 1946); session n runs from "
                "September of that year to September of the next, most recorded votes falling "
                "in October-December.",
                "integer",
                unit="year",
            ),
            "member": _col(
                "CHN, RUS (the USSR before 1992, as in the source's RUSSAgree) or USA.",
                "string",
                allowed=list(BSV_MEMBERS),
            ),
            "n_votes": _col(
                "Votes the member cast in the session in the estimation set (NVotesAll).",
                "integer",
                min=0,
                unit="roll calls",
            ),
            "ideal_point": _col(
                "Ideal point on the single dimension of Bailey, Strezhnev & Voeten "
                "(IdealPointAll; higher = closer to the US-led liberal order).",
                "float",
                unit="ideal-point scale",
            ),
            **{
                col: _col(
                    f"Agreement of the member with {who} in the session ({src}): share of "
                    "identical votes among the votes both cast; 1 for the member with itself; "
                    "empty where the partner was not a member.",
                    "float",
                    False,
                    min=0,
                    max=1,
                    unit="share",
                )
                for col, (src, who) in agree.items()
            },
            "source": _col("The dataset, the file, the member and the session.", "string"),
            "source_url": _col(
                "The Dataverse handle of the dataset.", "string", pattern=r"^https?://\S+$"
            ),
        },
    }
    return {
        "unga_record_roll_calls": rc_meta,
        "unga_record_votes": votes_meta,
        "unga_session_scores": scores_meta,
    }


# --------------------------------------------------------------------------------------------
# Writing, atomically
# --------------------------------------------------------------------------------------------


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(frame.columns)
    writer.writerows(frame.fillna("").astype(str).itertuples(index=False, name=None))
    return buf.getvalue().encode("utf-8")


def _yaml_bytes(meta: dict) -> bytes:
    head = (
        "# DERIVED by analysis/data/builders/unga_record.py (make derived): do not edit by hand;\n"
        "# change the builder and rerun it.\n"
    )
    body = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100)
    return (head + body).encode("utf-8")


def write(frames: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write the three CSVs and sidecars into ``out_dir``: validated first, then all renamed."""
    from analysis.data.loader import DataError, load

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    metas = sidecars(frames)
    tmp = Path(tempfile.mkdtemp(prefix=".unga_record.", dir=out_dir))
    try:
        written = []
        for name in NAMES:
            (tmp / f"{name}.csv").write_bytes(_csv_bytes(frames[name]))
            (tmp / f"{name}.meta.yaml").write_bytes(_yaml_bytes(metas[name]))
            written += [f"{name}.csv", f"{name}.meta.yaml"]
        for name in NAMES:
            try:
                load(name, data_dir=tmp)
            except DataError as exc:  # the builder broke its own schema: a bug, not bad input
                raise RuntimeError(f"built {name} does not validate: {exc}") from exc
        for file_name in written:
            (tmp / file_name).replace(out_dir / file_name)
        return [out_dir / f for f in written]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m analysis.data.builders.unga_record",
        description="Derive data/unga_record_*.csv and data/unga_session_scores.csv from the "
        "unvotes tables, the Bailey-Strezhnev-Voeten session estimates and the 2025 votes.",
    )
    p.add_argument(
        "--source-dir",
        type=Path,
        default=config.SHARED_REFERENCE_DIR,
        help="folder with the source files (default: %(default)s)",
    )
    p.add_argument(
        "--unvotes-dir",
        type=Path,
        default=None,
        help="folder with the three unvotes tables (default: the source folder, "
        "else <external dir>/unvotes of `make data`)",
    )
    p.add_argument(
        "--out-dir",
        type=Path,
        default=config.DATA_DIR,
        help="where to write (default: %(default)s)",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        files = locate(args.source_dir, args.unvotes_dir)
        frames = build(files)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    paths = write(frames, args.out_dir)
    for path in paths:
        if path.suffix == ".csv":
            rows = len(frames[path.stem])
            print(f"wrote {path} ({rows} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
