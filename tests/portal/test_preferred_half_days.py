"""Issue 13: on the page where candidates say when they cannot come, they may also mark the
half-days they prefer; a half-day cannot be both (a clear message, nothing saved)."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from interviewdesk.core import dates
from interviewdesk.core.models import AuditEntry
from interviewdesk.portal.models import AvailabilityRequest
from interviewdesk.portal.planning_needs import candidate_planning_needs
from interviewdesk.procedures.availability import candidate_preferred_half_days, working_days
from interviewdesk.procedures.models import CandidatePreference, CandidateUnavailability
from tests.factories import CandidateFactory, staffed_procedure

from .conftest import log_in

pytestmark = pytest.mark.django_db


def long_date_nl(day: dt.date) -> str:
    with translation.override("nl"):
        return dates.long_date(day)
URL = "/portal/unavailability/"


@pytest.fixture
def s(db):
    first = timezone.localdate() + dt.timedelta(days=21)
    staff = staffed_procedure(first_interview_day=first, last_interview_day=first + dt.timedelta(days=11),
                              unavailability_deadline=first - dt.timedelta(days=7))
    staff.days = working_days(staff.procedure.planning_days())
    staff.candidate = CandidateFactory(procedure=staff.procedure)
    return staff


def test_the_candidate_marks_preferred_half_days_next_to_those_they_cannot_come(client, s):
    log_in(client, s.candidate)
    one, two = s.days[0], s.days[1]
    response = client.post(URL, {f"hd-{one}-am": "work", f"pref-hd-{one}-pm": "1", f"pref-hd-{two}-am": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("portal:unavailability")
    assert list(s.candidate.unavailability.values_list("date", "part")) == [(one, "am")]
    assert set(s.candidate.preferences.values_list("date", "part")) == {(one, "pm"), (two, "am")}
    assert candidate_preferred_half_days(procedure=s.procedure) == {s.candidate.pk: {(one, "pm"), (two, "am")}}
    assert candidate_planning_needs(procedure=s.procedure)[s.candidate.pk].preferred == {(one, "pm"), (two, "am")}
    page = client.get(URL).content.decode()
    assert f'id="pref-hd-{one}-pm" name="pref-hd-{one}-pm" value="1" checked' in page
    assert f'id="pref-hd-{one}-am" name="pref-hd-{one}-am" value="1">' in page  # not ticked
    entry = AuditEntry.objects.filter(action="candidate.unavailability").latest("id")
    assert entry.actor_label == "candidate" and "preferred" in entry.changes

    # Unticking removes the preference; the unavailable half-day stays as chosen.
    client.post(URL, {f"hd-{one}-am": "work", f"pref-hd-{two}-am": "1"})
    assert set(s.candidate.preferences.values_list("date", "part")) == {(two, "am")}


def test_a_half_day_both_unavailable_and_preferred_is_refused_with_a_clear_message_and_nothing_is_saved(client, s):
    log_in(client, s.candidate)
    one, two = s.days[0], s.days[1]
    CandidateUnavailability.objects.create(candidate=s.candidate, date=two, part="pm", reason="family")
    response = client.post(URL, {f"hd-{one}-am": "travel", f"pref-hd-{one}-am": "1", f"pref-hd-{two}-am": "1"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    # The candidate reads Dutch: the message names the half-day in their words.
    message = page.split("Een halve dag kan niet tegelijk een halve dag zijn waarop u niet kunt komen en een die u "
                         "verkiest: ")[1].split("</li>")[0]
    assert message.startswith(f"{long_date_nl(one)}, voormiddag.")
    # What they chose stays on the page to correct ...
    assert f'id="pref-hd-{one}-am" name="pref-hd-{one}-am" value="1" checked' in page
    assert '<option value="travel" selected>' in page
    # ... and nothing changed in the database.
    assert list(s.candidate.unavailability.values_list("date", "part")) == [(two, "pm")]
    assert not CandidatePreference.objects.exists()
    assert not AvailabilityRequest.objects.exists()


def test_a_preferred_half_day_outside_the_window_is_refused(client, s):
    log_in(client, s.candidate)
    from django.core.exceptions import ValidationError

    from interviewdesk.portal.services.unavailability import candidate_unavailability_set

    with pytest.raises(ValidationError):
        candidate_unavailability_set(candidate=s.candidate, answers={},
                                     preferred={(s.procedure.last_interview_day + dt.timedelta(days=7), "am")})
    assert not CandidatePreference.objects.exists()


def test_after_the_deadline_preferences_are_shown_but_cannot_change(client, s):
    day = s.days[0]
    CandidatePreference.objects.create(candidate=s.candidate, date=day, part="pm")
    s.procedure.unavailability_deadline = timezone.localdate() - dt.timedelta(days=1)
    s.procedure.save()
    log_in(client, s.candidate)
    client.post(URL, {f"pref-hd-{day}-am": "1"})
    assert list(s.candidate.preferences.values_list("date", "part")) == [(day, "pm")]
    page = client.get(URL).content.decode()
    assert f'id="pref-hd-{day}-pm" name="pref-hd-{day}-pm" value="1" checked disabled' in page


@pytest.mark.parametrize("language, words", [
    ("nl", "Ik verkies dit"), ("fr", "Je préfère"), ("de", "Bevorzugt")])
def test_the_preference_is_asked_in_the_candidates_language(client, s, language, words):
    s.candidate.language = language
    s.candidate.save()
    log_in(client, s.candidate)
    page = client.get(URL).content.decode()
    assert words in page and "I prefer this" not in page


def test_preferences_are_in_the_candidates_data_copy_and_go_with_an_erasure(s):
    from interviewdesk.privacy.export import candidate_export, export_json
    from interviewdesk.privacy.services.erasure import candidates_erase

    day = s.days[0]
    CandidatePreference.objects.create(candidate=s.candidate, date=day, part="pm")
    copy = export_json(candidate_export(s.candidate, for_officer=False))
    assert copy["preferences"] == [{"date": day.isoformat(), "part": "afternoon"}]
    candidates_erase(candidate_ids=[s.candidate.pk], cause="request")
    assert not CandidatePreference.objects.exists()
