"""Print the code the demo staff's authenticator app shows now (demo secret only)."""

from django.core.management.base import BaseCommand

from interviewdesk.demo.loading import demo_totp_code


class Command(BaseCommand):
    help = "Print the current second-factor code of the demo staff logins (valid about 30 seconds)."

    def handle(self, *args, **options):
        self.stdout.write(demo_totp_code())
