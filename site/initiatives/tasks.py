"""Background work of the initiatives app, on the clock: Wagtail's scheduled publishing and
the initiatives whose scheduled moment (a deadline, a vote opening) has passed."""

import io

from django.core.management import call_command
from django_tasks import task


@task()
def publish_scheduled():
    """Unpublish pages (and snippets) whose ``expire_at`` has passed and publish revisions
    whose ``go_live_at`` has passed.

    This is Wagtail's own ``manage.py publish_scheduled``, run by the platform's clock: the
    page editor's "Go-live date/time" and "Expiry date/time" do nothing unless something runs
    it. Unpublishing and publishing send Wagtail's signals, so the search index and the
    initiative's domain follow in the same transaction; an expired initiative's sub-pages are
    unavailable with it and back with it (``ctylab.reachable``).
    """
    call_command("publish_scheduled", stdout=io.StringIO())


@task()
def refresh_due_activity():
    """Re-sort the initiatives whose next moment has passed and purge their pages from the
    caches (they look different now); returns their ids. A visitor's GET never does this."""
    from .models import InitiativePage

    return InitiativePage.refresh_due_activity()


# Enqueued by the platform's clock (``manage.py run_schedule``), in seconds: a page goes
# live or expires at most this long after its moment.
PERIODIC_TASKS = [
    (publish_scheduled, 60),
    (refresh_due_activity, 60),
]
