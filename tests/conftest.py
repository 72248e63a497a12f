import datetime as dt

import pytest
import time_machine
from django.core.cache import caches
from django.utils import timezone

from tests.clock import TestNowError, local, next_working_day, read_test_now

# --- The moment the suite runs at (tests/clock.py) -------------------------------------------
# TEST_NOW=2027-03-27T23:30:00+01:00 runs every test as if the wall clock read that moment when the
# test started (the clock ticks on from there), so the suite can be run at night, on a weekend, on
# the eve of a DST change or on 31 December without waiting for one. Unset: the real clock.
#
# Where the moment reaches:
# - collection and session fixtures: the whole session travels to TEST_NOW too (a module-level
#   "today + 7 days" is computed at that moment), then each test starts again at TEST_NOW;
# - this process and its threads: time-machine patches the clock process-wide, so pytest-django's
#   live server (a thread) serves the browser journeys at the same moment;
# - tests that move or freeze time themselves (the `time_machine` fixture, `time_machine.travel`)
#   nest inside this travel and win while they are active: the fixture below is set up before
#   any other fixture of a test (see pytest_collection_modifyitems) and torn down after them;
# - the browser's own clock stays real: the only page script reading it (live/live.js) measures
#   its offset from the server's time in the page, so it follows the server's moment;
# - subprocesses run on the real clock (TEST_NOW is in test_killed_worker's child environment but
#   nothing there reads it; test_worker and test_run_demo pass a filtered environment): those tests
#   check process handling, take every time they use from the child's own single clock and compare
#   no moment across processes, so they hold at any moment. What the children do in-process is
#   tested under TEST_NOW elsewhere (load_demo in tests/demo/test_demo.py, sweeps in
#   tests/messaging/).
_TEST_NOW_FIXTURE = "_clock_at_test_now"
try:
    TEST_NOW = read_test_now()
except TestNowError as error:
    raise pytest.UsageError(str(error)) from None
_session_travel = time_machine.travel(TEST_NOW, tick=True) if TEST_NOW else None


def pytest_configure(config):
    if _session_travel:
        _session_travel.start()


def pytest_unconfigure(config):
    if _session_travel:
        _session_travel.stop()


def pytest_report_header(config):
    return f"TEST_NOW={TEST_NOW.isoformat()} (each test starts at that moment)" if TEST_NOW else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # First fixture of every test, so tests' own time travel (even the `time_machine` marker, which
    # puts its fixture first) nests inside it.
    if TEST_NOW is None:
        return
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and _TEST_NOW_FIXTURE in names:
            names.remove(_TEST_NOW_FIXTURE)
            names.insert(0, _TEST_NOW_FIXTURE)


@pytest.fixture(autouse=True)
def _clock_at_test_now():
    """Each test runs at TEST_NOW when it is set (see above)."""
    if TEST_NOW is None:
        yield
        return
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture
def working_day_morning(time_machine) -> dt.datetime:
    """Freezes the clock at 09:00 Brussels on a working day whose next day is a working day too,
    the first such day after today (so it moves with TEST_NOW). Returns that moment. From there,
    "tomorrow 10:00" is 25 hours away on a working day, and nothing is a DST night."""
    moment = local(next_working_day(then_working=True), 9)
    time_machine.move_to(moment, tick=False)
    return moment


@pytest.fixture
def today_at_ten(time_machine) -> dt.datetime:
    """Moves the clock to 10:00 Brussels today and lets it tick: a scenario of several sessions
    "today", hours apart (the proctor's console shows today's), stays within the day at any hour.
    Returns that moment."""
    moment = local(timezone.localdate(), 10)
    time_machine.move_to(moment, tick=True)
    return moment


@pytest.fixture(autouse=True)
def _english_and_temp_var(settings, tmp_path):
    """Tests run in English unless they activate another language, and write files under tmp."""
    settings.LANGUAGE_CODE = "en"
    settings.MAIL_DIR = tmp_path / "mail"
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests jump hours ahead (a preparation ends, a result period passes) without the requests a
    # browser would make meanwhile: sessions do not run out unless a test asks for it
    # (tests/accounts/test_sessions.py sets the real limits).
    settings.STAFF_SESSION_IDLE_SECONDS = settings.PORTAL_SESSION_IDLE_SECONDS = 400 * 24 * 3600
    settings.STAFF_SESSION_MAX_SECONDS = settings.PORTAL_SESSION_MAX_SECONDS = 400 * 24 * 3600


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(staff)` gives a session verified with a real confirmed TOTP device
    (tests/twofactor.py), so tests written before two-factor login keep working unchanged."""
    from django.test import Client

    from tests.twofactor import mark_verified

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        mark_verified(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# One Playwright browser per test process, shared by every browser journey wherever it lives
# (a second sync_playwright() in the same process would refuse to start).
from tests.browser import browser, page, phone_page  # noqa: E402, F401


@pytest.fixture
def demo_sent(settings, tmp_path):
    """The demo data with its invitations sent and delivered (to .eml files), as `make demo` leaves it."""
    from django.core.management import call_command

    settings.EMAIL_HOST = ""
    settings.MAIL_DIR = tmp_path / "mail"
    call_command("load_demo", verbosity=0)
    call_command("send_pending_invitations", deliver=True, verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_local_cache():
    """Each test starts with an empty per-process cache: values cached there (room-request deadlines,
    rendered pages) were computed from another test's rows or moment."""
    caches["local"].clear()
