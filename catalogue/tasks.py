"""Background work of the catalogue: rows for newly registered card types, on the clock."""

from django_tasks import task


@task()
def sync_card_types():
    """Give every registered card type its catalogue row; returns the names of new rows.

    ``migrate`` does this too (``post_migrate``); the clock catches a card type that arrived
    with code but no migration. Never done in a request: a GET does not write.
    """
    from . import services

    return [entry.name for entry in services.sync_card_types()]


# Enqueued by the platform's clock (``manage.py run_schedule``), in seconds.
PERIODIC_TASKS = [(sync_card_types, 600)]
