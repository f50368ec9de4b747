"""UN General Assembly roll calls: the full Voeten–Strezhnev–Bailey data, in the unvotes layout.

Source: Erik Voeten, Anton Strezhnev and Michael Bailey, "United Nations General Assembly Voting
Data", Harvard Dataverse, hdl:1902.1/12379 (CC0), as packaged by David Robinson's R package
``unvotes`` (https://github.com/dgrtwo/unvotes, data-raw/un-data.R) and republished as CSVs by
TidyTuesday 2021-03-23 (https://github.com/rfordatascience/tidytuesday/tree/main/data/2021/
2021-03-23, readme.md gives the data dictionary). Three tidy tables, joined on ``rcid``:

- ``un_votes``: rcid, country, country_code (ISO 3166 alpha-2), vote (yes/abstain/no; absences
  are not rows). Files ``unvotes_un_votes*.csv`` (the shared copies), ``un_votes*.csv`` or
  ``unvotes.csv`` (TidyTuesday).
- ``un_roll_calls``: rcid, session, importantvote, date, unres, amend, para, short, descr.
  Files ``unvotes_un_roll_calls.csv``, ``un_roll_calls.csv`` or ``roll_calls.csv``.
- ``un_roll_call_issues``: rcid, short_name (me, nu, di, hr, co, ec), issue (the name). Files
  ``unvotes_un_roll_call_issues.csv``, ``un_roll_call_issues.csv`` or ``issues.csv``.

:func:`load_unvotes` returns the long form that :func:`analysis.indicators.un.unga_agreement`
takes unchanged: ``roll_call`` (the rcid as text), ``date``, ``issue``, ``member`` (ISO3),
``vote``. Rules, so that the numbers can be reproduced:

- **Members.** ``country_code`` (ISO2) is mapped to ISO3 with :data:`ISO2_TO_ISO3` (ISO 3166-1,
  plus the ISO 3166-3 codes unvotes uses for former states: CS→CSK, DD→DDR, YD→YMD, YU→YUG).
  A code not in the table is kept as given (two letters) and listed in ``attrs["unmapped"]``;
  an empty code gives ``member`` NA. ``RU`` covers the USSR before 1992 in unvotes, so it is
  ``RUS`` throughout (as :func:`~analysis.indicators.un.votes_long` relabels ``SUN``), unless
  ``label_ussr=True`` (then ``SUN`` up to 1991-12-24, the project's convention). ``CN`` is the
  PRC from 1971; the Republic of China's seat before that is ``TW`` → ``TWN``.
- **Issues.** A roll call has 0 to 4 issues. It is never duplicated: ``issue`` holds its issue
  names sorted and joined with ``"; "`` (NA when it has none). For issue-level analysis use
  :func:`votes_by_issue`, which gives one unit per (roll call, issue).
- **Validation.** Each table is checked with pandera (columns present, rcid an integer, ISO date,
  vote in yes/abstain/no, issue codes known, rcid unique in the roll calls) and every rcid of the
  votes and issues must exist in the roll calls. A failure raises one
  :class:`analysis.data.DataError` naming file, row (1-based, header not counted) and column.

``"NA"`` is Namibia's ISO2 code, so ``country_code`` is read with only the empty cell as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.data.external import FILE_PATTERNS, find_files
from analysis.data.loader import DataError

VOTES = ("yes", "abstain", "no")
#: unvotes issue codes and names (data-raw/un-data.R of the unvotes package).
ISSUES = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}
_RC_COLUMNS = ["rcid", "session", "importantvote", "date", "unres", "amend", "para", "short",
               "descr"]  # fmt: skip
COLUMNS = {
    "votes": ["rcid", "country", "country_code", "vote"],
    "roll_calls": _RC_COLUMNS,
    "issues": ["rcid", "short_name", "issue"],
}
USSR_END = pd.Timestamp("1991-12-24")

# ISO 3166-1 alpha-2 + alpha-3, generated from pycountry 26.2.16 (ISO 3166-1) and checked
# against it; then the ISO 3166-3 codes of former states that unvotes uses.
_ISO = (
    "ADAND AEARE AFAFG AGATG AIAIA ALALB AMARM AOAGO AQATA ARARG ASASM ATAUT AUAUS AWABW AXALA "
    "AZAZE BABIH BBBRB BDBGD BEBEL BFBFA BGBGR BHBHR BIBDI BJBEN BLBLM BMBMU BNBRN BOBOL BQBES "
    "BRBRA BSBHS BTBTN BVBVT BWBWA BYBLR BZBLZ CACAN CCCCK CDCOD CFCAF CGCOG CHCHE CICIV CKCOK "
    "CLCHL CMCMR CNCHN COCOL CRCRI CUCUB CVCPV CWCUW CXCXR CYCYP CZCZE DEDEU DJDJI DKDNK DMDMA "
    "DODOM DZDZA ECECU EEEST EGEGY EHESH ERERI ESESP ETETH FIFIN FJFJI FKFLK FMFSM FOFRO FRFRA "
    "GAGAB GBGBR GDGRD GEGEO GFGUF GGGGY GHGHA GIGIB GLGRL GMGMB GNGIN GPGLP GQGNQ GRGRC GSSGS "
    "GTGTM GUGUM GWGNB GYGUY HKHKG HMHMD HNHND HRHRV HTHTI HUHUN IDIDN IEIRL ILISR IMIMN ININD "
    "IOIOT IQIRQ IRIRN ISISL ITITA JEJEY JMJAM JOJOR JPJPN KEKEN KGKGZ KHKHM KIKIR KMCOM KNKNA "
    "KPPRK KRKOR KWKWT KYCYM KZKAZ LALAO LBLBN LCLCA LILIE LKLKA LRLBR LSLSO LTLTU LULUX LVLVA "
    "LYLBY MAMAR MCMCO MDMDA MEMNE MFMAF MGMDG MHMHL MKMKD MLMLI MMMMR MNMNG MOMAC MPMNP MQMTQ "
    "MRMRT MSMSR MTMLT MUMUS MVMDV MWMWI MXMEX MYMYS MZMOZ NANAM NCNCL NENER NFNFK NGNGA NINIC "
    "NLNLD NONOR NPNPL NRNRU NUNIU NZNZL OMOMN PAPAN PEPER PFPYF PGPNG PHPHL PKPAK PLPOL PMSPM "
    "PNPCN PRPRI PSPSE PTPRT PWPLW PYPRY QAQAT REREU ROROU RSSRB RURUS RWRWA SASAU SBSLB SCSYC "
    "SDSDN SESWE SGSGP SHSHN SISVN SJSJM SKSVK SLSLE SMSMR SNSEN SOSOM SRSUR SSSSD STSTP SVSLV "
    "SXSXM SYSYR SZSWZ TCTCA TDTCD TFATF TGTGO THTHA TJTJK TKTKL TLTLS TMTKM TNTUN TOTON TRTUR "
    "TTTTO TVTUV TWTWN TZTZA UAUKR UGUGA UMUMI USUSA UYURY UZUZB VAVAT VCVCT VEVEN VGVGB VIVIR "
    "VNVNM VUVUT WFWLF WSWSM YEYEM YTMYT ZAZAF ZMZMB ZWZWE "
    "CSCSK DDDDR YDYMD YUYUG"
)
#: ISO2 → ISO3 (ISO 3166-1, and ISO 3166-3 for Czechoslovakia, the GDR, South Yemen, Yugoslavia).
ISO2_TO_ISO3: dict[str, str] = {code[:2]: code[2:] for code in _ISO.split()}


# --------------------------------------------------------------------------------------------
# Files and validation
# --------------------------------------------------------------------------------------------


def _int_text(s: pd.Series) -> pd.Series:
    """True where a text cell is a whole number (``3`` or ``3.0``, as R and pandas write them)."""
    return s.str.fullmatch(r"\d+(?:\.0+)?")


def _schema(table: str) -> pa.DataFrameSchema:
    whole = pa.Check(_int_text, error="is not a whole number")
    flag = pa.Check.isin(["0", "1", "0.0", "1.0"], error="is not 0 or 1")
    iso_date = pa.Check(
        lambda s: (
            s.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
            & pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna()
        ),
        error="is not an ISO date (YYYY-MM-DD)",
    )
    text = {"dtype": str, "nullable": True}
    cols = {
        "votes": {
            "rcid": pa.Column(str, whole),
            "country": pa.Column(**text),
            "country_code": pa.Column(
                str,
                pa.Check.str_matches(r"[A-Z]{2}\Z", error="is not a two-letter country code"),
                nullable=True,
            ),
            "vote": pa.Column(str, pa.Check.isin(VOTES, error=f"is not one of {', '.join(VOTES)}")),
        },
        "roll_calls": {
            "rcid": pa.Column(str, whole, unique=True, report_duplicates="all"),
            "session": pa.Column(str, whole),
            "importantvote": pa.Column(str, flag, nullable=True),
            "date": pa.Column(str, iso_date),
            "unres": pa.Column(**text),
            "amend": pa.Column(str, flag, nullable=True),
            "para": pa.Column(str, flag, nullable=True),
            "short": pa.Column(**text),
            "descr": pa.Column(**text),
        },
        "issues": {
            "rcid": pa.Column(str, whole),
            "short_name": pa.Column(
                str,
                pa.Check.isin(
                    list(ISSUES), error=f"is not an unvotes issue code ({', '.join(ISSUES)})"
                ),
            ),
            "issue": pa.Column(str),
        },
    }[table]
    return pa.DataFrameSchema(cols, strict=False, name=f"unvotes {table}")


def _raise(path: Path, table: str, err: SchemaErrors) -> None:
    """Turn pandera's failure table into one DataError about the first failing row."""
    cases = err.failure_cases
    total = len(cases)
    missing = cases[cases["check"] == "column_in_dataframe"]
    if not missing.empty:
        raise DataError(
            path,
            f"column '{missing.iloc[0]['failure_case']}' is missing (expected: "
            f"{', '.join(COLUMNS[table])})",
            more=total - 1,
        )
    rows = cases[cases["index"].notna()].copy()
    if rows.empty:
        case = cases.iloc[0]
        raise DataError(path, f"{case['check']}: {case['failure_case']}", more=total - 1)
    rows["row"] = rows["index"].astype(int) + 1
    case = rows.sort_values(["row"], kind="stable").iloc[0]
    check = str(case["check"])
    if check == "not_nullable":
        problem = "is empty, but this column is required"
    elif "unique" in check or "duplicates" in check:
        problem = f"duplicate rcid {case['failure_case']!r}: every roll call must appear once"
    else:
        problem = f"{case['failure_case']!r} {check}"
    raise DataError(path, problem, row=int(case["row"]), column=str(case["column"]), more=total - 1)


