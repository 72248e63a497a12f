"""Worker tasks of the procedures app: reading a large candidate list outside the request."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from interviewdesk.core.periodic import periodic

from . import import_stash


@task()
def candidate_list_read(token: str) -> None:
    import_stash.stash_read(token=token)


@periodic(every=60)
def candidate_lists_sweep() -> None:
    """Read uploads whose task died (the file is the truth), and drop abandoned ones."""
    for token in import_stash.stash_pending(older_than=dt.timedelta(minutes=2)):
        import_stash.stash_read(token=token)
    import_stash.stash_prune()
