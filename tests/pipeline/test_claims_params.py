"""Claims files checked before anything runs (issue 25): each claims test declares its
parameters (analysis/model/claims_params.py, no pandas); a wrong parameter is one line naming the
file, the claim and the parameter, exit code 2, before any kernel starts; ``briefing claims
--tests`` and the README's table list every test with its parameters."""

from __future__ import annotations

import inspect
import re

import pytest
import yaml

from analysis import config
from analysis.model import claims_params
from analysis.pipeline import cli

VALID = {
    "sources": {
        "art": {
            "publisher": "P",
            "title": "T",
            "url": "https://example.org/a",
            "date": "2024-01-01",
        }
    },
    "claims": [
        {
            "id": "c1",
            "source": "art",
            "text": "exports doubled",
            "test": "trade_growth",
            "params": {"flow": "total", "base_year": 2021, "year": 2023},
            "stated": 0.5,
        }
    ],
}

#: (test, params, the parameter named, what the line says)
CASES = [
    ("trade_growth", {"from": 2021, "year": 2023, "flow": "total"}, "from", "unknown for test"),
    ("trade_growth", {"base_year": 2021, "year": 2023}, "flow", "is missing"),
    ("trade_growth", {"flow": "total", "base_year": "2021", "year": 2023}, "base_year", "not a"),
    ("trade_growth", {"flow": "total", "base_year": 1900, "year": 2023}, "base_year", "trade.csv"),
    ("trade_growth", {"flow": "total", "base_year": 2023, "year": 2021}, "base_year", "is after"),
    ("trade_growth", {"flow": "exports", "base_year": 2021, "year": 2023}, "flow", "unknown code"),
    ("veto_count", {"members": ["CHN", "XXX"]}, "members", "unknown code 'XXX'"),
    ("veto_count", {"members": "CHN"}, "members", "not a list"),
    ("veto_count", {"members": ["CHN"], "start": "2023-02-30"}, "start", "not a date"),
    (
        "veto_count",
        {"members": ["CHN"], "start": "2023-03-01", "end": "2023-02-01"},
        "start",
        "is after 'end'",
    ),
    ("unga_vote", {"symbol": "A/RES/68/262", "member": "UKR"}, "member", "unknown code"),
    ("posture_count", {"cameo": 111}, "cameo", "CAMEO code in quotes"),
    ("posture_count", {"actor1": "Russia"}, "actor1", "unknown code"),
    ("first_event_year", {"pattern": "Xi ("}, "pattern", "regular expression"),
    ("first_event_year", {"description": "Xi", "pattern": "Xi"}, "description", "exactly one"),
    ("first_event_year", {"categories": ["state_visit"]}, "description", "exactly one"),
    ("first_event_year", {"description": "Xi", "categories": ["visit"]}, "categories", "unknown"),
    ("us_dyads_trend", {"start": "2012-01-01", "end": "2020-01-01", "dyads": ["CHN-FRA"]}, "dyads", "dyad"),
    ("years_between_designations", {"first": {"kind": "x"}, "second": {}}, "first", "mapping"),
    ("designation_year", {"change": "downgrade"}, "change", "unknown code"),
    ("arms_deliveries", {"supplier": "RUS", "recipient": "CHN", "start_year": 2020}, "end_year", "missing"),
    ("organisation_members", {"organisation": "NATO"}, "organisation", "unknown code"),
    ("not_in_data", {}, "needs", "is missing"),
]  # fmt: skip


def _write(tmp_path, test, params):
    doc = yaml.safe_load(yaml.safe_dump(VALID))
    doc["claims"][0].update(test=test, params=params)
    path = tmp_path / "my-article.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("test", "params", "name", "says"), CASES)
