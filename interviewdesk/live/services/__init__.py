"""State changes of the live session. One function per transition; see docs/live-session.md."""

from .candidate import candidate_problem_report, problem_acknowledge
from .conflicts import declaration_decide, declaration_submit, may_decide
from .followup import session_request_new_appointment, session_reschedule
from .identity import session_identity_record
from .machine import (
    IllegalTransition,
    session_checkin,
    session_close,
    session_current,
    session_extra_time_set,
    session_mark_no_show,
    session_part_1_start,
    session_part_2_start,
    session_preparation_start,
    session_rules_confirm,
    session_shown,
    session_stop,
)
from .protocol import (
    disconnection_call_log,
    disconnection_expire,
    disconnection_reconnect,
    disconnections_expire_overdue,
    incident_log,
)

__all__ = [
    "IllegalTransition",
    "candidate_problem_report",
    "declaration_decide",
    "declaration_submit",
    "disconnection_call_log",
    "disconnection_expire",
    "disconnection_reconnect",
    "disconnections_expire_overdue",
    "incident_log",
    "may_decide",
    "problem_acknowledge",
    "session_checkin",
    "session_close",
    "session_current",
    "session_extra_time_set",
    "session_identity_record",
    "session_mark_no_show",
    "session_part_1_start",
    "session_part_2_start",
    "session_preparation_start",
    "session_request_new_appointment",
    "session_reschedule",
    "session_rules_confirm",
    "session_shown",
    "session_stop",
]
