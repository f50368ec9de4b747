"""Benchmark: filter the CHN–RUS dyad out of a GDELT-sized export and aggregate it.

Run as ``python -m bench.bench_gdelt [--rows N] [--dyad-share F] [--keep DIR]``. It writes a
GDELT 1.0 daily export (58 tab-separated columns, the codebook layout) of ``--rows`` lines
(default 1,000,000; a realistic mix: about 1% CHN–RUS events in both directions, about 10% other
events involving China or Russia, events whose URL or names mention both codes without being
the dyad, 0.01% malformed lines, some non-UTF-8 bytes) into a temporary folder, then times
:func:`analysis.data.external.gdelt.read_gdelt_dyad` + :func:`analysis.indicators.event_scores`
(monthly) and reports wall time, throughput and peak memory (``resource.getrusage`` maximum
resident set size, and the tracemalloc peak of a second, untimed pass). Target: ≤ 5 s for
1,000,000 rows on 2 cores. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

NCOLS = 58
# 0-based positions in the GDELT 1.0 daily layout (GDELT Data Format Codebook V1.03).
SQLDATE, A1_CODE, A1_NAME, A1_CC, A2_CODE, A2_NAME, A2_CC = 1, 5, 6, 7, 15, 16, 17
EVENT_CODE, BASE, ROOT, QUAD, GOLD, MENTIONS, TONE = 26, 27, 28, 29, 30, 31, 34
GEO_NAME, GEO_LAT, GEO_LONG, DATEADDED, URL = 50, 53, 54, 56, 57

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
OTHERS = ["USA", "UKR", "IND", "JPN", "DEU", "FRA", "GBR", "KAZ", "PRK", "IRN", "TUR", "BRA"]


def _template(rng: random.Random, a1: str, a2: str, fallback: bool, url_noise: bool) -> str:
    code, quad, gold = rng.choice(CAMEO)
    f = [""] * NCOLS
    f[A1_CODE] = a1 + rng.choice(["", "GOV", "MIL", "BUS"])
    f[A1_CC] = "" if fallback else a1
    f[A1_NAME] = {"CHN": "CHINA", "RUS": "RUSSIA"}.get(a1, a1)
    f[A2_CODE], f[A2_CC], f[A2_NAME] = a2, a2, {"CHN": "CHINA", "RUS": "RUSSIA"}.get(a2, a2)
    f[EVENT_CODE], f[BASE], f[ROOT] = code, code[:3], code[:2]
    f[QUAD], f[GOLD] = str(quad), f"{gold:.1f}"
    f[MENTIONS], f[TONE] = str(rng.randint(1, 40)), f"{rng.uniform(-8, 8):.4f}"
    f[25], f[32], f[33] = "1", "1", str(rng.randint(1, 40))
    f[GEO_NAME] = rng.choice(
        [
            "Moscow, Moskva, Russia",
            "Beijing, Beijing, China",
            "Washington, District of Columbia, United States",
        ]
    )
    f[GEO_LAT], f[GEO_LONG] = f"{rng.uniform(-60, 60):.4f}", f"{rng.uniform(-180, 180):.4f}"
    slug = "china-russia-RUS-CHN-talks" if url_noise else "world-news"
    f[URL] = f"https://news.example.com/{rng.randint(1, 10**6)}/{slug}.html"
    return "\t".join(f[A1_CODE:])  # the fields after FractionDate


def write_export(path: Path, rows: int, dyad_share: float = 0.01, seed: int = 1) -> int:
    """Write ``rows`` lines; returns the number of CHN–RUS dyad lines written."""
    rng = random.Random(seed)
    kinds = []
    for _ in range(400):
        r = rng.random()
        if r < dyad_share:
            a1, a2 = rng.choice([("CHN", "RUS"), ("RUS", "CHN")])
            kinds.append((True, _template(rng, a1, a2, rng.random() < 0.2, False)))
        elif r < dyad_share + 0.10:
            pair = (rng.choice(["CHN", "RUS"]), rng.choice(OTHERS))
            kinds.append(
                (
                    False,
                    _template(
                        rng,
                        *(pair if rng.random() < 0.5 else pair[::-1]),
                        False,
                        rng.random() < 0.3,
                    ),
                )
            )
        else:
            a1, a2 = rng.sample(OTHERS, 2)
            kinds.append((False, _template(rng, a1, a2, False, rng.random() < 0.02)))
    # exactly dyad_share of the lines are dyad lines (the templates only choose what they say)
    dyad_rows = [t for is_dyad, t in kinds if is_dyad] or [
        _template(rng, "CHN", "RUS", False, False)
    ]
    other_rows = [t for is_dyad, t in kinds if not is_dyad]
    every = max(round(1 / dyad_share), 1) if dyad_share else 0
    n_dyad = 0
    with path.open("wb") as fh:
        buf = []
        for i in range(rows):
            day = 20150101 + (i % 28)
            if i % 10_000 == 5_001:  # 0.01% malformed lines (never a dyad line)
                buf.append(f"{i}\t{day}\tmalformed")
                continue
            if every and i % every == 0:
                body, n_dyad = dyad_rows[i % len(dyad_rows)], n_dyad + 1
            else:
                body = other_rows[i % len(other_rows)]
            line = f"{400_000_000 + i}\t{day}\t{str(day)[:6]}\t2015\t2015.0027\t{body}"
            buf.append(line)
            if len(buf) == 50_000:
                data = ("\n".join(buf) + "\n").encode()
                fh.write(data.replace(b"RUSSIA\t", b"RUSSIA\xe9\t", 1))  # a non-UTF-8 byte
                buf.clear()
        if buf:
            fh.write(("\n".join(buf) + "\n").encode())
    return n_dyad


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bench_gdelt")
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--dyad-share", type=float, default=0.01)
    p.add_argument("--keep", type=Path, help="write the export here and keep it")
    args = p.parse_args(argv)

    from analysis.data.external.gdelt import read_gdelt_dyad
    from analysis.indicators import event_scores

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "20150101.export.CSV"
        t0 = time.perf_counter()
        n_dyad = write_export(path, args.rows, args.dyad_share)
        t_write = time.perf_counter() - t0
        size_mb = path.stat().st_size / 1e6
        rss_before = _maxrss_mb()

        t0 = time.perf_counter()
        events = read_gdelt_dyad(path)
        t_read = time.perf_counter() - t0
        t1 = time.perf_counter()
        scores = event_scores(events, freq="MS")
        t_agg = time.perf_counter() - t1
        wall = time.perf_counter() - t0
        rss_after = _maxrss_mb()

        tracemalloc.start()
        read_gdelt_dyad(path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()

    a = events.attrs
    print(
        f"file: {args.rows:,} rows, {size_mb:.0f} MB, {n_dyad:,} CHN-RUS lines "
        f"(written in {t_write:.1f} s)"
    )
    print(
        f"read_gdelt_dyad: {t_read:.2f} s ({args.rows / t_read / 1e6:.2f} M lines/s), "
        f"{a['rows']:,} dyad rows, {a['lines_skipped']:,} malformed lines skipped"
    )
    print(f"event_scores (monthly): {t_agg:.3f} s, {len(scores)} tidy rows")
    print(f"wall time filter + aggregate: {wall:.2f} s (target <= 5 s)")
    print(
        f"peak RSS: {rss_after:.0f} MB (before reading: {rss_before:.0f} MB); "
        f"tracemalloc peak of one read: {peak / 1e6:.1f} MB"
    )
    ok = a["rows"] == n_dyad
    print("dyad rows match the lines written" if ok else "WARNING: dyad row count differs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
