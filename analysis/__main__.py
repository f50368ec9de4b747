"""``python -m analysis``: the ``briefing`` command."""

from analysis.build.cli import main

raise SystemExit(main())
