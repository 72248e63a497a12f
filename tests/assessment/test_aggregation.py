from decimal import Decimal

import pytest

from interviewdesk.assessment.aggregation import final_percentage, passes
from interviewdesk.assessment.models import AssessmentSettings
from interviewdesk.procedures.models import RatingScale, ScaleLevel

pytestmark = pytest.mark.django_db
A = AssessmentSettings.Aggregation


def six():
    return {lv.order: lv for lv in ScaleLevel.objects.filter(scale__name="six-level")}


def four_level_scale():
    scale = RatingScale.objects.create(name="four-level")
    bands = [(1, 0, 24), (2, 25, 49), (3, 50, 74), (4, 75, 100)]
    return {o: ScaleLevel.objects.create(scale=scale, order=o, label={"en": str(o)}, min_pct=lo, max_pct=hi)
            for o, lo, hi in bands}


def test_default_is_the_mean_of_band_midpoints_with_equal_weights():
    lv = six()
    # rather good 63, good 84.5, very good 96.5 -> 244 / 3
    assert final_percentage([(lv[4], 1), (lv[5], 1), (lv[6], 1)], list(lv.values()), A.MIDPOINT_MEAN) == Decimal("81.33")


def test_weights_from_the_profile_shift_the_mean():
    lv = six()
    # (63 * 3 + 14.5 * 1) / 4 = 50.875
    assert final_percentage([(lv[4], Decimal(3)), (lv[2], Decimal(1))], list(lv.values()), A.MIDPOINT_MEAN) == Decimal("50.88")


def test_lower_bound_and_linear_aggregations():
    lv = six()
    pairs = [(lv[4], 1), (lv[6], 1)]
    assert final_percentage(pairs, list(lv.values()), A.LOWER_BOUND_MEAN) == Decimal("71.50")
    # level 4 of 1..6 -> 60 %, level 6 -> 100 %
    assert final_percentage(pairs, list(lv.values()), A.LINEAR_MEAN) == Decimal("80.00")


def test_another_scale_uses_its_own_bands():
    lv = four_level_scale()
    pairs = [(lv[3], 1), (lv[4], 2)]
    # (62 + 87.5 * 2) / 3 = 79
    assert final_percentage(pairs, list(lv.values()), A.MIDPOINT_MEAN) == Decimal("79.00")
    # (66.67 + 100 * 2) / 3
    assert final_percentage(pairs, list(lv.values()), A.LINEAR_MEAN) == Decimal("88.89")


def test_the_pass_mark_itself_passes():
    assert passes(Decimal("60.00"), Decimal("60")) is True
    assert passes(Decimal("59.99"), Decimal("60")) is False


def test_no_levels_is_an_error():
    with pytest.raises(ValueError, match="no levels"):
        final_percentage([], [], A.MIDPOINT_MEAN)
