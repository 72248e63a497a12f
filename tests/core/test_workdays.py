import datetime as dt

import pytest

from interviewdesk.core.models import ClosureDay
from interviewdesk.core.workdays import is_working_day, working_days_before

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.mark.parametrize(
    ("interview", "expected", "why"),
    [
        (D(2026, 11, 25), D(2026, 11, 23), "plain Wednesday → Monday"),
        (D(2026, 11, 30), D(2026, 11, 26), "Monday → Thursday, weekend skipped"),
        (D(2026, 4, 7), D(2026, 4, 2), "Tuesday after Easter Monday (6 April 2026) → Thursday"),
        (D(2026, 5, 15), D(2026, 5, 12), "Friday after Ascension (14 May 2026) → Tuesday"),
        (D(2026, 5, 26), D(2026, 5, 21), "Tuesday after Whit Monday (25 May 2026) → Thursday"),
        (D(2026, 7, 22), D(2026, 7, 17), "Wednesday after 21 July (Tuesday) → Friday before"),
        (D(2026, 11, 4), D(2026, 10, 30), "1 Nov Sunday, 2 Nov federal day → Friday 30 Oct"),
        (D(2026, 11, 12), D(2026, 11, 9), "Thursday after 11 November → Monday"),
        (D(2027, 11, 16), D(2027, 11, 10), "15 Nov 2027 Monday federal day, 11 Nov Thursday → 10 Nov"),
        (D(2027, 1, 4), D(2026, 12, 30), "early January: 1 Jan and 26 Dec skipped, across years"),
    ],
)
def test_working_days_before_skips_weekends_holidays_and_federal_days(interview, expected, why):
    assert working_days_before(interview, 2) == expected, why


def test_bridge_day_added_by_an_administrator_is_not_a_working_day():
    interview = D(2026, 5, 19)  # Tuesday
    assert working_days_before(interview, 2) == D(2026, 5, 15)
    ClosureDay.objects.create(date=D(2026, 5, 15), kind=ClosureDay.Kind.BRIDGE, name="Bridge after Ascension")
    assert working_days_before(interview, 2) == D(2026, 5, 13)


def test_is_working_day_knows_christmas_and_weekends():
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 26))  # Saturday and a federal day
    assert not is_working_day(D(2026, 11, 28))  # Saturday
    assert is_working_day(D(2026, 11, 27))


def test_working_days_before_refuses_zero():
    with pytest.raises(ValueError):
        working_days_before(D(2026, 1, 5), 0)
