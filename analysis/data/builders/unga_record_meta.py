"""The sidecars of the full-record UN voting files: schema, coverage and citations, derived
from the frames that :func:`analysis.data.builders.unga_record.build` returns."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import yaml

from analysis.data.builders.unga_record_read import (
    ACCESSED,
    BSV_MEMBERS,
    HANDLE_URL,
    ISSUE_CODES,
    ISSUE_NAMES,
    NAMES,
    TARGET_PATTERNS,
    TITLE_MAX,
    UN_TERMS,
)

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
