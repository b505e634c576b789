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

from django.db import DEFAULT_DB_ALIAS, transaction
from django.dispatch import Signal

readings_imported = Signal()
initiative_changed = Signal()


def announce_changed(page_ids, using=DEFAULT_DB_ALIAS):
    """Send ``initiative_changed`` for ``page_ids`` once the current transaction commits (at
    once outside a transaction), so a cache never refills with the state before a change that
    has not committed yet, nor purges for one that is rolled back."""
    page_ids = frozenset(int(page_id) for page_id in page_ids if page_id)
    if page_ids:
        transaction.on_commit(lambda: initiative_changed.send(sender=None, page_ids=page_ids), using=using)
