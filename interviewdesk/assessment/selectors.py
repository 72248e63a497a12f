"""Read queries of the assessment, with independence built in.

Independence rule: a jury member who has not submitted their own sheet for an interview's
**current live attempt** sees nothing of anybody else's scoring of that interview — no sheet,
no level, no aggregate, no result. A sheet submitted in a stopped attempt opens nothing of the
next one. Every page and download reads through these functions, which leave such interviews
out (`blinded_ids`, the one place that decides) before anything is counted or ordered, and
count only sheets of each interview's current attempt.
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery, Window
from django.db.models.functions import Rank

from interviewdesk.procedures.models import JuryMember, Procedure
from interviewdesk.procedures.permissions import can
from interviewdesk.scheduling.models import Appointment

from .attempts import (
    current_attempt,
    current_attempt_expression,
    submitted_in_current_attempt,
    with_current_attempt,
)
from .models import AssessmentSettings, Result, ResultLevel, ScoreSheet, SheetRating

INTERVIEW_ORDERINGS = {"time": ("starts_at", "id"), "-time": ("-starts_at", "-id"),
                       "candidate": ("candidate__last_name", "candidate__first_name", "id")}


def aggregation_of(procedure: Procedure) -> str:
    row = AssessmentSettings.objects.filter(procedure=procedure).first()
    return row.aggregation if row else AssessmentSettings.Aggregation.MIDPOINT_MEAN


def blinded_ids(user, procedure: Procedure) -> set[int]:
    """Interviews of the procedure where `user` sits on the jury and has not submitted for the current attempt."""
    seated = Appointment.objects.filter(procedure=procedure, kind=Appointment.Kind.INTERVIEW,
                                        jury__members__user=user)
    return set(with_current_attempt(seated).annotate(own_submitted=submitted_in_current_attempt(user))
               .filter(own_submitted=False).values_list("pk", flat=True))


def may_see_all_sheets(user, appointment: Appointment) -> bool:
    """Other members' sheets: the jury after their own submission, the officer unless blinded."""
    if appointment.pk in blinded_ids(user, appointment.procedure):
        return False
    if appointment.jury_id is not None and JuryMember.objects.filter(jury_id=appointment.jury_id, user=user).exists():
        return True
    return can(user, "assessment.manage", appointment.procedure_id)


def interviews(procedure: Procedure, user, order: str = "time") -> QuerySet[Appointment]:
    """Interviews the user deals with: all for the officer, their own jury's for a jury member.

    Ordering is taken only from a fixed list: never by a level or a score.
    """
    qs = Appointment.objects.filter(procedure=procedure, kind=Appointment.Kind.INTERVIEW)
    if not can(user, "assessment.manage", procedure):
        qs = qs.filter(jury__members__user=user)
    own = ScoreSheet.objects.filter(member=user).order_by("-attempt")  # the latest attempt first
    seat = JuryMember.objects.filter(jury_id=OuterRef("jury_id"), user=user).values("role")[:1]
    return (
        qs.annotate(seat_role=Subquery(seat))
        .select_related("candidate", "jury", "assessment_result")
        .prefetch_related(Prefetch("score_sheets", queryset=own, to_attr="own_sheets"))
        .order_by(*INTERVIEW_ORDERINGS.get(order, INTERVIEW_ORDERINGS["time"]))
        .distinct()
    )


def sheet_detail(sheet: ScoreSheet) -> ScoreSheet:
    return (
        ScoreSheet.objects.select_related("guide", "appointment__candidate", "appointment__procedure__scale", "member")
        .prefetch_related(Prefetch("ratings", queryset=SheetRating.objects.select_related(
            "guide_competency__competency", "level")), "ratings__guide_competency__competency__dimensions__indicators")
        .get(pk=sheet.pk)
    )


