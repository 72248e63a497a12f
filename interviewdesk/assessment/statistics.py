"""Statistics per procedure: rater agreement, members' mean levels, final scores, pass rates."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from statistics import fmean

from django.utils.translation import gettext as _

from interviewdesk.core.models import User
from interviewdesk.procedures.models import Competency, Procedure

from . import selectors, stats

LENIENCY_THRESHOLD = 0.5  # levels above or below the procedure's mean


def rater_agreement(targets: dict, label: str) -> dict:
    """ICC on the independent levels. `targets` maps a target key → {member id: level}.

    Only targets rated by the most common panel size count (ICC needs a complete table).
    One panel for every target → two-way model ICC(2,·); panels that differ → one-way ICC(1,·).
    """
    sizes = Counter(len(r) for r in targets.values() if len(r) >= 2)
    if not sizes:
        return {"label": label, "n": 0, "k": 0, "design": "", "values": [], "excluded": len(targets)}
    k = sizes.most_common(1)[0][0]
    kept = {key: r for key, r in targets.items() if len(r) == k}
    panels = {tuple(sorted(r)) for r in kept.values()}
    one_panel = len(panels) == 1
    table = [[float(r[m]) for m in sorted(r)] for r in kept.values()]
    row = {"label": label, "n": len(table), "k": k, "excluded": len(targets) - len(kept),
           "design": _("one panel rated all (two-way random)") if one_panel else _("panels differ (one-way random)"),
           "values": []}
    if len(table) < 2:
        return row
    values = stats.icc(table)
    names = ("ICC(2,1)", "ICC(2,k)") if one_panel else ("ICC(1,1)", "ICC(1,k)")
    row["values"] = [(name.replace(",k)", f",{k})"), values[name]) for name in names]
    return row


def _age_band(born: dt.date | None, on: dt.date) -> str:
    if born is None:
        return ""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return _("under 30") if age < 30 else _("30 to 49") if age < 50 else _("50 and over")


def pass_rates(results) -> list[dict]:
    """Pass rate per lawful group (language, age band), with the ratio to the best group (four-fifths rule)."""
    groupings = {
        _("language"): lambda r: r.appointment.candidate.get_language_display(),
        _("age band"): lambda r: _age_band(r.appointment.candidate.date_of_birth, r.appointment.starts_at.date()),
    }
    out = []
    for name, key in groupings.items():
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in results:
            group = key(r)
            if group:
                counts[str(group)][0] += 1
                counts[str(group)][1] += int(bool(r.passed))
        rates = {g: p / n for g, (n, p) in counts.items()}
        ratios = stats.four_fifths(rates)
        out.append({"grouping": name, "groups": [
            {"group": g, "candidates": n, "passed": p, "rate": rates[g], "ratio": ratio,
             "adverse": ratio is not None and ratio < 0.8}
            for g, (n, p) in sorted(counts.items()) for ratio in [ratios[g]]]})
    return out


def procedure_statistics(procedure: Procedure, user) -> dict:
    rows = list(selectors.submitted_ratings(procedure, user))
    by_target: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    by_member: dict[int, list[int]] = defaultdict(list)
    for appointment_id, competency_id, member_id, level in rows:
        by_target[(appointment_id, competency_id)][member_id] = level
        by_member[member_id].append(level)
    agreement = [rater_agreement(by_target, _("all competencies"))]
    competencies = Competency.objects.in_bulk({c for _a, c in by_target})
    for cid in sorted(competencies, key=lambda c: competencies[c].label()):
        subset = {key: r for key, r in by_target.items() if key[1] == cid}
        agreement.append(rater_agreement(subset, competencies[cid].label()))
    overall = fmean(level for levels in by_member.values() for level in levels) if by_member else None
    users = User.objects.in_bulk(list(by_member))
    members = []
    for member_id, levels in sorted(by_member.items(), key=lambda kv: str(users[kv[0]])):
        mean = fmean(levels)
        diff = mean - (overall or 0.0)  # overall is None only when nobody has rated, and then there is no member
        tendency = _("lenient") if diff >= LENIENCY_THRESHOLD else _("harsh") if diff <= -LENIENCY_THRESHOLD else ""
        members.append({"member": users[member_id], "ratings": len(levels), "mean": mean, "diff": diff,
                        "tendency": tendency})
    results = list(selectors.visible_results(procedure, user).select_related("appointment__candidate"))
    finals = [float(r.final_pct) for r in results if r.final_pct is not None]
    return {
        "agreement": agreement,
        "overall_mean": overall,
        "members": members,
        "distribution": stats.histogram(finals),
        "final_count": len(finals),
        "pass_rates": pass_rates(results),
    }
