"""`manage.py load_demo`: the demo data of interviewdesk.demo.loading. Running it twice changes nothing."""

from django.core.management.base import BaseCommand

from interviewdesk.demo.loading import demo_load
from interviewdesk.procedures.models import Candidate, Procedure
from interviewdesk.scheduling.models import Appointment


class Command(BaseCommand):
    help = "Load demo procedures, staff, juries, rooms, candidates and appointments (idempotent)."

    def handle(self, *args, **options) -> None:
        if not demo_load():
            self.stdout.write("demo data already loaded")
            return
        self.stdout.write(
            f"demo data loaded: {Procedure.objects.count()} procedures, {Candidate.objects.count()} candidates, "
            f"{Appointment.objects.count()} appointments"
        )