def _read(path: Path, table: str) -> pd.DataFrame:
    """Read one table as text and validate it; NA only for empty cells (and R's ``NA`` outside
    the code and name columns, since ``NA`` is Namibia)."""
    na = {c: [""] for c in COLUMNS[table]}
    for col in ("importantvote", "amend", "para", "unres", "short", "descr", "vote"):
        if col in na:
            na[col] = ["", "NA"]
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_values=na,
            encoding="utf-8",
            encoding_errors="replace",
        )
    except pd.errors.EmptyDataError as exc:
        raise DataError(path, "is empty") from exc
    except pd.errors.ParserError as exc:
        raise DataError(path, f"cannot be read as CSV: {exc}") from exc
    try:
        return _schema(table).validate(frame, lazy=True)
    except SchemaErrors as err:
        _raise(path, table, err)
        raise  # unreachable: _raise always raises


def _rcid(s: pd.Series) -> pd.Series:
    return s.str.replace(r"\.0+$", "", regex=True)


def _check_known(child: pd.DataFrame, known: set[str], path: Path, against: Path) -> None:
    bad = child.index[~child["rcid"].isin(known)]
    if len(bad):
        first = int(bad[0])
        raise DataError(
            path,
            f"rcid {child.at[first, 'rcid']!r} is not in {against.name}",
            row=first + 1,
            column="rcid",
            more=len(bad) - 1,
        )


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def issues(directory: Path | str) -> pd.DataFrame:
    """The issue table: one row per (roll call, issue), columns ``roll_call, short_name, issue``.

    Every rcid must exist in the roll-call table (checked).
    """
    files = find_files(directory)
    rc = _read(files["roll_calls"], "roll_calls")
    table = _read(files["issues"], "issues")
    table["rcid"] = _rcid(table["rcid"])
    _check_known(table, set(_rcid(rc["rcid"])), files["issues"], files["roll_calls"])
    out = table.rename(columns={"rcid": "roll_call"})[["roll_call", "short_name", "issue"]]
    return out.drop_duplicates().reset_index(drop=True)


