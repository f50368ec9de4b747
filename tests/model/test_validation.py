"""Validation against ICEWS and GDELT: hand-computed tiny frames, and the shared files."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.data.external.reference import (
    ReferenceError,
    load_gdelt_monthly,
    load_icews,
    reference_dir,
)
from analysis.model.validation import (
    _consecutive_diff,
    gdelt_yearly,
    icews_net_cooperation,
    main,
    rank_correlation,
    validation_table,
)


def _icews_rows():
    cols = ["year", "source_iso3", "target_iso3", "verbCoop", "matlCoop", "verbConf", "matlConf"]
    return pd.DataFrame(
        [
            (2002, "CHN", "RUS", 6, 2, 1, 1),
            (2002, "RUS", "CHN", 1, 1, 0, 0),  # pooled: coop 10, conf 2 -> 8/12
            (2003, "CHN", "RUS", 1, 0, 1, 0),  # coop 1, conf 1 -> 0
            (2003, "CHN", "USA", 9, 9, 0, 0),  # another dyad: ignored
        ],
        columns=cols,
    )


def test_icews_share_pools_both_directions_and_ignores_other_dyads():
    share = icews_net_cooperation(_icews_rows())
    assert share.to_dict() == pytest.approx({2002: 8 / 12, 2003: 0.0})


def test_gdelt_year_is_day_weighted_and_needs_twelve_full_months():
    months = pd.period_range("2018-01", "2019-12", freq="M")
    frame = pd.DataFrame({"month": months, "n_days": 30, "mean_chn_rus": 1.0})
    frame.loc[0, ["n_days", "mean_chn_rus"]] = [10, 4.0]  # a thin January 2018: year dropped
    frame.loc[12, ["n_days", "mean_chn_rus"]] = [20, 4.0]  # January 2019: 20 days at 4.0
    yearly = gdelt_yearly(frame)
    assert list(yearly.index) == [2019]
    assert yearly[2019] == pytest.approx((20 * 4 + 11 * 30 * 1) / (20 + 330))


def test_gdelt_unknown_pair_is_a_clear_error():
    frame = pd.DataFrame({"month": pd.period_range("2018-01", periods=1, freq="M"), "n_days": [1]})
    with pytest.raises(ValueError, match="chn_rus, chn_usa, rus_usa"):
        gdelt_yearly(frame, "chn_ind")


def test_rank_correlation_monotone_reversed_and_too_short():
    x = pd.Series([1.0, 2, 3, 4, 5], index=range(2000, 2005))
    assert rank_correlation(x, x**3).rho == pytest.approx(1.0)
    assert rank_correlation(x, -x).rho == pytest.approx(-1.0)
    short = rank_correlation(x.iloc[:3], x.iloc[:3])
    assert math.isnan(short.rho) and short.n == 3


def test_first_differences_do_not_bridge_a_gap():
    s = pd.Series([1.0, 3.0, 10.0, 11.0], index=[2000, 2001, 2005, 2006])
    assert _consecutive_diff(s).to_dict() == {2001: 2.0, 2006: 1.0}


def test_validation_table_without_references_is_empty(measure):
    assert validation_table(measure, None, None).empty


def test_corrupt_reference_file_is_a_clear_error(tmp_path):
    from analysis.data.external.reference import ICEWS_FILE

    (tmp_path / ICEWS_FILE).write_text("year,foo\n2002,1\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="missing column"):
        load_icews(tmp_path)
    assert load_gdelt_monthly(tmp_path) is None  # absent: no error


@pytest.fixture(scope="module")
def measure():
    from analysis.data.loader import load_all
    from analysis.model.composite import measure_dyads

    return measure_dyads(load_all())


needs_shared = pytest.mark.skipif(
    load_icews() is None or load_gdelt_monthly() is None,
    reason=f"the ICEWS/GDELT reference series are not in {reference_dir()} (../shared)",
)


@needs_shared
def test_validation_on_the_shared_series_for_each_dyad(measure):
    table = validation_table(measure, load_icews(), load_gdelt_monthly())
    by = {(r.reference.split()[0], r.dyad): r for r in table.itertuples()}
    assert len(by) == 6
    # ICEWS covers 2002–2014 (13 years, 12 changes); GDELT's full years are 2018–2023.
    for d in ("CHN-RUS", "CHN-USA", "RUS-USA"):
        assert by[("ICEWS", d)].levels_n == 13 and by[("ICEWS", d)].diffs_n == 12
        assert by[("GDELT", d)].levels_n == 6
    assert all(-1 <= r.levels_rho <= 1 and -1 <= r.diffs_rho <= 1 for r in table.itertuples())


@needs_shared
def test_make_validate_prints_the_table(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "ICEWS net-cooperation share" in out and "GDELT mean daily edge" in out
    assert "Episodes: the index agrees with" in out and "Largest single component" in out


def test_an_episode_whose_years_run_backwards_is_refused_with_its_row(tmp_path):
    import shutil

    from analysis import config
    from analysis.data.loader import DataError, load_all
    from analysis.model.validation import check_episodes

    shutil.copytree(config.DATA_DIR, tmp_path / "data")
    path = tmp_path / "data" / "episodes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head, first = lines[0].split(","), lines[1]
    cells = pd.read_csv(path, dtype=str, keep_default_na=False).iloc[0]
    fy, ty = head.index("from_year"), head.index("to_year")
    swapped = first.replace(
        f",{cells['from_year']},{cells['to_year']},",
        f",{cells['to_year']},{cells['from_year']},",
        1,
    )
    assert swapped != first and fy + 1 == ty
    path.write_text("\n".join([lines[0], swapped, *lines[2:]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"episodes\.csv.*row 1.*to_year"):
        check_episodes(load_all(tmp_path / "data"))


def test_the_gdelt_daily_table_enters_the_validation_as_a_coverage_free_balance():
    """A dyad's yearly balance of cooperative over conflictual events from the daily table: more
    coverage (more events of both kinds) leaves it unchanged, and it is a row of the table."""
    import numpy as np

    from analysis.model.validation import _validation_table, gdelt_balance_yearly

    def daily(scale: int) -> pd.DataFrame:
        rows = []
        for year, coop in zip(range(2015, 2021), (5, 6, 7, 8, 9, 10), strict=True):
            rows.append({"date": f"{year}-06-01", "dyad": "CHN-RUS", "events": 15 * scale,
                         "cooperative": coop * scale, "conflictual": 5 * scale,
                         "total_events": 1000 * scale})  # fmt: skip
        return pd.DataFrame(rows)

    one, ten = gdelt_balance_yearly(daily(1), "CHN-RUS"), gdelt_balance_yearly(daily(10), "CHN-RUS")
    assert one.index.tolist() == list(range(2015, 2021))
    assert one[2015] == 0.0 and one[2020] == pytest.approx(5 / 15)
    pd.testing.assert_series_equal(one, ten)
    index = pd.DataFrame(
        {
            d: pd.Series(np.arange(6.0), index=range(2015, 2021))
            for d in ("CHN-RUS", "CHN-USA", "RUS-USA")
        }
    )
    table = _validation_table(index, None, None, daily(1))
    row = table[(table["reference"] == "GDELT event balance") & (table["dyad"] == "CHN-RUS")]
    assert row["levels_rho"].iloc[0] == pytest.approx(1.0) and row["levels_n"].iloc[0] == 6
