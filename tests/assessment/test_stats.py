import pytest

from interviewdesk.assessment import stats
from interviewdesk.assessment.statistics import rater_agreement

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def test_mean_squares_match_the_shrout_fleiss_worked_example():
    ms = stats.mean_squares(SHROUT_FLEISS)
    assert (ms.n, ms.k) == (6, 4)
    assert (round(ms.bms, 2), round(ms.wms, 2), round(ms.jms, 2), round(ms.ems, 2)) == (11.24, 6.26, 32.49, 1.02)


def test_all_six_icc_values_match_the_published_worked_example():
    values = {name: round(v, 2) for name, v in stats.icc(SHROUT_FLEISS).items()}
    assert values == {"ICC(1,1)": 0.17, "ICC(2,1)": 0.29, "ICC(3,1)": 0.71,
                      "ICC(1,k)": 0.44, "ICC(2,k)": 0.62, "ICC(3,k)": 0.91}


def test_perfect_agreement_gives_one_and_no_variance_gives_none():
    assert stats.icc([[1, 1], [3, 3], [5, 5]])["ICC(2,1)"] == 1.0
    assert stats.icc([[4, 4], [4, 4]])["ICC(1,1)"] is None


def test_an_incomplete_table_is_refused():
    with pytest.raises(ValueError, match="same number"):
        stats.mean_squares([[1, 2], [3]])
    with pytest.raises(ValueError, match="two targets"):
        stats.mean_squares([[1, 2]])


def test_one_panel_for_every_target_uses_the_two_way_coefficients():
    targets = {i: dict(zip((10, 11, 12, 13), row, strict=True)) for i, row in enumerate(SHROUT_FLEISS)}
    row = rater_agreement(targets, "all")
    assert [(name, round(v, 2)) for name, v in row["values"]] == [("ICC(2,1)", 0.29), ("ICC(2,4)", 0.62)]
    assert (row["n"], row["k"], row["excluded"]) == (6, 4, 0)


def test_panels_that_differ_use_the_one_way_coefficients_and_leave_out_other_panel_sizes():
    targets = {i: dict(zip((10 + i, 20 + i, 30 + i, 40 + i), row, strict=True)) for i, row in enumerate(SHROUT_FLEISS)}
    targets["odd"] = {1: 3, 2: 4}
    row = rater_agreement(targets, "all")
    assert [(name, round(v, 2)) for name, v in row["values"]] == [("ICC(1,1)", 0.17), ("ICC(1,4)", 0.44)]
    assert row["excluded"] == 1


def test_four_fifths_ratio_compares_each_group_with_the_best_rate():
    assert stats.four_fifths({"nl": 0.5, "fr": 0.35}) == {"nl": 1.0, "fr": pytest.approx(0.7)}
    assert stats.four_fifths({"nl": 0.0}) == {"nl": None}


def test_histogram_counts_per_ten_percent_band_with_100_in_the_last():
    bands = stats.histogram([0, 9.99, 10, 55, 100])
    assert bands[0] == (0.0, 10.0, 2)
    assert bands[1] == (10.0, 20.0, 1)
    assert bands[5] == (50.0, 60.0, 1)
    assert bands[9] == (90.0, 100.0, 1)
    assert len(bands) == 10
