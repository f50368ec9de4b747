"""Builders: the few datasets in ``data/`` that are derived by code rather than curated by hand.

Each builder reads public, openly licensed compilations, writes tidy CSVs and their sidecars in
the project's format (``data/CONVENTIONS.md``), atomically and deterministically, so that a rerun
on the same inputs reproduces the committed files byte for byte.

- :mod:`.unga_record`: every recorded General Assembly roll call with the votes of China,
  Russia (USSR before 1992) and the United States, and the Bailey–Strezhnev–Voeten session
  scores (``make derived``).
"""
