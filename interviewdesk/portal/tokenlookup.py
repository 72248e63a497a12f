"""The per-request session check as one SQL statement built once per process.

Every candidate request loads the session's token with its candidate, procedure and readiness,
plus the time of the latest change to the candidate's appointments (for the overview's cache
key). Building that query through the ORM costs about 1.5 ms of CPU per request, more than
running it; here the SQL and the column converters are prepared once per database connection
alias and each row is turned into model instances with `Model.from_db`, exactly as the ORM's
compiler does (same converters, same related-object caches).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model

from interviewdesk.assessment.models import Result
from interviewdesk.live.models import LiveSession
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment

from .models import AccessToken, Readiness

PARTS = ((AccessToken, "t"), (Candidate, "c"), (Procedure, "p"), (Readiness, "r"))


@dataclass(frozen=True)
class _Prepared:
    sql: str
    fields: list[list]  # per model, its concrete fields
    converters: list[tuple]  # per column: (column expression, the converters the ORM would apply)


_prepared: dict[str, _Prepared] = {}


def _prepare(alias: str) -> _Prepared:
    connection = connections[alias]
    qn = connection.ops.quote_name
    columns, fields, converters = [], [], []
    for model, table_alias in PARTS:
        concrete = list(model._meta.concrete_fields)
        fields.append(concrete)
        for field in concrete:
            columns.append(f"{table_alias}.{qn(field.column)}")
            col = field.get_col(table_alias)
            converters.append((col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)))
    appointment = qn(Appointment._meta.db_table)
    result, live_session = qn(Result._meta.db_table), qn(LiveSession._meta.db_table)
    of_candidate = (f"INNER JOIN {appointment} a ON a.{qn('id')} = x.{qn('appointment_id')} "
                    f"WHERE a.{qn('candidate_id')} = t.{qn('candidate_id')}")
    # Only quoted table and column names from model metadata go into the text; values are parameters.
    sql = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608
        f"(SELECT MAX(a.{qn('updated_at')}) FROM {appointment} a WHERE a.{qn('candidate_id')} = t.{qn('candidate_id')}), "
        # The overview also shows the published result and, during a preparation, the live problem form.
        f"(SELECT MAX(x.{qn('published_at')}) FROM {result} x {of_candidate} "
        f"AND x.{qn('status')} = '{Result.Status.PUBLISHED.value}'), "
        f"(SELECT MAX(x.{qn('updated_at')}) FROM {live_session} x {of_candidate}) "
        f"FROM {qn(AccessToken._meta.db_table)} t "
        f"INNER JOIN {qn(Candidate._meta.db_table)} c ON c.{qn('id')} = t.{qn('candidate_id')} "
        f"INNER JOIN {qn(Procedure._meta.db_table)} p ON p.{qn('id')} = c.{qn('procedure_id')} "
        f"LEFT OUTER JOIN {qn(Readiness._meta.db_table)} r ON r.{qn('candidate_id')} = c.{qn('id')} "
        f"WHERE t.{qn('id')} = %s AND t.{qn('candidate_id')} = %s AND t.{qn('revoked_at')} IS NULL"
    )
    return _Prepared(sql, fields, converters)


def _cache(model: type[Model], name: str, instance: Model, related: Model | None) -> None:
    """What Django stores when it loads a relation, so that reading it costs no query."""
    field: Any = model._meta.get_field(name)  # a forward field or a reverse one-to-one: both cache
    field.set_cached_value(instance, related)


def session_token(token_id: int, candidate_id: int, alias: str = "default") -> AccessToken | None:
    """The unrevoked token with `candidate` (and its `procedure` and `readiness`) loaded, and
    `appointments_changed`, `result_published` (latest publication of a result) and `live_changed`
    (latest change to a live session) set, each None when there is nothing; None when there is no such token."""
    prepared = _prepared.get(alias) or _prepared.setdefault(alias, _prepare(alias))
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql, [token_id, candidate_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values: list[Any] = list(row)
    for index, (col, converters) in enumerate(prepared.converters):
        for converter in converters:
            values[index] = converter(values[index], col, connection)
    objects: list[Any] = []
    start = 0
    for (model, _table_alias), concrete in zip(PARTS, prepared.fields, strict=True):
        chunk = values[start:start + len(concrete)]
        start += len(concrete)
        missing = model is Readiness and chunk[0] is None  # no readiness row yet (LEFT JOIN)
        objects.append(None if missing else model.from_db(alias, [f.attname for f in concrete], chunk))
    token, candidate, procedure, readiness = objects
    _cache(AccessToken, "candidate", token, candidate)
    _cache(Candidate, "procedure", candidate, procedure)
    _cache(Candidate, "readiness", candidate, readiness)
    if readiness is not None:
        _cache(Readiness, "candidate", readiness, candidate)
    # Raw MAX() values (text on SQLite, datetimes on PostgreSQL): used only in the overview's cache key
    # and to know whether there is anything to load.
    token.appointments_changed, token.result_published, token.live_changed = values[start:]
    return token
