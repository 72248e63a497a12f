"""The portal's write operations, one module per topic (docs/architecture.md, "Services").

What the candidate changes on their page (`candidate`) is re-exported here, as callers import it from `portal.services`.
"""

from .candidate import (
    CANDIDATE,
    access_link_reissue,
    appointment_accept,
    contact_recipient,
    equipment_declare,
    overview_touch,
    phone_confirm,
    problem_report,
    problem_resolve,
    readiness_of,
    request_is_late,
    room_request_approve,
    room_request_create,
    room_request_refuse,
    rules_acknowledge,
)

__all__ = [
    "CANDIDATE",
    "access_link_reissue",
    "appointment_accept",
    "contact_recipient",
    "equipment_declare",
    "overview_touch",
    "phone_confirm",
    "problem_report",
    "problem_resolve",
    "readiness_of",
    "request_is_late",
    "room_request_approve",
    "room_request_create",
    "room_request_refuse",
    "rules_acknowledge",
]
