"""`manage.py run_demo --port 8000`: the web server and the worker for a local demo.

Both run as child processes (`runserver --noreload` and `worker`); DEBUG is switched on for
them through the environment only, never in settings. The command prints the address, one
login per role and a fresh personal link for the demo candidate: links are stored hashed,
so the only way to show one is to issue a new one, which revokes the previous link.
Ctrl-C or SIGTERM stops both children and exits 0.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from interviewdesk.demo import data as demo_data
from interviewdesk.demo.loading import demo_candidate, demo_loaded, demo_totp_secret
from interviewdesk.portal.services.access import access_link_issue

STARTUP_TIMEOUT = 60  # seconds to wait for /healthz to answer
STOP_TIMEOUT = 10  # seconds a child gets to stop before it is killed


class Command(BaseCommand):
    help = "Run the demo: web server and worker, with the demo logins and a candidate's personal link."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))

    def handle(self, *args, port: int, **options) -> None:
        if not demo_loaded():
            raise CommandError("No demo data: run `manage.py migrate` and `manage.py load_demo` first.")
        address = f"http://127.0.0.1:{port}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "interviewdesk.settings", "PYTHONUNBUFFERED": "1"}
        env.setdefault("DEBUG", "1")
        # Links must point at this server unless the operator configured another address.
        env.setdefault("SITE_URL", address)
        settings.SITE_URL = env["SITE_URL"].rstrip("/")

        self.stopping = False
        signal.signal(signal.SIGINT, self._stop)
        signal.signal(signal.SIGTERM, self._stop)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        # Our own interpreter and manage.py with fixed arguments: no untrusted input. Each child has its
        # own process group, so a terminal's Ctrl-C reaches only this command, which then stops each child
        # with exactly one SIGINT (a second one would make the worker abandon a running task).
        self.children = {
            "web server": subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],  # noqa: S603
                                           env=env, process_group=0),
            "worker": subprocess.Popen([*manage, "worker"], env=env, process_group=0),  # noqa: S603
        }
        try:
            self._say(f"Started the web server (pid {self.children['web server'].pid}) "
                      f"and the worker (pid {self.children['worker'].pid}).")
            if self._wait_until_up(address):
                self._banner(address)
            while not self.stopping and all(child.poll() is None for child in self.children.values()):
                time.sleep(0.5)
        finally:
            self._stop_children()
        if not self.stopping:
            dead = ", ".join(name for name, child in self.children.items() if child.returncode not in (None, 0))
            raise CommandError(f"stopped because a child process ended: {dead or 'unknown'}")
        self._say("Demo stopped.")

    def _stop(self, signum, frame) -> None:
        self.stopping = True

    def _say(self, line: str = "") -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _wait_until_up(self, address: str) -> bool:
        """True once /healthz answers with a live worker (or answers at all when the time is up)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        answered = False
        while not self.stopping and time.monotonic() < deadline:
            if any(child.poll() is not None for child in self.children.values()):
                return False
            try:
                with urllib.request.urlopen(f"{address}/healthz", timeout=2) as response:  # noqa: S310 (our own URL)
                    answered = True
                    if json.load(response)["worker"] == "ok":
                        return True
            except urllib.error.HTTPError:
                answered = True  # it answers (503 while the database is down still means "up")
            except OSError:
                pass
            time.sleep(0.3)
        return answered

    def _banner(self, address: str) -> None:
        link = access_link_issue(candidate=demo_candidate())
        candidate = demo_candidate()
        lines = ["", f"interviewdesk demo: {address}/", "", f"Staff logins (password for all: {demo_data.PASSWORD}):"]
        lines += [f"  {role:<18} {username}" for role, username in demo_data.ROLE_LOGINS]
        lines += ["", "Second factor of every demo staff login: add this key to an authenticator app (time-based),",
                  f"  {demo_totp_secret()}",
                  "or print the current code with: .venv/bin/python manage.py demo_code"]
        lines += ["", f"Personal link of candidate {candidate.full_name} (new at every start; the previous one is revoked):",
                  f"  {link}", "", "Press Ctrl-C to stop.", ""]
        self._say("\n".join(lines))

    def _stop_children(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.children.values():
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
