"""Synthetic GDELT 2.0 event exports in the real layout, for ``make bench``.

GDELT 2.0 publishes one export every 15 minutes, ``YYYYMMDDHHMMSS.export.CSV.zip`` holding
``YYYYMMDDHHMMSS.export.CSV``: 61 tab-separated columns (GDELT Event Codebook V2.0), no header.
:func:`write_exports` writes ``days`` × 96 such files (plain and zipped, in two folders), with
``rows`` lines in all: realistic field contents (actor codes with and without country codes,
three geographies with full names, coordinates and feature ids, a 14-digit DATEADDED, a URL),
``dyad_share`` of the lines between two of CHN, RUS, USA (either way; a fifth coded only by the
actor code), a tenth more involving one of them, 0.01% malformed lines, and a non-UTF-8 byte
now and then. Each day is written by one worker process (two at once).
"""

from __future__ import annotations

import datetime as dt
import random
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

NCOLS = 61
FILES_PER_DAY = 96
CAMEO = [
    ("010", 1, 0.0),
    ("036", 1, 4.0),
    ("042", 1, 1.9),
    ("043", 1, 2.8),
    ("057", 1, 8.0),
    ("061", 2, 6.4),
    ("0874", 2, 10.0),
    ("112", 3, -2.0),
    ("130", 3, -4.4),
    ("173", 4, -5.0),
    ("190", 4, -10.0),
]
TARGETS = ["CHN", "RUS", "USA"]
OTHERS = ["UKR", "IND", "JPN", "DEU", "FRA", "GBR", "KAZ", "PRK", "IRN", "TUR", "BRA", "ISR"]
NAMES = {"CHN": "CHINA", "RUS": "RUSSIA", "USA": "UNITED STATES"}
PLACES = [
    ("Moscow, Moskva, Russia", "RS", "RS48", "25496", "55.7522", "37.6156", "-2960561"),
    ("Beijing, Beijing, China", "CH", "CH22", "13001", "39.9289", "116.388", "-1898541"),
    (
        "Washington, District of Columbia, United States",
        "US",
        "USDC",
        "DC001",
        "38.8951",
        "-77.0364",
        "531871",
    ),
    ("Kyiv, Kyyiv, Misto, Ukraine", "UP", "UP12", "31234", "50.4333", "30.5167", "-1044367"),
    (
        "London, London, City of, United Kingdom",
        "UK",
        "UKH9",
        "40110",
        "51.5",
        "-0.116667",
        "-2601889",
    ),
]
_TEMPLATES = 4000


def _body(rng: random.Random, a1: str, a2: str, code_only: bool) -> str:
    """Columns 5..58 (Actor1Code .. ActionGeo_FeatureID) and a {added} slot, then the URL."""
    code, quad, gold = rng.choice(CAMEO)
    f = [""] * NCOLS
    f[5] = a1 + rng.choice(["", "GOV", "MIL", "BUS"])
    f[6], f[7] = NAMES.get(a1, a1), ("" if code_only else a1)
    f[12] = rng.choice(["", "GOV", "MIL", "COP"])
    f[15], f[16], f[17] = a2, NAMES.get(a2, a2), a2
    f[25], f[26], f[27], f[28] = "1", code, code[:3], code[:2]
    f[29], f[30] = str(quad), f"{gold:.1f}"
    mentions = rng.randint(1, 40)
    f[31], f[32], f[33] = str(mentions), str(rng.randint(1, 5)), str(mentions)
    f[34] = f"{rng.uniform(-8, 8):.14f}"
    for base in (35, 43, 51):  # Actor1Geo, Actor2Geo, ActionGeo: 8 fields each in 2.0
        name, cc, adm1, adm2, lat, lon, fid = rng.choice(PLACES)
        f[base : base + 8] = ["4", name, cc, adm1, adm2, lat, lon, fid]
    slug = "-".join(
        rng.choice(["talks", "summit", "sanctions", "trade", "border", "visit"]) for _ in range(4)
    )
    url = f"https://www.example-news.com/world/{rng.randint(1, 10**7)}/{slug}.html"
    return "\t".join(f[5:59]) + "\t{added}\t" + url


