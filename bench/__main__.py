"""``make bench``: every benchmark of the project, one after the other (not part of ``make test``).

- ``bench.bench_indicators``: all indicators over the bundled data and over 1,000,000 synthetic events;
- ``bench.bench_gdelt``: the GDELT dyad-and-coverage aggregation on DuckDB beside the old reader
  and DuckDB's own count(*), over 10,000,000 rows of GDELT 2.0 exports (plain and zipped);
- ``bench.bench_briefing``: the briefing against the bare papermill + WebPDF route, cache, batch.
"""

from __future__ import annotations

import sys

from bench import bench_briefing, bench_gdelt, bench_indicators


def main() -> int:
    for name, module, argv in (
        ("indicators", bench_indicators, []),
        ("GDELT", bench_gdelt, []),
        ("briefing", bench_briefing, ["--profile"]),
    ):
        print(f"\n=== {name} ===", flush=True)
        code = module.main(argv)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
