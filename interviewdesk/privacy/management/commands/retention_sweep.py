"""Erase the candidates of closed procedures past their retention period, or (--dry-run) list what
would be erased, per procedure, without writing anything."""

from django.core.management.base import BaseCommand

from interviewdesk.privacy.services.erasure import step_labels
from interviewdesk.privacy.services.retention import retention_plan, retention_sweep


class Command(BaseCommand):
    help = "Erase personal data of candidates of procedures past retention (--dry-run: only count)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would be erased; change nothing")

    def handle(self, *args, dry_run=False, **options):
        labels = step_labels()
        if dry_run:
            plan = retention_plan()
            if not plan:
                self.stdout.write("Nothing is due for erasure.")
            for state, candidates, counts in plan:
                self.stdout.write(f"procedure #{state.procedure.pk} {state.procedure.reference}: closed "
                                  f"{state.closed_at:%Y-%m-%d}, {state.months} months, due {state.erase_at:%Y-%m-%d}; "
                                  f"{candidates} candidate(s) would be erased")
                for key, count in counts.items():
                    if count:
                        self.stdout.write(f"  {count:6d}  {key}: {labels[key]}")
            self.stdout.write("Dry run: nothing was changed.")
            return
        done = retention_sweep(actor_label="command")
        if not done:
            self.stdout.write("Nothing was due for erasure.")
        for procedure, candidates, counts in done:
            self.stdout.write(f"procedure #{procedure.pk} {procedure.reference}: {candidates} candidate(s) erased "
                              f"({sum(counts.values())} rows changed)")
