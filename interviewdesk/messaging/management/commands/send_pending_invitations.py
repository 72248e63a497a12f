"""Queue every pending invitation (planned, future appointments), per procedure or for all.

Used by `make demo`. Runs the bulk send in-process, so the messages are queued when the
command returns; the worker (or --deliver) sends them.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from interviewdesk.messaging.services.bulk import bulk_send_run, bulk_send_start
from interviewdesk.messaging.services.delivery import deliver_due
from interviewdesk.procedures.models import Procedure


class Command(BaseCommand):
    help = "Queue all pending invitations (optionally of one procedure) and optionally deliver them."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--procedure", help="procedure reference")
        parser.add_argument("--deliver", action="store_true", help="also send the queued messages now")

    def handle(self, *args, procedure: str | None = None, deliver: bool = False, **options) -> None:
        procedures = Procedure.objects.exclude(status=Procedure.Status.CLOSED)
        if procedure:
            procedures = procedures.filter(reference=procedure)
            if not procedures.exists():
                raise CommandError(f"no open procedure with reference {procedure!r}")
        total = 0
        for item in procedures:
            run, _created = bulk_send_start(procedure=item)
            run = bulk_send_run(run_id=run.pk)
            count = run.messages.filter(kind="invitation").count()
            total += count
            self.stdout.write(f"{item.reference}: {count} invitation(s) queued")
        if deliver:
            sent = 0
            while batch := deliver_due():
                sent += batch
            self.stdout.write(f"{sent} message(s) handled")
        self.stdout.write(self.style.SUCCESS(f"{total} invitation(s) queued"))
