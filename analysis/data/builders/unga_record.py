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
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.data.builders.unga_record_meta import sidecars, write  # noqa: F401  (write: the API)
from analysis.data.builders.unga_record_read import (
    BSV_COLUMNS,
    BSV_FILE,
    BSV_MEMBERS,
    DL3_COMMIT,
    DL_COLUMNS,
    DL_VOTING_DATA,
    HANDLE_URL,
    ISSUE_CODES,
    MEMBERS,
    NAMES,
    UNVOTES_COLUMNS,
    UNVOTES_COMMIT,
    SourceError,
    _check,
    _cut,
    _dl_session,
    _flag,
    _fmt_float,
    _read,
    _unvotes_title,
    _whole,
    locate,
    names_target,
    strip_dl_suffix,
)

__all__ = ["NAMES", "build", "main", "write"]


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