def templates(dyad_share: float, seed: int = 1) -> list[tuple[bool, str]]:
    """(is a dyad line, body) templates: a ``dyad_share`` of them between two targets."""
    rng = random.Random(seed)
    out = []
    for i in range(_TEMPLATES):
        if i < round(_TEMPLATES * dyad_share):
            a1, a2 = rng.sample(TARGETS, 2)
            out.append((True, _body(rng, a1, a2, rng.random() < 0.2)))
        elif rng.random() < 0.1:
            pair = [rng.choice(TARGETS), rng.choice(OTHERS)]
            rng.shuffle(pair)
            out.append((False, _body(rng, *pair, False)))
        else:
            out.append((False, _body(rng, *rng.sample(OTHERS, 2), False)))
    rng.shuffle(out)
    return out


def _day_files(args: tuple) -> tuple[int, int, int]:
    """Write one day's 96 exports (plain and zipped); (lines, dyad lines, bytes)."""
    day, per_file, first_id, plain_dir, zip_dir, dyad_share = args
    tmpl = templates(dyad_share)
    ymd = day.strftime("%Y%m%d")
    frac = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}"
    lead = f"\t{ymd}\t{ymd[:6]}\t{ymd[:4]}\t{frac}\t"
    lines = dyads = size = 0
    for k in range(FILES_PER_DAY):
        stamp = f"{ymd}{k // 4:02d}{k % 4 * 15:02d}00"
        bodies = [(d, b.replace("{added}", stamp)) for d, b in tmpl]
        start = first_id + k * per_file
        out = []
        for i in range(start, start + per_file):
            if i % 10_000 == 7_777:
                out.append(f"{i}\t{ymd}\tmalformed line")
                continue
            is_dyad, body = bodies[(i * 7919) % _TEMPLATES]
            dyads += is_dyad
            out.append(f"{i}{lead}{body}")
        data = ("\n".join(out) + "\n").encode()
        if k % 24 == 5:  # a Latin-1 byte in a name, now and then
            data = data.replace(b"\tRUSSIA\t", b"\tRUSSIA\xe9\t", 1)
        name = f"{stamp}.export.CSV"
        (plain_dir / name).write_bytes(data)
        with zipfile.ZipFile(
            zip_dir / f"{name}.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=6
        ) as zf:
            zf.writestr(name, data)
        lines, size = lines + per_file, size + len(data)
    return lines, dyads, size


def write_exports(
    folder: Path, rows: int, days: int, dyad_share: float = 0.01, workers: int = 2
) -> dict:
    """``folder/plain`` and ``folder/zip``: ``days`` × 96 exports of ``rows`` lines in all,
    from 2022-01-01. Returns what was written."""
    plain_dir, zip_dir = folder / "plain", folder / "zip"
    plain_dir.mkdir(parents=True, exist_ok=True)
    zip_dir.mkdir(parents=True, exist_ok=True)
    per_file = max(rows // (days * FILES_PER_DAY), 1)
    first = dt.date(2022, 1, 1)
    jobs = [
        (
            first + dt.timedelta(d),
            per_file,
            1_000_000_000 + d * FILES_PER_DAY * per_file,
            plain_dir,
            zip_dir,
            dyad_share,
        )
        for d in range(days)
    ]
    with ProcessPoolExecutor(workers) as pool:
        done = list(pool.map(_day_files, jobs))
    return {
        "rows": sum(d[0] for d in done),
        "dyad_rows": sum(d[1] for d in done),
        "plain_bytes": sum(d[2] for d in done),
        "zip_bytes": sum(p.stat().st_size for p in zip_dir.iterdir()),
        "files": days * FILES_PER_DAY,
        "days": days,
    }
