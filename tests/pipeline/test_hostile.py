"""Issue 16: every promise held under hostile input and faults (no kernel: fast).

The signal cases, which need real builds, are in ``test_signals.py`` (e2e).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from analysis import config
from analysis.params import ParameterError
from analysis.pipeline import atomic, buildcache, cli, jobs, steps
from analysis.pipeline.batch import RangeResult, RangeSpec, load_ranges, parse_range, summary_table
from analysis.sidecars import DataError, read_meta
from tests.conftest import PROJECT

RANGE = ("--start", "2014-01-01", "--end", "2014-12-31")


def _run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _one_line_exit_2(code, err):
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


@pytest.fixture
def data_copy(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data, ignore=shutil.ignore_patterns("notes", "external"))
    return data


# ---- 2. the cache holds nothing executable ----------------------------------------------------


def test_cache_is_parquet_and_never_unpickled():
    from analysis.data import loader, validated_cache

    source = Path(loader.__file__).read_text(encoding="utf-8")
    source += Path(validated_cache.__file__).read_text(encoding="utf-8")
    assert "read_pickle" not in source and "to_pickle" not in source
    assert validated_cache.entry_path("trade", "a", "b").suffix == ".parquet"


def test_cache_entry_is_checked_against_the_source_sha256(tmp_path, monkeypatch, data_copy):
    from analysis.data import loader, validated_cache
    from analysis.sidecars import file_digest

    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    loader._load_cached.cache_clear()
    path = data_copy / "trade.csv"
    digest, meta = file_digest(path), file_digest(data_copy / "trade.meta.yaml")
    frame = loader._load_cached(str(path), digest, meta)
    cached = validated_cache.entry_path("trade", digest, meta)
    assert cached.is_file()
    again = validated_cache.read_entry(cached, digest, meta)
    assert again is not None and again.equals(frame)
    assert list(again.dtypes) == list(frame.dtypes) and again.attrs == frame.attrs
    # an entry stamped with other bytes than the CSV's is ignored (validated again)
    assert validated_cache.read_entry(cached, "0" * 64, meta) is None
    # a damaged entry (or a planted pickle under the name) is ignored, never executed
    cached.write_bytes(b"\x80\x04cos\nsystem\n(S'touch /tmp/pwned'\ntR.")
    assert validated_cache.read_entry(cached, digest, meta) is None
    loader._load_cached.cache_clear()


# ---- 3. --out -----------------------------------------------------------------------------------


def test_out_with_a_briefing_pdf_folder_of_user_files_is_refused(capsys, tmp_path):
    out = tmp_path / "X"
    (out / "briefing.pdf").mkdir(parents=True)
    (out / "briefing.pdf" / "thesis.tex").write_text("mine")
    code, _, err = _run(capsys, *RANGE, "--out", str(out), "--quiet")
    _one_line_exit_2(code, err)
    assert (out / "briefing.pdf" / "thesis.tex").read_text() == "mine"


def test_symlinked_out_is_followed_and_the_link_kept(tmp_path):
    target = tmp_path / "real"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target)
    assert jobs.resolve_destination(link) == target.resolve()
    assert link.is_symlink()


def test_dangling_symlink_out_is_exit_2_before_any_work(capsys, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "gone")
    code, _, err = _run(capsys, *RANGE, "--out", str(link), "--quiet")
    _one_line_exit_2(code, err)
    assert "dangling" in err and not (tmp_path / "gone").exists()


def test_out_with_dotdot_is_resolved_or_refused(capsys, tmp_path):
    (tmp_path / "a").mkdir()
    assert jobs.resolve_destination(tmp_path / "a" / ".." / "b") == tmp_path.resolve() / "b"
    code, _, err = _run(capsys, *RANGE, "--out", "/..", "--quiet")
    _one_line_exit_2(code, err)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = _run(capsys, *RANGE, "--out", str(blocker / "sub"), "--quiet")
    _one_line_exit_2(code, err)


# ---- 4. --ranges YAML -------------------------------------------------------------------------

LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def test_ranges_billion_laughs_is_refused_at_once(capsys, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(LAUGHS + "ranges: *i\n")
    t0 = time.monotonic()
    code, _, err = _run(capsys, "--ranges", str(path), "--quiet")
    assert time.monotonic() - t0 < 5
    _one_line_exit_2(code, err)
    assert "anchors" in err and len(err) < 400


def test_ranges_not_utf8_and_dev_zero_are_one_line(capsys, tmp_path):
    path = tmp_path / "r.yaml"
    path.write_bytes(b"ranges:\n  a: {start: 2014-01-01}\n  \xff\xfe: {}\n")
    code, _, err = _run(capsys, "--ranges", str(path), "--quiet")
    _one_line_exit_2(code, err)
    assert "UTF-8" in err
    code, _, err = _run(capsys, "--ranges", "/dev/zero", "--quiet")
    _one_line_exit_2(code, err)
    assert "not a regular file" in err  # issue 27: refused before it is read


def test_ranges_as_of_per_range_and_inline():
    assert parse_range("2014-01-01:2014-12-31@2015-06-30").as_of == "2015-06-30"
    assert parse_range("2014-01-01:").as_of is None


def test_yaml_ranges_accept_as_of(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("ranges:\n  a: {start: 2014-01-01, end: 2014-12-31, as_of: 2015-06-30}\n")
    assert load_ranges(path) == [RangeSpec("a", "2014-01-01", "2014-12-31", as_of="2015-06-30")]


# ---- 5. relative BRIEFING_*_DIR ---------------------------------------------------------------


def test_relative_env_dirs_are_resolved_once_against_the_current_folder(tmp_path):
    code = (
        "from analysis import config; import json; "
        "print(json.dumps([str(config.DATA_DIR), str(config.REPORTS_DIR), str(config.CACHE_DIR)]))"
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT),
        "BRIEFING_DATA_DIR": "d",
        "BRIEFING_REPORTS_DIR": "",
        "BRIEFING_CACHE_DIR": "../c",
    }
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    data, reports, cache = json.loads(proc.stdout)
    assert data == str(tmp_path / "d")
    assert reports == str(PROJECT / "reports")  # empty: the default, not the current folder
    assert Path(cache).resolve() == (tmp_path.parent / "c").resolve()


def test_kernel_gets_absolute_paths(monkeypatch, tmp_path):
    from analysis.pipeline.kernel import kernel_environment

    monkeypatch.chdir(tmp_path)
    with kernel_environment(Path("d"), Path("e"), Path("c.yaml"), tmp_path / "s"):
        assert os.environ["BRIEFING_DATA_DIR"] == str(tmp_path / "d")
        assert os.environ["BRIEFING_EXTERNAL_DIR"] == str(tmp_path / "e")
        assert os.environ["BRIEFING_CLAIMS_FILE"] == str(tmp_path / "c.yaml")
        assert os.environ["TMPDIR"] == str(tmp_path / "s")
        assert Path(os.environ["BRIEFING_CACHE_DIR"]).is_absolute()


# ---- 6. one line and exit 2, not a traceback and exit 1 --------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("- a\n- b\n", "is a list"),
        ("just a string\n", "is a str"),
        (None, "bad pattern"),
        (None, "unknown type"),
        (None, "primary_key"),
    ],
    ids=["list", "string", "bad regex", "unknown type", "primary key names no column"],
)
def test_bad_sidecar_is_one_line_exit_2(capsys, tmp_path, data_copy, text, says):
    path = data_copy / "trade.meta.yaml"
    if text is None:
        original = path.read_text(encoding="utf-8")
        if says == "bad pattern":
            text = original.replace(
                "    type: string\n", "    type: string\n    pattern: '(['\n", 1
            )
        elif says == "unknown type":
            text = original.replace("type: float", "type: decimal", 1)
        else:
            text = original.replace("primary_key: [", "primary_key: [no_such_column, ", 1)
        assert text != original
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"trade\.meta\.yaml"):
        read_meta("trade", data_copy)
    code, _, err = _run(capsys, *RANGE, "--data-dir", str(data_copy), "--quiet")
    _one_line_exit_2(code, err)
    assert "trade.meta.yaml" in err and says in err


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (None, "not found"),
        ("claims: [\n", "not valid YAML"),
        ("- 1\n", "expected a mapping"),
        ("sources: {}\nclaims: []\n", "sources"),
    ],
    ids=["missing", "malformed", "a list", "empty"],
)
def test_bad_claims_file_is_one_line_exit_2(capsys, tmp_path, text, says):
    path = tmp_path / "claims.yaml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = _run(capsys, *RANGE, "--claims", str(path), "--out", str(out), "--quiet")
    _one_line_exit_2(code, err)
    assert "claims.yaml" in err and says in err
    assert not out.exists()


def test_default_claims_file_is_checked_up_front(capsys, data_copy):
    (data_copy / "claims.yaml").write_text("claims: {\n", encoding="utf-8")
    code, _, err = _run(capsys, *RANGE, "--data-dir", str(data_copy), "--quiet")
    _one_line_exit_2(code, err)
    assert "claims.yaml" in err


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (("compare: more_than", "compare: roughly"), "field 'compare': unknown comparison"),
        (("    stated: 0.6\n", "    stated: lots\n"), "field 'stated' must be a number"),
        (("test: trade_growth", "test: trade_grwth"), "field 'test': unknown test 'trade_grwth'"),
    ],
    ids=["compare", "stated", "test"],
)
def test_bad_claim_in_the_extra_claims_file_is_one_line_exit_2(capsys, data_copy, edit, says):
    path = data_copy / "claims_extra.yaml"
    old, new = edit
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, _, err = _run(capsys, *RANGE, "--data-dir", str(data_copy), "--quiet")
    _one_line_exit_2(code, err)
    assert "claims_extra.yaml" in err and "claim 'exports_up_60pct'" in err and says in err


def test_header_only_csv_is_a_data_error(data_copy):
    from analysis.data import loader

    path = data_copy / "trade.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="header but no rows"):
        loader._validate(path, "trade")


def test_non_json_notebook_is_one_line_and_quotes_nothing(capsys, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    code, _, err = _run(capsys, *RANGE, "--notebook", str(secret), "--quiet")
    _one_line_exit_2(code, err)
    assert "root:x" not in err and "not a Jupyter notebook" in err
    code, _, err = _run(capsys, *RANGE, "--notebook", str(tmp_path), "--quiet")
    _one_line_exit_2(code, err)
    assert "is not a file" in err and "does not exist" not in err


def test_corrupt_gdelt_zip_is_a_format_error_reported_as_bad_input(tmp_path):
    from analysis.data.external.gdelt import GdeltFormatError, read_gdelt_dyad
    from analysis.protocol import DATA_ERRORS

    bad = tmp_path / "20150101.export.CSV.zip"
    bad.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(GdeltFormatError, match="damaged archive"):
        read_gdelt_dyad(bad)
    good = tmp_path / "b.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("b.CSV", "x\t" * 56 + "x\n" * 1000)
    raw = bytearray(good.read_bytes())
    raw[40:48] = b"\xff" * 8  # damage the compressed member (its data starts at byte 35)
    good.write_bytes(bytes(raw))
    with pytest.raises(GdeltFormatError):
        read_gdelt_dyad(good)
    assert "GdeltFormatError" in DATA_ERRORS


# ---- 7. schema gaps -----------------------------------------------------------------------------


def test_nul_byte_in_a_cell_is_refused(data_copy):
    from analysis.data import loader

    path = data_copy / "trade.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",", ",\x00", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match=r"NUL byte \(line 3"):
        loader._validate(path, "trade")


def test_javascript_url_is_refused_even_with_a_loose_pattern(data_copy):
    from analysis.data import loader

    meta = data_copy / "events.meta.yaml"
    meta.write_text(meta.read_text().replace("pattern: '^https?://\\S+$'", "pattern: '.*'"))
    path = data_copy / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    assert "source_url" in header
    import csv
    import io

    rows = list(csv.reader(io.StringIO("".join(lines))))
    rows[5][header.index("source_url")] = "javascript:alert(1)"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError, match=r"not an http\(s\) URL"):
        loader._validate(path, "events")


def test_nan_in_a_numeric_cell_says_so_not_empty(data_copy):
    from analysis.data import loader

    path = data_copy / "trade.csv"
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[3][rows[0].index("value_usd")] = "nan"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    with pytest.raises(DataError) as info:
        loader._validate(path, "trade")
    assert "is not a finite number" in str(info.value) and "is empty" not in str(info.value)


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "-inf", "1e999"])
def test_wait_must_be_finite_and_not_negative(capsys, value):
    with pytest.raises(SystemExit) as exc:
        cli.main([*RANGE, "--wait", value])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--wait" in err


# ---- 8. terminal escapes ----------------------------------------------------------------------


def test_range_names_are_printed_escaped():
    spec = parse_range("\x1b]0;pwned\x07:2014-12-31")
    assert "\x1b" not in spec.shown and "\\x1b" in spec.shown
    bad = parse_range("\x1b[2J\x07")
    assert "\x1b" not in bad.name and "\x1b" not in bad.error
    table = summary_table([RangeResult(spec.shown, "invalid", "x")])
    assert "\x1b" not in table and "\x07" not in table


def test_batch_output_has_no_raw_escape(capsys, tmp_path):
    code, out, err = _run(capsys, "--range", "\x1b]0;pwned\x07:2014-12-31", "--quiet")
    assert code == 2
    assert "\x1b" not in out + err and "\x07" not in out + err


# ---- 9/10. litter, messages, atomic swap ------------------------------------------------------


def test_stale_old_scratch_and_tmp_are_removed_also_on_a_cache_hit(tmp_path):
    out = tmp_path / "b"
    job = jobs.prepare(*RANGE[1::2], out_dir=out)
    out.mkdir()
    (out / "briefing.pdf").write_bytes(b"%PDF-1.4")
    buildcache.write_manifest(out, {"cache_key": job.key})
    for kind in ("tmp", "old"):
        (tmp_path / f".b.{kind}-999999999").mkdir()
    outcome = steps.build(*RANGE[1::2], out_dir=out, quiet=True)
    assert outcome.cached
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


def test_interrupt_after_install_does_not_say_unchanged():
    exc = KeyboardInterrupt()
    exc.installed, exc.destination = True, Path("/r/x")
    assert "unchanged" not in cli._after_signal(exc) and "installed" in cli._after_signal(exc)
    assert "unchanged" in cli._after_signal(KeyboardInterrupt())


def test_signals_are_deferred_over_the_swap():
    seen = []
    previous = signal.signal(signal.SIGTERM, lambda *a: seen.append(time.monotonic()))
    try:
        with atomic.signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)
            inside = list(seen)
        time.sleep(0.05)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert inside == [] and len(seen) == 1


def test_lock_file_is_removed_after_every_run(tmp_path):
    dest = tmp_path / "d"
    with atomic.range_lock(dest, wait=1, quiet=True):
        assert (tmp_path / ".d.lock").exists()
    assert not (tmp_path / ".d.lock").exists()
    with pytest.raises(ParameterError), atomic.range_lock(dest, wait=1, quiet=True):
        raise ParameterError("x", "exit 2 inside the lock")
    assert list(tmp_path.iterdir()) == []


READER = r"""
import os, sys, time
dest = sys.argv[1]
misses = polls = 0
end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < end:
    polls += 1
    try:
        with open(os.path.join(dest, "briefing.pdf"), "rb") as fh:
            if not fh.read():
                misses += 1  # an empty (partial) file
    except FileNotFoundError:
        misses += 1