def submitted_sheets(appointment: Appointment) -> QuerySet[ScoreSheet]:
    """The submitted sheets of the interview's current live attempt (a stopped attempt's never count)."""
    return appointment.score_sheets.filter(status=ScoreSheet.Status.SUBMITTED, attempt=current_attempt(appointment))


def comparison(appointment: Appointment) -> list[dict]:
    """Per competency: every member's level side by side; spread ≥ 2 levels is flagged."""
    sheets = list(
        submitted_sheets(appointment).select_related("member")
        .prefetch_related(Prefetch("ratings", queryset=SheetRating.objects.select_related(
            "guide_competency__competency", "level")))
    )
    rows: dict[int, dict] = {}
    for sheet in sheets:
        for rating in sheet.ratings.all():
            row = rows.setdefault(rating.guide_competency_id, {"guide_competency": rating.guide_competency,
                                                                "levels": []})
            row["levels"].append((sheet.member, rating.level, rating))
    out = []
    for row in sorted(rows.values(), key=lambda r: (r["guide_competency"].order, r["guide_competency"].pk)):
        orders = [lv.order for _m, lv, _r in row["levels"] if lv]
        row["spread"] = max(orders) - min(orders) if orders else 0
        row["flagged"] = row["spread"] >= 2
        out.append(row)
    return out


def result_detail(result: Result) -> Result:
    return (
        Result.objects.select_related("appointment__candidate", "appointment__procedure__scale", "appointment__jury",
                                      "signed_off_by")
        .prefetch_related(Prefetch("levels", queryset=ResultLevel.objects.select_related(
            "guide_competency__competency", "level")))
        .get(pk=result.pk)
    )


def visible_results(procedure: Procedure, user) -> QuerySet[Result]:
    """Signed-off or published results the user may see (never of an interview they are blind to)."""
    return (
        Result.objects.filter(appointment__procedure=procedure,
                              status__in=[Result.Status.SIGNED_OFF, Result.Status.PUBLISHED])
        .exclude(appointment_id__in=blinded_ids(user, procedure))
        .select_related("appointment__candidate")
    )


def ranking(procedure: Procedure, user) -> QuerySet[Result]:
    """Candidates who passed, best first; equal final scores share a `rank` and `ties` counts them.

    Ranked by the database (window functions), so a page of the ranking reads one page of rows."""
    return (visible_results(procedure, user).filter(passed=True)
            .annotate(rank=Window(Rank(), order_by=F("final_pct").desc()),
                      ties=Window(Count("id"), partition_by=[F("final_pct")]))
            .order_by("-final_pct", "appointment__candidate__last_name", "appointment__candidate__first_name", "id"))


def ranking_rows(results) -> list[dict]:
    """For templates: one dict per ranked result (rank, result, candidate, tie)."""
    return [{"rank": r.rank, "result": r, "candidate": r.appointment.candidate, "tie": r.ties > 1} for r in results]


def published_result(candidate) -> Result | None:
    """The candidate's published interview result (for the personal page and the feedback download)."""
    return (Result.objects.filter(appointment__candidate=candidate, status=Result.Status.PUBLISHED)
            .select_related("appointment__procedure").order_by("-published_at").first())


def submitted_ratings(procedure: Procedure, user):
    """Every submitted level of the procedure the user may see, as flat rows for statistics and export.

    Only sheets of each interview's current attempt: a stopped attempt's levels never count.
    """
    return (
        SheetRating.objects.filter(sheet__appointment__procedure=procedure, sheet__status=ScoreSheet.Status.SUBMITTED,
                                   level__isnull=False)
        .annotate(current_attempt=current_attempt_expression("sheet__appointment_id"))
        .filter(sheet__attempt=F("current_attempt"))
        .exclude(sheet__appointment_id__in=blinded_ids(user, procedure))
        .values_list("sheet__appointment_id", "guide_competency__competency_id", "sheet__member_id", "level__order")
        .order_by("sheet__appointment_id", "guide_competency__competency_id", "sheet__member_id")
    )
