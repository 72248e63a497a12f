"""Run a benchmark's body against Django's throw-away test database (SQLite, or DATABASE_URL's
server), created and dropped around it. Shared by bench/import_candidates.py and bench/selection.py
(the leading underscore keeps bench/run.py from running it as a benchmark)."""

from __future__ import annotations

from collections.abc import Callable


def in_test_database(body: Callable[..., None], *args) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import get_runner, setup_test_environment

    setup_test_environment()
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    try:
        body(*args)
    finally:
        runner.teardown_databases(old_config)
