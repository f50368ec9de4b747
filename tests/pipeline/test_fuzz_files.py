"""Fuzzing the files a user hands the build: sidecars and claims files (issue 16).

Whatever the content, reading it gives the parsed document or a :class:`DataError` whose message
is one line naming the file; never another exception, never a traceback.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import config, sidecars
from analysis.model import claims_file
from analysis.sidecars import DataError

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)

REAL_CLAIMS = yaml.safe_load((config.DATA_DIR / "claims.yaml").read_text(encoding="utf-8"))
REAL_META = yaml.safe_load((config.DATA_DIR / "trade.meta.yaml").read_text(encoding="utf-8"))


def _paths(doc) -> list[tuple]:
    """Every path (tuple of keys/indices) into a nested document."""
    out = [()]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += [(k, *p) for p in _paths(v)]
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += [(i, *p) for p in _paths(v)]
    return out


def _mutate(doc, path: tuple, value, delete: bool):
    doc = copy.deepcopy(doc)
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


@st.composite
def mutated(draw, base):
    paths = _paths(base)
    path = draw(st.sampled_from(paths))
    return _mutate(base, path, draw(values), delete=bool(path) and draw(st.booleans()))


def _text(doc) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")


documents = st.one_of(
    st.binary(max_size=200),
    values.map(_text),
    mutated(REAL_CLAIMS).map(_text),
)


def _one_line(err: DataError, name: str) -> None:
    msg = str(err)
    assert "\n" not in msg and name in msg and "Traceback" not in msg


@SETTINGS
@given(raw=st.one_of(st.binary(max_size=200), values.map(_text), mutated(REAL_CLAIMS).map(_text)))
def test_claims_file_fuzz(tmp_path, raw):
    path = tmp_path / "claims.yaml"
    path.write_bytes(raw)
    try:
        doc = claims_file.load_claims(path)
    except DataError as err:
        _one_line(err, "claims.yaml")
    else:
        assert isinstance(doc, dict) and doc["claims"]


@SETTINGS
@given(raw=st.one_of(st.binary(max_size=200), values.map(_text), mutated(REAL_META).map(_text)))
def test_sidecar_fuzz(tmp_path, raw):
    """A fuzzed sidecar is refused in one line, or, if accepted, validating the CSV against it
    gives a frame or a DataError."""
    from analysis.data import loader

    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "trade.meta.yaml").write_bytes(raw)
    (data / "trade.csv").write_bytes((config.DATA_DIR / "trade.csv").read_bytes())
    sidecars._read_yaml.cache_clear()
    try:
        sidecars.read_meta("trade", data)
        loader._validate(data / "trade.csv", "trade")
    except DataError as err:
        _one_line(err, "trade")


def test_known_tests_are_the_claims_tests():
    from analysis.model.claims import TESTS

    assert set(claims_file.KNOWN_TESTS) == set(TESTS)


def test_the_bundled_claims_file_passes():
    assert claims_file.load_claims(config.DATA_DIR / "claims.yaml")["claims"]


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda d: d["claims"][0].pop("stated"), "claim 'vetoes_118' has no 'stated' field"),
        (lambda d: d["claims"][1].update(test="nope"), "field 'test': unknown test 'nope'"),
        (lambda d: d["claims"][0].update(id=None), "claim 1 has no 'id' field"),
        (lambda d: d["claims"][2].update(params=[1]), "field 'params' must be a mapping"),
        (
            lambda d: next(iter(d["sources"].values())).update(url="javascript:alert(1)"),
            "field 'url'",
        ),
        (lambda d: d["claims"][0].update(colour="red"), "unknown field 'colour'"),
    ],
    ids=["missing field", "unknown test", "no id: by index", "params", "url scheme", "extra"],
)
def test_claims_errors_name_file_claim_and_field(tmp_path, edit, says):
    doc = copy.deepcopy(REAL_CLAIMS)
    edit(doc)
    path: Path = tmp_path / "mine.yaml"
    path.write_bytes(_text(doc))
    with pytest.raises(DataError) as info:
        claims_file.load_claims(path)
    assert "mine.yaml" in str(info.value) and says in str(info.value)