print(misses, polls)
"""


def test_swap_is_atomic_for_a_polling_reader(tmp_path):
    dest = tmp_path / "b"
    dest.mkdir()
    for name in ("briefing.pdf", "manifest.json"):
        (dest / name).write_bytes(b"0")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(dest), "3"], stdout=subprocess.PIPE, text=True
    )
    time.sleep(0.3)
    swaps = 0
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        tmp = tmp_path / f".b.tmp-{swaps}"
        tmp.mkdir()
        mark = str(swaps % 10).encode()
        for name in ("briefing.pdf", "manifest.json"):
            (tmp / name).write_bytes(mark)
        atomic.replace_dir(tmp, dest)
        swaps += 1
    misses, polls = map(int, reader.communicate(timeout=30)[0].split())
    assert swaps > 100 and polls > 1000
    assert misses == 0, f"{misses} of {polls} reads found no briefing"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b"]


# ---- 11/12. GDELT line length, smaller cases --------------------------------------------------


def test_gdelt_line_without_newline_is_bounded(tmp_path):
    from analysis.data.external import gdelt

    path = tmp_path / "long.CSV"
    path.write_bytes(b"x" * (3 * gdelt.MAX_LINE_BYTES))
    t0 = time.monotonic()
    with pytest.raises(gdelt.GdeltFormatError, match="longer than"):
        gdelt.read_gdelt_dyad(path)
    assert time.monotonic() - t0 < 5


def test_external_dir_missing_or_a_file_is_exit_2(capsys, tmp_path):
    code, _, err = _run(capsys, *RANGE, "--external-dir", str(tmp_path / "none"), "--quiet")
    _one_line_exit_2(code, err)
    assert "does not exist" in err
    (tmp_path / "f").write_text("x")
    code, _, err = _run(capsys, *RANGE, "--external-dir", str(tmp_path / "f"), "--quiet")
    _one_line_exit_2(code, err)
    assert "not a folder" in err


def test_missing_chromium_is_found_before_the_notebook_runs(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_CHROMIUM", str(tmp_path / "no-chromium"))
    started = []
    monkeypatch.setattr(steps, "execute", lambda *a, **k: started.append(a))
    code, _, err = _run(capsys, *RANGE, "--out", str(tmp_path / "o"), "--quiet", "--force")
    assert code == 1 and "nothing was run" in err and started == []
    assert not (tmp_path / "o").exists() and list(tmp_path.iterdir()) == []


def test_start_after_default_end_does_not_mention_end(capsys):
    from analysis.sidecars import data_end_date

    code, _, err = _run(capsys, "--start", f"{data_end_date().year + 0}-12-31", "--quiet")
    if code == 2 and "after" in err:
        assert "--end" not in err and "end of the data" in err


def test_a_briefing_with_its_data_files_can_be_rebuilt_in_place(tmp_path):
    """The payload's data files (data/<name>.csv) belong to a briefing: --force over one is fine;
    anything else under data/ is someone's and is refused."""
    out = tmp_path / "b"
    (out / "data").mkdir(parents=True)
    (out / "briefing.pdf").write_bytes(b"%PDF-1.4")
    (out / "data" / "composite.csv").write_text("year,value\n")
    assert jobs.resolve_destination(out) == out.resolve()
    (out / "data" / "notes.txt").write_text("mine")
    with pytest.raises(ParameterError, match=r"notes\.txt"):
        jobs.resolve_destination(out)
    (out / "data" / "notes.txt").unlink()
    (out / "data" / "linked.csv").symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(ParameterError, match=r"linked\.csv"):
        jobs.resolve_destination(out)