def _joined_issues(table: pd.DataFrame) -> pd.Series:
    """rcid → its issue names sorted and joined with '; ' (the documented one-row rule)."""
    return table.groupby("roll_call")["issue"].agg(lambda s: "; ".join(sorted(set(s))))


def roll_calls(directory: Path | str) -> pd.DataFrame:
    """One row per roll call, for issue-level analysis and look-ups.

    Columns: ``roll_call`` (rcid as text), ``session``, ``date``, ``unres`` (Voeten's resolution
    code, e.g. ``R/68/262``), ``importantvote``, ``amend``, ``para`` (0/1, NA where not coded),
    ``short``, ``descr``, ``issue`` (issue names joined with ``"; "``, NA when none),
    ``n_issues`` and one boolean column per issue code (``me``, ``nu``, ``di``, ``hr``, ``co``,
    ``ec``). Sorted by date, then rcid.
    """
    files = find_files(directory)
    rc = _read(files["roll_calls"], "roll_calls")
    table = issues(directory)
    out = pd.DataFrame(
        {
            "roll_call": _rcid(rc["rcid"]),
            "session": pd.to_numeric(rc["session"]).astype("Int64"),
            "date": pd.to_datetime(rc["date"], format="%Y-%m-%d"),
            "unres": rc["unres"],
            **{c: pd.to_numeric(rc[c]).astype("Int64") for c in ("importantvote", "amend", "para")},
            "short": rc["short"],
            "descr": rc["descr"],
        }
    )
    out["issue"] = out["roll_call"].map(_joined_issues(table))
    out["n_issues"] = out["roll_call"].map(table.groupby("roll_call").size()).fillna(0)
    out["n_issues"] = out["n_issues"].astype(int)
    for code in ISSUES:
        has = set(table.loc[table["short_name"] == code, "roll_call"])
        out[code] = out["roll_call"].isin(has)
    order = out.assign(_n=out["roll_call"].astype(int)).sort_values(["date", "_n"])
    return order.drop(columns="_n").reset_index(drop=True)