def test_each_wrong_parameter_is_one_line_naming_file_claim_parameter_exit_2(
    capsys, tmp_path, stand_ins, test, params, name, says
):
    path = _write(tmp_path, test, params)
    out = tmp_path / "out"
    code = cli.main(["--claims", str(path), "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert "my-article.yaml" in line and "claim 'c1'" in line, line
    assert f"parameter '{name}'" in line and says in line, line
    assert not out.exists() and not stand_ins.get("kernel started")


def test_the_same_file_passes_with_right_parameters(tmp_path):
    from analysis.model.claims_file import load_claims

    assert load_claims(_write(tmp_path, "trade_growth", VALID["claims"][0]["params"]))["claims"]


@pytest.mark.parametrize("name", config.DEFAULT_CLAIMS_FILES)
def test_the_bundled_claims_files_pass(name):
    from analysis.model.claims_file import load_claims

    assert load_claims(config.DATA_DIR / name, config.DATA_DIR)["claims"]


def test_declarations_match_the_functions_of_the_claims_tests():
    from analysis.model.claims import TESTS

    assert set(claims_params.KNOWN_TESTS) == set(TESTS)
    for name, fn in TESTS.items():
        sig = inspect.signature(fn).parameters
        spec = claims_params.BY_NAME[name]
        kwargs = [p for p in sig.values() if p.name != "ds"]
        if any(p.kind is p.VAR_KEYWORD for p in kwargs):  # **spec: the declaration is the list
            continue
        assert [p.name for p in spec.params] == [p.name for p in kwargs], name
        for p in spec.params:
            assert p.required == (sig[p.name].default is inspect.Parameter.empty), (name, p.name)
        assert all(p.kind in claims_params.KINDS for p in spec.params)


def test_readme_table_is_generated_from_the_declarations():
    readme = (config.PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    found = re.search(
        r"<!-- claims-tests:start -->\n(.*?)\n<!-- claims-tests:end -->", readme, re.S
    )
    assert found, "README has no claims-tests table"
    assert found.group(1) == claims_params.markdown_table()


def test_briefing_claims_lists_every_test_with_its_parameters(capsys):
    assert cli.main(["claims", "--tests"]) == 0
    out = capsys.readouterr().out
    for spec in claims_params.SPECS:
        assert re.search(rf"^{spec.name}: ", out, re.M), spec.name
        for p in spec.params:
            assert f"    {p.name} (" in out
    assert "CHN, FRA, GBR, RUS, SUN, USA" in out  # the veto list's codes, from its sidecar


def test_briefing_claims_checks_a_file_without_building(capsys, tmp_path):
    good = _write(tmp_path, "trade_growth", VALID["claims"][0]["params"])
    assert cli.main(["claims", str(good)]) == 0
    assert "1 claim," in capsys.readouterr().out
    bad = _write(tmp_path, "trade_growth", {"from": 1})
    assert cli.main(["claims", str(bad)]) == 2
    assert "parameter 'from'" in capsys.readouterr().err


def test_the_parent_checks_parameters_without_pandas():
    from tests.pipeline.test_parent_imports import _probe

    assert _probe("import analysis.model.claims_params")["heavy"] == []


@pytest.mark.parametrize(
    ("compare", "stated"),
    [("less_than", float("nan")), ("at_most", float("-inf")), ("equal", "inf")],
)
def test_a_meaningless_stated_value_is_one_line_and_exit_2(
    capsys, tmp_path, stand_ins, compare, stated
):
    """Issue 27, case 10: "less than nan" was printed, and a stated -inf was "supported"."""
    doc = yaml.safe_load(yaml.safe_dump(VALID))
    doc["claims"][0].update(compare=compare, stated=stated)
    path = tmp_path / "my-article.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    assert cli.main(["claims", str(path)]) == 2
    out = tmp_path / "out"
    assert cli.main(["--claims", str(path), "--out", str(out), "--quiet"]) == 2
    for line in capsys.readouterr().err.strip().splitlines():
        assert "my-article.yaml" in line and "claim 'c1'" in line, line
        assert "field 'stated'" in line and "not a value a claim can state" in line, line
    assert not out.exists() and not stand_ins.get("kernel started")
