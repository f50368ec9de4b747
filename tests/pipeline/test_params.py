"""Parameter safety: hostile strings never reach the notebook; always one line and exit 2."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config
from analysis.params import (
    ParameterError,
    parse_date,
    range_slug,
    resolve_range,
)
from analysis.pipeline import cli
from analysis.pipeline import steps as report
from analysis.sidecars import data_end_date

LAST = data_end_date()

SPECIALS = [
    "",
    " ",
    "'",
    '"',
    "\\",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\x1b[31m",
    "\u202e",
    "2020-01-01\n",
    "2020-01-01; rm -rf /",
    "$(reboot)",
    "`id`",
    "| cat /etc/passwd",
    "&& echo pwned",
    "> /tmp/x",
    "__import__('os').system('id')",
    "start = 1; import os",
    "'); os.system('id'); ('",
    '{"start": "2020-01-01"}',
    "2020-01-01' or '1'='1",
    "２０２０-０１-０１",
    "2020–01–01",
    "2020-1-1",
    "20200101",
    "2020/01/01",
    "01-01-2020",
    "2020-01-01T00:00",
    "+2020-01-01",
    "2020-02-30",
    "2019-02-29",
    "0000-00-00",
    "9999-99-99",
    "-1",
    "nan",
    "None",
    "null",
    "1e10",
    "２０２０",
    "2020-01-01 ",
    " 2020-01-01",
    "٢٠٢٠-٠١-٠١",
    "2020-01-01\x00",
    "x" * 100_000,
]


def hostile() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SPECIALS),
        st.text(),
        st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F)),
        st.text(alphabet="0123456789-:/ ;'\"$`|&<>\\\n", max_size=30),
        st.text(min_size=500, max_size=5000),
        st.builds(lambda a, b: f"{a}{b}", st.sampled_from(SPECIALS), st.text(max_size=20)),
        st.dates().map(lambda d: d.isoformat() + "x"),
    )


def _valid_inside(value: str) -> bool:
    try:
        d = date.fromisoformat(value)
    except (ValueError, TypeError):
        return False
    return len(value) == 10 and config.FIRST_DAY <= d <= LAST


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile())
def test_library_validation_one_line_error(value):
    try:
        parsed = parse_date(value, "start")
    except ParameterError as exc:
        msg = str(exc)
        assert "\n" not in msg and "\r" not in msg and msg.startswith("--start: ")
        assert len(msg) < 300
        assert msg.isprintable()
    else:
        assert isinstance(parsed, date) and len(value) == 10


@pytest.fixture
def no_execution(monkeypatch):
    """Any attempt to execute a notebook or print a PDF fails the test."""

    def forbidden(*args, **kwargs):
        raise AssertionError("a hostile parameter reached the execution stage")

    monkeypatch.setattr(report, "execute", forbidden)
    monkeypatch.setattr(report, "export_pdf", forbidden)
    monkeypatch.setattr(report, "prepare", _prepare_spy(report.prepare))


def _prepare_spy(real):
    def spy(*args, **kwargs):
        job = real(*args, **kwargs)
        raise AssertionError(f"a hostile parameter was accepted: {job.parameters}")

    return spy


@settings(
    max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=hostile(), which=st.sampled_from(["--start", "--end"]), equals=st.booleans())
def test_cli_hostile_input_exit_2_one_line(capsys, no_execution, tmp_path, value, which, equals):
    if _valid_inside(value):
        return  # a real date is not hostile
    argv = [f"{which}={value}"] if equals else [which, value]
    argv += ["--out", str(tmp_path / "out"), "--quiet"]
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # argparse: e.g. a value that looks like an option
        code = exc.code
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err
    assert len(err.strip("\n").split("\n")) == 1, err
    assert out == ""
    assert not (tmp_path / "out").exists()


def test_valid_dates_pass_and_defaults():
    s, e = resolve_range("2014-03-01", "2014-03-31")
    assert (s, e) == (date(2014, 3, 1), date(2014, 3, 31))
    s, e = resolve_range(None, None)
    assert s == date(1989, 5, 15) and e == LAST
    assert range_slug(s, e) == f"1989-05-15_{LAST:%Y-%m-%d}"


@pytest.mark.parametrize(
    ("start", "end", "name", "words"),
    [
        ("2020-13-01", None, "start", "not a real calendar date"),
        ("2020-01-01", "2019-12-31", "start", "after --end"),
        ("1980-01-01", "1985-01-01", "start", "outside the coverage"),
        ("2020-01-01", "2999-01-01", "end", "outside the coverage"),
    ],
)
def test_each_kind_of_bad_range(start, end, name, words):
    with pytest.raises(ParameterError) as info:
        resolve_range(start, end)
    assert info.value.name == name and words in str(info.value)