def load_unvotes(
    directory: Path | str,
    *,
    members: Iterable[str] | None = None,
    label_ussr: bool = False,
) -> pd.DataFrame:
    """The full UNGA roll calls in the long form of :func:`~analysis.indicators.un.votes_long`.

    Columns ``roll_call`` (rcid as text), ``date`` (datetime), ``issue`` (unvotes issue names of
    the roll call, ``"; "``-joined, NA when none), ``member`` (ISO3, see the module docstring),
    ``vote`` (``yes``/``abstain``/``no``); one row per roll call and voting member, sorted by
    date, rcid and member. ``members`` (ISO3 codes) keeps only those members, after validating
    the whole file. ``attrs``: ``files`` (the three paths), ``unmapped`` (ISO2 codes kept as
    given). Example: ``unga_agreement(load_unvotes(d, members=["CHN", "RUS"]))``.
    """
    files = find_files(directory)
    rc = _read(files["roll_calls"], "roll_calls")
    votes = _read(files["votes"], "votes")
    rc_ids = _rcid(rc["rcid"])
    votes["rcid"] = _rcid(votes["rcid"])
    _check_known(votes, set(rc_ids), files["votes"], files["roll_calls"])
    issue_of = _joined_issues(issues(directory))
    dates = pd.Series(pd.to_datetime(rc["date"], format="%Y-%m-%d").to_numpy(), index=rc_ids)

    code = votes["country_code"]
    member = code.map(ISO2_TO_ISO3).fillna(code)
    unmapped = sorted(set(code.dropna()) - set(ISO2_TO_ISO3))
    out = pd.DataFrame(
        {
            "roll_call": votes["rcid"],
            "date": votes["rcid"].map(dates),
            "issue": votes["rcid"].map(issue_of),
            "member": member.astype("str"),
            "vote": votes["vote"],
        }
    )
    if label_ussr:
        out.loc[out["member"].eq("RUS") & (out["date"] <= USSR_END), "member"] = "SUN"
    if members is not None:
        wanted = set(members)
        if label_ussr and "RUS" in wanted:
            wanted.add("SUN")
        out = out[out["member"].isin(wanted)]
    out = out.assign(_n=out["roll_call"].astype(int))
    out = out.sort_values(["date", "_n", "member"], kind="stable").drop(columns="_n")
    out = out.reset_index(drop=True)
    out.attrs["files"] = {k: str(v) for k, v in files.items()}
    out.attrs["unmapped"] = unmapped
    return out


def votes_by_issue(votes: pd.DataFrame, issue_table: pd.DataFrame) -> pd.DataFrame:
    """One unit per (roll call, issue): the long form exploded by :func:`issues`.

    ``roll_call`` becomes ``"<rcid>:<short_name>"`` so that a roll call with two issues is two
    units (one in each issue) and :func:`~analysis.indicators.un.unga_agreement` with
    ``by_issue=True`` counts it once per issue; ``issue`` is the single issue name. Roll calls
    without an issue are dropped. Sums over issues therefore exceed the number of roll calls.
    """
    base = votes.drop(columns=["issue"]).merge(
        issue_table[["roll_call", "short_name", "issue"]], on="roll_call", how="inner"
    )
    base["roll_call"] = base["roll_call"] + ":" + base["short_name"]
    return base[["roll_call", "date", "issue", "member", "vote"]].reset_index(drop=True)


__all__ = [
    "FILE_PATTERNS",
    "ISO2_TO_ISO3",
    "ISSUES",
    "find_files",
    "issues",
    "load_unvotes",
    "roll_calls",
    "votes_by_issue",
]
