"""The pipeline: everything the parent process runs (CLI, build steps, cache, lock, atomic swap,
kernel, exporter, batch). It never imports pandas, matplotlib or scipy (tests/pipeline checks it).

Importing it keeps one optional module out of the parent: ``rfc3987_syntax``, which jsonschema
(through nbformat's validator, hence papermill and nbconvert) imports when it is installed, only
to check the ``iri`` string formats — which no notebook schema uses — and which builds its
grammar at import, about 1.4 s of every build's critical path. jsonschema imports it under
``suppress(ImportError)`` and then simply has no ``iri`` checker.
"""

import sys

#: Optional modules the parent never needs (a None entry makes their import fail at once).
SKIPPED_IMPORTS = ("rfc3987_syntax",)
for _name in SKIPPED_IMPORTS:
    sys.modules.setdefault(_name, None)
