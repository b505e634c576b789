"""Editors adding cards to the same page at the same moment: every card lands in the draft.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>; skipped on SQLite, which
serialises all writers and so cannot show a race.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from catalogue import services
from catalogue.models import CardContract, CardTypeEntry

from .conftest import revision_cards

ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://… to run"),
    pytest.mark.django_db(transaction=True),
]
EDITORS = 12


@pytest.fixture(autouse=True)
def tree_root(transactional_db):
    """What Wagtail's data migrations make, gone if an earlier transactional test flushed."""
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if not Site.objects.exists():
        Site.objects.create(hostname="testserver", root_page=Page.objects.get(depth=1), is_default_site=True)


def test_cards_added_at_once_all_land_in_the_draft(make_initiative, editor, django_user_model):
    services.sync_card_types()
    map_type = CardTypeEntry.objects.get(name="map")
    map_type.contract = [{"type": "resource", "value": {"what": "Walkers", "amount": ""}}]
    map_type.save()
    page = make_initiative(cards=[])

    def add(number):
        try:
            return services.add_card(page, editor, entry=CardTypeEntry.objects.get(name="map"))[1]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(EDITORS) as pool:
        block_ids = set(pool.map(add, range(EDITORS)))

    assert len(block_ids) == EDITORS
    assert {item["id"] for item in revision_cards(page)} == block_ids
    assert set(CardContract.objects.filter(page=page).values_list("block_id", flat=True)) == block_ids
