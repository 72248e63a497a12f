"""A stopped or missed live session is never scored; after a new appointment only the new attempt is."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviewdesk.assessment import selectors, services
from interviewdesk.assessment.models import ScoreSheet
from interviewdesk.live import services as live
from interviewdesk.live.models import State
from interviewdesk.scheduling.models import Appointment
from tests.assessment.conftest import sign_off, submit_sheet
from tests.factories import with_profile
from tests.live.conftest import bring_to, make_setup

pytestmark = pytest.mark.django_db

STOPPED = "This interview's session was stopped: it is not scored."


@pytest.fixture
def s():
    setup = make_setup()
    with_profile(setup.procedure)
    jury = setup.appointment.jury
    setup.panel = [jury.chair, *[m.user for m in jury.members.filter(role="assessor").order_by("id")]]
    return setup


def urls(s):
    kwargs = {"pk": s.procedure.pk, "appointment_id": s.appointment.pk}
    return {name: reverse(f"assessment:{name}", kwargs=kwargs) for name in ("sheet", "sheet_autosave", "sheet_submit",
                                                                           "consensus", "sign_off")}


def stop_during_part_1(s):
    session = bring_to(s, State.PART_1)
    chair, first, _second = s.panel
    sheet = services.sheet_open(appointment=s.appointment, member=first)
    services.sheet_save(sheet=sheet, actor=first, part1_notes="Notes from the stopped attempt", ratings={})
    submit_sheet(s.appointment, chair, [3, 3])  # a hasty chair submitted before the stop
    live.session_stop(actor=s.proctor, session=session, reason="Third person in the room")
    s.appointment.refresh_from_db()
    return sheet


def test_no_sheet_opens_and_no_consensus_starts_for_a_stopped_session(s):
    stop_during_part_1(s)
    assert s.appointment.status == Appointment.Status.STOPPED
    for user in s.panel:
        with pytest.raises(ValidationError, match=STOPPED):
            services.sheet_open(appointment=s.appointment, member=user)
    with pytest.raises(ValidationError, match=STOPPED):
        services.result_open(appointment=s.appointment, actor=s.panel[0])


def test_a_draft_of_the_stopped_session_can_no_longer_be_saved_or_submitted(s):
    sheet = stop_during_part_1(s)
    first = s.panel[1]
    with pytest.raises(ValidationError, match=STOPPED):
        services.sheet_save(sheet=sheet, actor=first, part1_notes="more", ratings={})
    with pytest.raises(ValidationError, match=STOPPED):
        services.sheet_submit(sheet=sheet, actor=first)


def test_the_scoring_pages_say_why_they_are_refused(client, s):
    stop_during_part_1(s)
    pages = urls(s)
    client.force_login(s.panel[1])
    response = client.get(pages["sheet"])
    assert response.status_code == 409
    assert STOPPED in html.unescape(response.content.decode())
    autosave = client.post(pages["sheet_autosave"], {})
    assert (autosave.status_code, autosave.json()["error"].startswith(STOPPED)) == (409, True)
    assert client.post(pages["sheet_submit"], {}).status_code == 409
    client.force_login(s.panel[0])
    assert client.get(pages["consensus"]).status_code == 409
    assert client.post(pages["sign_off"], {}).status_code == 409


def test_a_missed_interview_is_refused_too(s):
    session = s.session
    live.session_mark_no_show(actor=s.proctor, session=_late(s, session))
    with pytest.raises(ValidationError, match="A cancelled or missed interview is not scored"):
        services.sheet_open(appointment=s.appointment, member=s.panel[1])


def _late(s, session):
    """Move the start back so that the candidate may be marked absent now."""
    start = s.appointment.starts_at - dt.timedelta(hours=1)
    Appointment.objects.filter(pk=s.appointment.pk).update(starts_at=start, ends_at=start + dt.timedelta(hours=1))
    s.appointment.refresh_from_db()
    session.refresh_from_db()
    return session


def run_again(s, *, close: bool = False):
    """The new attempt, through the real services (the jury's declarations stand from the first one)."""
    session = s.session
    live.session_checkin(actor=s.proctor, session=session)
    live.session_identity_record(actor=s.proctor, session=session, document_type="belgian_eid", result="match")
    live.session_rules_confirm(actor=s.proctor, session=session, rules_reminded=True, camera_microphone_on=True)
    live.session_part_1_start(actor=s.panel[0], session=session)
    live.session_part_2_start(actor=s.panel[0], session=session)
    if close:
        live.session_close(actor=s.panel[0], session=session)
    session.refresh_from_db()
    return session


def test_after_a_new_appointment_only_the_new_attempt_is_scored(s):
    old_sheet = stop_during_part_1(s)
    new_start = s.appointment.starts_at + dt.timedelta(days=1)
    live.session_reschedule(actor=s.officer, session=s.session, starts_at=new_start)
    s.appointment.refresh_from_db()
    assert (s.appointment.status, s.session.attempt, s.session.state) == (Appointment.Status.PLANNED, 2,
                                                                           State.SCHEDULED)
    # Until the new session begins, the last attempt that ran is the stopped one.
    with pytest.raises(ValidationError, match=STOPPED):
        services.sheet_open(appointment=s.appointment, member=s.panel[1])

    assert run_again(s).state == State.PART_2
    chair, first, second = s.panel
    fresh = services.sheet_open(appointment=s.appointment, member=first)
    assert (fresh.pk != old_sheet.pk, fresh.attempt, fresh.part1_notes) == (True, 2, "")
    # The chair's sheet submitted in the stopped attempt does not count for the new one.
    assert services.all_sheets_submitted(s.appointment) is False
    for user, levels in ((first, [4, 4]), (second, [4, 3])):
        submit_sheet(s.appointment, user, levels)
    assert services.all_sheets_submitted(s.appointment) is False
    submit_sheet(s.appointment, chair, [4, 4])
    assert services.all_sheets_submitted(s.appointment) is True
    assert sorted(selectors.submitted_sheets(s.appointment).values_list("attempt", flat=True)) == [2, 2, 2]
    result = sign_off(s.appointment, chair, [4, 4])
    assert result.status == "signed_off"
    assert [sorted(lv.order for _m, lv, _r in row["levels"]) for row in selectors.comparison(s.appointment)] == [
        [4, 4, 4], [3, 4, 4]]
    old_sheet.refresh_from_db()
    assert (old_sheet.attempt, old_sheet.part1_notes) == (1, "Notes from the stopped attempt")
    assert ScoreSheet.objects.filter(appointment=s.appointment).count() == 5  # two old (kept as history), three new


def test_the_new_attempt_scoring_pages_work(client, s):
    stop_during_part_1(s)
    live.session_reschedule(actor=s.officer, session=s.session, starts_at=s.appointment.starts_at + dt.timedelta(days=1))
    run_again(s, close=True)
    client.force_login(s.panel[1])
    response = client.get(urls(s)["sheet"])
    assert response.status_code == 200
    assert "Notes from the stopped attempt" not in response.content.decode()
