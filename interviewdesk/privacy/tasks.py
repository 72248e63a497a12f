"""The retention sweep, run by the worker (core.periodic)."""

from __future__ import annotations

from interviewdesk.core.periodic import periodic

from .services.retention import retention_sweep


@periodic(every=3600)
def retention_erase_sweep() -> None:
    """Erase the candidates of closed procedures past their retention period (idempotent)."""
    retention_sweep(actor_label="worker")
