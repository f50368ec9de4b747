"""``python -m analysis``: the ``briefing`` command."""

from .cli import main

raise SystemExit(main())
