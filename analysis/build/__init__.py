"""The build side: everything the parent process runs (CLI, pipeline, cache, lock, atomic swap,
kernel, exporter, batch). It never imports pandas, matplotlib or scipy (tests/build checks it)."""
