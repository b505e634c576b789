"""A card added in the editor starts valid: dated defaults are counted from the day it is added,
and every field tells the editor what it is for (issue 11, item 2)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blocks.registry import registry
from initiatives.models import InitiativePage
from tests.catalogue.conftest import card_errors, list_block, page_form_data

# What only the editor can know: the texts a new card asks for before it can be published.
WRITTEN_BY_THE_EDITOR = {
    "tender": {"request": "Paving for the court"},
    "iot": {"device": "roof-1", "metric": "power"},
    "election": {"question": "Do we build the court?"},
}
# The election card opens now and closes in 14 days, for/against/abstain (governance's vote).
TYPES = ["news", "map", "iot", "tender", "election"]


def fresh_card(name):
    block = registry.get(name).block
    raw = block.get_prep_value(block.get_default())
    raw.update(WRITTEN_BY_THE_EDITOR.get(name, {}))
    return block, raw


def test_a_new_tender_is_open_for_quotes_thirty_days():
    block = registry.get("tender").block
    deadline = block.get_default()["deadline"]
    expected = timezone.now() + timedelta(days=30)
    assert abs(deadline - expected) < timedelta(hours=1)
    assert deadline.minute == deadline.second == 0


def test_a_new_news_item_is_dated_today():
    items = registry.get("news").block.child_blocks["items"]
    assert items.child_block.get_default()["date"] == timezone.localdate()


def test_defaults_are_counted_when_the_card_is_added_not_when_the_server_started(monkeypatch):
    block = registry.get("tender").block
    later = timezone.now() + timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert block.get_default()["deadline"] > later + timedelta(days=29)


@pytest.mark.parametrize("name", TYPES)
def test_every_field_tells_the_editor_what_it_is_for(name):
    def fields(block, path):
        for child_name, child in getattr(block, "child_blocks", {}).items():
            yield f"{path}.{child_name}", child
            inner = getattr(child, "child_block", None)
            yield from fields(inner if inner is not None else child, f"{path}.{child_name}")

    def help_text(child):
        # Field blocks keep it on their form field, structural blocks in their Meta.
        return getattr(child.meta, "help_text", None) or getattr(getattr(child, "field", None), "help_text", "")

    missing = [path for path, child in fields(registry.get(name).block, name) if not help_text(child)]
    if name == "tender":  # its other fields belong to the tenders work; the deadline is ours
        missing = [path for path in missing if path in ("tender.title", "tender.deadline")]
    assert missing == []


@pytest.mark.parametrize("name", TYPES)
def test_a_fresh_card_validates(name):
    block, raw = fresh_card(name)
    block.clean(block.to_python(raw))


def test_a_page_of_fresh_cards_is_published_from_the_editor(admin_client, make_initiative, make_device):
    page = make_initiative(cards=[])
    make_device(key="roof-1", initiative=page)  # a sensor card chooses one of the page's sensors
    cards = []
    for index, name in enumerate(TYPES):
        _block, raw = fresh_card(name)
        value = {key: list_block(item) if isinstance(item, list) else item for key, item in raw.items()}
        cards.append({"type": name, "value": value, "id": f"fresh-{index}"})
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), page_form_data(page, cards, action="action-publish")
    )
    assert response.status_code == 302, card_errors(response)
    page = InitiativePage.objects.get(pk=page.pk)
    assert [child.block_type for child in page.cards] == TYPES
    tender = page.cards[3].value
    assert tender.accepting_quotes


def test_a_new_map_card_starts_at_the_initiatives_place(client, make_initiative):
    _block, raw = fresh_card("map")
    page = make_initiative(
        title="Zonnedak De Kroon", latitude="52.089400", longitude="5.110100",
        cards=[{"type": "map", "value": raw, "id": "map-1"}],
    )
    html = client.get(page.url).content.decode()
    assert "No places on this map yet." not in html
    assert "Zonnedak De Kroon" in html and "(52.08940, 5.11010)" in html
    assert 'id="map-data-map-1"' in html  # the map script gets the point as data
