"""``python -m analysis``: the ``briefing`` command."""

from analysis.pipeline.cli import main

raise SystemExit(main())
