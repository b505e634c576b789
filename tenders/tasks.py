"""Background work of tenders: opening the quotes of tenders whose deadline has passed."""

from django_tasks import task

from .services import opening


@task()
def open_due_tenders():
    """Run by the clock every minute; returns the ids of the tenders it opened."""
    return [tender.pk for tender in opening.open_due_tenders()]


# Enqueued by the platform's clock (``manage.py run_schedule``), in seconds.
PERIODIC_TASKS = [(open_due_tenders, 60)]
