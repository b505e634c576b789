"""What the card apps announce to the rest of the platform.

- ``readings_imported``: new sensor readings were stored, with ``series``, the set of
  (device, metric) touched. Pages listen so their "latest activity" follows the sensors they
  show.
- ``initiative_changed``: what visitors see of some pages changed without an editor
  publishing them, with ``page_ids``, a frozenset of page ids. The apps that run what cards
  show send it through :func:`announce_changed` (a vote opened or closed, a decision anchored
  or followed up, a tender's quotes opened or awarded, new readings, a card type switched off,
  a deadline passed); the caches in front of the pages listen and forget those pages
  (``initiatives.frontend_cache``). Publishing, unpublishing and moves are Wagtail's own
  signals and are not repeated here.
"""

import threading

from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import Signal

readings_imported = Signal()
initiative_changed = Signal()

_pending = threading.local()


def announce_changed(page_ids, using=DEFAULT_DB_ALIAS):
    """Send ``initiative_changed`` for ``page_ids`` once the current transaction commits.

    At once outside a transaction. Inside one, every page announced before the commit goes
    out in a single signal, so a task that changes many things of a page purges it once, and a
    cache never refills with what a rolled-back change would have shown, nor with the state
    before a change that has not committed yet.
    """
    page_ids = {int(page_id) for page_id in page_ids if page_id}
    if not page_ids:
        return
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        initiative_changed.send(sender=None, page_ids=frozenset(page_ids))
        return
    waiting = getattr(_pending, using, None)
    # Still waiting for this commit? (A rollback discards the callback, and the set with it.)
    if waiting is not None and any(item[1] is waiting[0] for item in connection.run_on_commit):
        waiting[1].update(page_ids)
        return

    def send():
        setattr(_pending, using, None)
        initiative_changed.send(sender=None, page_ids=frozenset(page_ids))

    setattr(_pending, using, (send, page_ids))
    transaction.on_commit(send, using=using)
