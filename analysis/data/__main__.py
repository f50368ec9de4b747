"""``python -m analysis.data``: validate every dataset and print rows, coverage and sources."""

from analysis.data.loader import main

raise SystemExit(main())
